import type { Recognizer } from '../recognizer.ts';
import type { Candidate } from '../scan-context.ts';
import { mrzCheckOk } from '../validators.ts';

/** [field start, field end, check digit index] on one MRZ line; composite checks list several fields. */
type Check = { line: number; from: number; to: number; at: number; name: string };

interface Layout {
  name: string;
  lines: number;
  width: number;
  checks: Check[];
  composite: { line: number; at: number; parts: Array<[number, number, number]> };
}

/**
 * TD3 and TD2 differ only in width: their second line carries the same fields
 * at the same offsets, and the composite check digit sits in the last column.
 */
function twoLineLayout(name: string, width: number): Layout {
  return {
    name,
    lines: 2,
    width,
    checks: [
      { line: 1, from: 0, to: 9, at: 9, name: 'document number' },
      { line: 1, from: 13, to: 19, at: 19, name: 'birth date' },
      { line: 1, from: 21, to: 27, at: 27, name: 'expiry date' },
    ],
    composite: {
      line: 1,
      at: width - 1,
      parts: [
        [1, 0, 10],
        [1, 13, 20],
        [1, 21, width - 1],
      ],
    },
  };
}

// ICAO 9303 layouts: TD3 (passport booklets), TD2, TD1 (ID cards).
const LAYOUTS: Layout[] = [
  twoLineLayout('TD3', 44),
  twoLineLayout('TD2', 36),
  {
    name: 'TD1',
    lines: 3,
    width: 30,
    checks: [
      { line: 0, from: 5, to: 14, at: 14, name: 'document number' },
      { line: 1, from: 0, to: 6, at: 6, name: 'birth date' },
      { line: 1, from: 8, to: 14, at: 14, name: 'expiry date' },
    ],
    composite: {
      line: 1,
      at: 29,
      parts: [
        [0, 5, 30],
        [1, 0, 7],
        [1, 8, 15],
        [1, 18, 29],
      ],
    },
  },
];

const MRZ_LINE = /^[A-Z0-9<]+$/;

interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(t: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= t.length; i++) {
    if (i === t.length || t.charCodeAt(i) === 10) {
      let s = start;
      let e = i;
      while (s < e && /\s/.test(t[s] as string)) s++;
      while (e > s && /\s/.test(t[e - 1] as string)) e--;
      lines.push({ start: s, end: e, text: t.slice(s, e) });
      start = i + 1;
    }
  }
  return lines;
}

function evaluate(layout: Layout, rows: string[]): { passed: string[]; failed: string[] } {
  const passed: string[] = [];
  const failed: string[] = [];
  for (const c of layout.checks) {
    const row = rows[c.line] as string;
    (mrzCheckOk(row.slice(c.from, c.to), row[c.at] as string) ? passed : failed).push(c.name);
  }
  const comp = layout.composite;
  const field = comp.parts.map(([line, from, to]) => (rows[line] as string).slice(from, to)).join('');
  (mrzCheckOk(field, (rows[comp.line] as string)[comp.at] as string) ? passed : failed).push('composite');
  return { passed, failed };
}

/**
 * PASSPORT_MRZ (SPEC R16): consecutive lines of the ICAO alphabet with a layout's width whose
 * check digits hold; the finding spans all lines. OCR often loses the line break, so one line of
 * the combined width is split back into rows.
 */
export const mrzRecognizer: Recognizer = {
  name: 'passport_mrz',
  types: ['PASSPORT_MRZ'],
  gate: (f) => f.lessThan >= 4 && f.length >= 60,
  find(ctx, out: Candidate[]) {
    const lines = splitLines(ctx.text);
    for (let i = 0; i < lines.length; i++) {
      const first = lines[i] as Line;
      if (!MRZ_LINE.test(first.text) || !first.text.includes('<')) continue;
      for (const layout of LAYOUTS) {
        let rows: string[] | null = null;
        let last = first;
        if (first.text.length === layout.width * layout.lines) {
          rows = Array.from({ length: layout.lines }, (_, k) =>
            first.text.slice(k * layout.width, (k + 1) * layout.width),
          );
        } else if (first.text.length === layout.width && i + layout.lines - 1 < lines.length) {
          const group = lines.slice(i, i + layout.lines);
          if (group.every((l) => l.text.length === layout.width && MRZ_LINE.test(l.text))) {
            rows = group.map((l) => l.text);
            last = group[group.length - 1] as Line;
          }
        }
        if (!rows) continue;
        const { passed, failed } = evaluate(layout, rows);
        const score = failed.length === 0 ? 0.99 : passed.length >= 3 ? 0.9 : passed.length >= 2 ? 0.75 : 0;
        if (score === 0) continue;
        out.push({
          type: 'PASSPORT_MRZ',
          start: first.start,
          end: last.end,
          score,
          detector: 'passport_mrz',
          explanation: `ICAO 9303 ${layout.name} machine-readable zone; check digits valid: ${passed.join(', ')}${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
          specificity: 10,
        });
        i += last === first ? 0 : layout.lines - 1;
        break;
      }
    }
  },
};
