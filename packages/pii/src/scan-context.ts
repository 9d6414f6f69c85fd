/**
 * Per-scan state shared by recognizers: cheap features computed in one pass (the prefilter,
 * SPEC R7) and lazily built views such as digit runs, so no recognizer re-walks the text for
 * something another one already found.
 */
import { anyHitIn, type ContextMatcher, contextCandidates, findContext } from './context.ts';

export interface TextFeatures {
  readonly length: number;
  readonly digits: number;
  /** Longest stretch of digits where single separators ( .-/ newline) are allowed between groups. */
  readonly maxGroupedDigits: number;
  readonly at: number;
  readonly colons: number;
  readonly hyphens: number;
  readonly dots: number;
  readonly lessThan: number;
  readonly upper: number;
  readonly underscores: number;
  readonly equals: number;
}

export interface DigitRun {
  start: number;
  end: number;
  /** Flat [start0, end0, start1, end1, ...] of the digit groups in the run. */
  groups: number[];
}

export interface Candidate {
  type: string;
  start: number;
  end: number;
  score: number;
  detector: string;
  explanation: string;
  /** Tie-breaker for overlaps: stronger structure wins (SPEC R5). */
  specificity: number;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function countOf(t: string, ch: string, cap: number): number {
  let n = 0;
  for (let i = t.indexOf(ch); i >= 0 && n < cap; i = t.indexOf(ch, i + 1)) n++;
  return n;
}

const DIGIT_CLUSTER = /\d[\d \t\r\n()./+-]*/g;
const UPPER = /[A-Z]/g;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Cheap features for the prefilter. Built from indexOf and a few simple regular expressions,
 * which V8 runs as native code an order of magnitude faster than a JavaScript character loop.
 * Counts are capped: recognizers only compare them with small thresholds. The capital count is
 * computed on first use: most gates ask about digits first and never need it.
 */
class Features implements TextFeatures {
  readonly length: number;
  digits = 0;
  maxGroupedDigits = 0;
  readonly at: number;
  readonly colons: number;
  readonly hyphens: number;
  readonly dots: number;
  readonly lessThan: number;
  readonly underscores: number;
  readonly equals: number;
  private readonly text: string;
  private capitals = -1;

  constructor(t: string) {
    this.text = t;
    this.length = t.length;
    this.at = countOf(t, '@', 8);
    this.colons = countOf(t, ':', 8);
    this.hyphens = countOf(t, '-', 8);
    this.dots = countOf(t, '.', 8);
    this.lessThan = countOf(t, '<', 8);
    this.underscores = countOf(t, '_', 8);
    this.equals = countOf(t, '=', 8);
    DIGIT_CLUSTER.lastIndex = 0;
    for (let m = DIGIT_CLUSTER.exec(t); m; m = DIGIT_CLUSTER.exec(t)) {
      let grouped = 0;
      const s = m[0];
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 48 && c <= 57) grouped++;
      }
      this.digits += grouped;
      if (grouped > this.maxGroupedDigits) this.maxGroupedDigits = grouped;
    }
  }

  get upper(): number {
    if (this.capitals < 0) {
      let n = 0;
      UPPER.lastIndex = 0;
      while (n < 8 && UPPER.test(this.text)) n++;
      if (n < 8 && NON_ASCII.test(this.text)) n = 8; // non-ASCII capitals: let recognizers look
      this.capitals = n;
    }
    return this.capitals;
  }
}

export function computeFeatures(t: string): TextFeatures {
  return new Features(t);
}

/**
 * Separators allowed between digit groups: up to 4 units of space/tab/newline with at most one
 * of . - / and at most one of ( ) — enough for "4111-1111", "0412\n345", "(415) 555", "+44 (0)20".
 */
function separatorLength(t: string, i: number): number {
  let punct = 0;
  let paren = 0;
  let k = i;
  while (k < t.length && k - i < 4) {
    const c = t.charCodeAt(k);
    if (c === 32 || c === 9 || c === 10 || c === 13) k++;
    else if ((c === 45 || c === 46 || c === 47) && punct === 0) {
      punct++;
      k++;
    } else if ((c === 40 || c === 41) && paren === 0) {
      paren++;
      k++;
    } else break;
  }
  return k > i && k < t.length && isDigit(t.charCodeAt(k)) ? k - i : 0;
}

/** Digit runs not glued to letters: "4111 1111-1111.1111", "123-45-6789", "0412\n345 678". */
export function extractDigitRuns(t: string): DigitRun[] {
  const runs: DigitRun[] = [];
  const n = t.length;
  let i = 0;
  const nextDigit = /\d/g;
  while (i < n) {
    if (!isDigit(t.charCodeAt(i))) {
      nextDigit.lastIndex = i;
      if (!nextDigit.test(t)) break;
      i = nextDigit.lastIndex - 1;
      continue;
    }
    if (i > 0 && isAsciiAlnum(t.charCodeAt(i - 1))) {
      // Digits inside a word (hashes, SKUs, v1.2): not a numeric candidate.
      while (i < n && isAsciiAlnum(t.charCodeAt(i))) i++;
      continue;
    }
    const groups: number[] = [];
    let groupStart = i;
    for (;;) {
      while (i < n && isDigit(t.charCodeAt(i))) i++;
      groups.push(groupStart, i);
      const sep = separatorLength(t, i);
      if (sep === 0) break;
      i += sep;
      groupStart = i;
    }
    // A phone extension glued to the number ("4466x8827") ends the run but keeps its last group.
    const extension = i < n ? /^(?:x|ext)\d{1,6}(?![A-Za-z0-9])/i.exec(t.slice(i, i + 10)) : null;
    if (extension) i += extension[0].length;
    // Otherwise a last group glued to letters ("2671abc") belongs to a word: drop it.
    else if (i < n && isAsciiAlnum(t.charCodeAt(i))) {
      groups.length -= 2;
      while (i < n && isAsciiAlnum(t.charCodeAt(i))) i++;
    }
    if (groups.length > 0)
      runs.push({ start: groups[0] as number, end: groups[groups.length - 1] as number, groups });
  }
  return runs;
}

