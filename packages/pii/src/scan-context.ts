/**
 * Per-scan state shared by recognizers: cheap features computed in one pass (the prefilter,
 * SPEC R7) and lazily built views such as digit runs, so no recognizer re-walks the text for
 * something another one already found.
 */
import { anyHitIn, type ContextMatcher, contextCandidates, findContext } from './context.ts';
import { computeFeatures, type TextFeatures } from './features.ts';

export type { TextFeatures } from './features.ts';

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

/** "x123", "ext123" right after a run's digits; sticky, so it reads the text in place. */
const GLUED_EXTENSION = /(?:x|ext)\d{1,6}(?![A-Za-z0-9])/iy;

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
    // Only an 'x' or 'e' can start one, so most runs skip the regex and the slice it used to need.
    const next = i < n ? t.charCodeAt(i) | 0x20 : 0;
    let extension: RegExpExecArray | null = null;
    if (next === 0x78 || next === 0x65) {
      GLUED_EXTENSION.lastIndex = i;
      extension = GLUED_EXTENSION.exec(t);
    }
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

/**
 * Direct window searches before a matcher is indexed: one per 64 units of text, on texts longer
 * than 256 units. Measured on the corpus cut into 10 KB chunks: mean 4.1 -> 3.0 ms per chunk
 * against always indexing (1 KB chunks: 0.38 -> 0.33 ms).
 */
const LONG_TEXT = 256;
const WINDOW_SEARCHES_PER_SCAN_UNIT = 64;

export class ScanContext {
  readonly text: string;
  readonly features: TextFeatures;
  private runs: DigitRun[] | undefined;

  constructor(text: string, features: TextFeatures = computeFeatures(text)) {
    this.text = text;
    this.features = features;
  }

  digitRuns(): DigitRun[] {
    this.runs ??= extractDigitRuns(this.text);
    return this.runs;
  }

  /** Per context matcher: where it may start in this text (null: unknown, always search). */
  private hits: Map<ContextMatcher, number[] | null> | undefined;
  /** Per matcher, window searches done without an index (long texts only, see `context`). */
  private directSearches: Map<ContextMatcher, number> | undefined;

  context(start: number, end: number, matcher: ContextMatcher, before = 48, after = 32): string | null {
    this.hits ??= new Map();
    let hits = this.hits.get(matcher);
    if (hits === undefined) {
      // Indexing a matcher scans the whole text. On a long text with few candidates for this
      // matcher, searching each small window directly is cheaper (a 10 KB chunk touches ~30
      // matchers); index once the window searches would add up to about one whole-text scan.
      if (this.text.length > LONG_TEXT) {
        this.directSearches ??= new Map();
        const done = this.directSearches.get(matcher) ?? 0;
        if (done < this.text.length / WINDOW_SEARCHES_PER_SCAN_UNIT) {
          this.directSearches.set(matcher, done + 1);
          return findContext(this.text, start, end, matcher, before, after);
        }
      }
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
  run.index = { digits: parts.join(''), prefix, lengths, separators };
  return run.index;
}

/**
 * The groups of the sub-span being visited. One object per walk, updated before each visit and
 * valid only during it: most visits are rejected by a checksum on the digit string alone, so the
 * group arrays are built only when asked for (on a 10 KB run of "1 1 1 …" building them for every
 * visit was most of the scan time).
 */
export class DigitSpan {
  first = 0;
  last = 0;
  constructor(private readonly index: RunIndex) {}
  get groupCount(): number {
    return this.last - this.first + 1;
  }
  /** Digits in group k of the span (0 = its first group). */
  groupLength(k: number): number {
    return this.index.lengths[this.first + k] as number;
  }
  lengths(): number[] {
    return this.index.lengths.slice(this.first, this.last + 1);
  }
  separators(): string[] {
    return this.index.separators.slice(this.first, this.last);
  }
}

/**
 * Calls `visit` for sub-spans of a digit run, longest first from each group, whose digit count is
 * within [minDigits, maxDigits]. When `visit` accepts a span the walk resumes after it, so two
 * numbers written side by side ("IDs 123456789 987654321") are found separately. Work is bounded
 * by (groups × span lengths tried per group), each visit costing one substring.
 */
export function forEachDigitSpan(
  t: string,
  run: DigitRun,
  minDigits: number,
  maxDigits: number,
  visit: (start: number, end: number, digits: string, span: DigitSpan) => boolean,
): void {
  const g = run.groups;
  const index = indexRun(t, run);
  const prefix = index.prefix;
  const count = index.lengths.length;
  const span = new DigitSpan(index);
  let i = 0;
  while (i < count) {
    let accepted = -1;
    let last = i;
    while (last < count && (prefix[last + 1] as number) - (prefix[i] as number) <= maxDigits) last++;
    for (let j = last - 1; j >= i && accepted < 0; j--) {
      if ((prefix[j + 1] as number) - (prefix[i] as number) < minDigits) break;
      span.first = i;
      span.last = j;
      const digits = index.digits.slice(prefix[i], prefix[j + 1]);
      if (visit(g[i * 2] as number, g[j * 2 + 1] as number, digits, span)) accepted = j;
    }
    i = accepted >= 0 ? accepted + 1 : i + 1;
  }
}