export class ScanContext {
  readonly text: string;
  readonly features: TextFeatures;
  private runs: DigitRun[] | undefined;

  constructor(text: string) {
    this.text = text;
    this.features = computeFeatures(text);
  }

  digitRuns(): DigitRun[] {
    this.runs ??= extractDigitRuns(this.text);
    return this.runs;
  }

  /** Per context matcher: where it may start in this text (null: unknown, always search). */
  private hits = new Map<ContextMatcher, number[] | null>();

  context(start: number, end: number, matcher: ContextMatcher, before = 48, after = 32): string | null {
    let hits = this.hits.get(matcher);
    if (hits === undefined) {
      hits = contextCandidates(this.text, matcher);
      this.hits.set(matcher, hits);
    }
    if (hits) {
      // findContext only looks inside [start - before, start) and [end, end + after).
      if (hits.length === 0) return null;
      if (
        !anyHitIn(hits, start - before, before > 0 ? start : start - before) &&
        !anyHitIn(hits, end, after > 0 ? end + after : end)
      )
        return null;
    }
    return findContext(this.text, start, end, matcher, before, after);
  }
}

interface RunIndex {
  digits: string;
  /** prefix[k] = number of digits in groups 0..k-1 */
  prefix: number[];
  lengths: number[];
  separators: string[];
  /**
   * Sub-span views already built, keyed by first and last group: nine recognizers walk the same
   * runs, and building the digit string and group arrays once instead of once per recognizer
   * removes most of the scan's allocations. Only kept for runs of a normal size.
   */
  views: Map<number, SpanView> | null;
}

interface SpanView {
  digits: string;
  lengths: number[];
  separators: string[];
}

/** A lazily built index kept on the run itself (a WeakMap lookup per visit costs more). */
type IndexedRun = DigitRun & { index?: RunIndex };

/** Digits, group lengths and separators of a run, computed once and shared by all recognizers. */
function indexRun(t: string, run: IndexedRun): RunIndex {
  if (run.index) return run.index;
  const g = run.groups;
  const parts: string[] = [];
  const prefix = [0];
  const lengths: number[] = [];
  const separators: string[] = [];
  for (let k = 0; k < g.length; k += 2) {
    const s = g[k] as number;
    const e = g[k + 1] as number;
    parts.push(t.slice(s, e));
    lengths.push(e - s);
    prefix.push((prefix[prefix.length - 1] as number) + e - s);
    if (k + 2 < g.length) separators.push(t.slice(e, g[k + 2] as number));
  }
  run.index = {
    digits: parts.join(''),
    prefix,
    lengths,
    separators,
    views: lengths.length <= 64 ? new Map() : null,
  };
  return run.index;
}

function spanView(index: RunIndex, i: number, j: number): SpanView {
  const key = i * 64 + j;
  let view = index.views?.get(key);
  if (!view) {
    view = {
      digits: index.digits.slice(index.prefix[i], index.prefix[j + 1]),
      lengths: index.lengths.slice(i, j + 1),
      separators: index.separators.slice(i, j),
    };
    index.views?.set(key, view);
  }
  return view;
}

/**
 * Calls `visit` for sub-spans of a digit run, longest first from each group, whose digit count is
 * within [minDigits, maxDigits]. When `visit` accepts a span the walk resumes after it, so two
 * numbers written side by side ("IDs 123456789 987654321") are found separately. The arrays
 * passed to `visit` are shared between recognizers: read them, never modify them.
 */
export function forEachDigitSpan(
  t: string,
  run: DigitRun,
  minDigits: number,
  maxDigits: number,
  visit: (
    start: number,
    end: number,
    digits: string,
    groupLengths: readonly number[],
    separators: readonly string[],
  ) => boolean,
): void {
  const g = run.groups;
  const index = indexRun(t, run);
  const prefix = index.prefix;
  const count = index.lengths.length;
  let i = 0;
  while (i < count) {
    let accepted = -1;
    let last = i;
    while (last < count && (prefix[last + 1] as number) - (prefix[i] as number) <= maxDigits) last++;
    for (let j = last - 1; j >= i && accepted < 0; j--) {
      if ((prefix[j + 1] as number) - (prefix[i] as number) < minDigits) break;
      const view = spanView(index, i, j);
      if (visit(g[i * 2] as number, g[j * 2 + 1] as number, view.digits, view.lengths, view.separators))
        accepted = j;
    }
    i = accepted >= 0 ? accepted + 1 : i + 1;
  }
}
