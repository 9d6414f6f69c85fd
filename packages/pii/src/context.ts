/**
 * Context words (SPEC R3): matched as whole words or phrases inside a window around a candidate,
 * never as substrings, so "lic" can never fire inside "public". Phrases tolerate the separators
 * people use in keys: "user id", "user_id", "user-id" and "userid" are the same phrase.
 */

export type ContextMatcher = RegExp;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a list of words/phrases into one case-insensitive whole-word matcher. */
export function compileContext(words: readonly string[]): ContextMatcher {
  const alternatives = [...words]
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((w) =>
      w
        .split(/[\s_-]+/)
        .map(escapeRegex)
        .join('[\\s_.\\-]{0,2}'),
    );
  const matcher = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const fragments = contextFragments(words);
  if (fragments.every((f) => !/[\u0080-\uffff]/.test(f))) {
    // An ASCII left boundary (not \b): "_" counts as a boundary here just as it does for the
    // matcher, so the quick check finds every position where the matcher could start.
    QUICK_CHECKS.set(
      matcher,
      new RegExp(
        `(?<![A-Za-z0-9])(?:${fragments
          .map(escapeRegex)
          .sort((a, b) => b.length - a.length)
          .join('|')})`,
        'gi',
      ),
    );
  }
  return matcher;
}

/**
 * For each context matcher, a cheap ASCII regex (no Unicode lookbehind) that matches at every
 * position where the matcher could start a match (a superset). One global scan per message lists
 * those positions; a candidate whose window contains none of them has no context word, which
 * rules out most windows without slicing the text or running the Unicode matcher.
 */
const QUICK_CHECKS = new WeakMap<ContextMatcher, RegExp>();

/** Positions where `matcher` may start a match in `text`, ascending; null when unknown (non-ASCII words). */
export function contextCandidates(text: string, matcher: ContextMatcher): number[] | null {
  const quick = QUICK_CHECKS.get(matcher);
  if (!quick) return null;
  const hits: number[] = [];
  quick.lastIndex = 0;
  for (let m = quick.exec(text); m; m = quick.exec(text)) hits.push(m.index);
  return hits;
}

/** True when some position in `hits` lies in [from, to). `hits` is ascending. */
export function anyHitIn(hits: readonly number[], from: number, to: number): boolean {
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i] as number;
    if (h >= to) return false;
    if (h >= from) return true;
  }
  return false;
}

function isWordUnit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 0x7f;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** True when only spaces and punctuation lie between the line start and `pos`. */
function onlyPunctuationBefore(text: string, lineStart: number, pos: number): boolean {
  for (let i = lineStart; i < pos; i++) if (isWordUnit(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Returns the context word nearest to [start, end) within `before` units before it or `after`
 * units after it, or null. Windows stay on the candidate's line (key-value blocks put one key per
 * line), except that a value alone on its line sees the previous line ("SSN:\n123-45-6789").
 * The window edges are pulled in to whole-word boundaries so a word cut by the window cannot
 * match as a fragment.
 */
export function findContext(
  text: string,
  start: number,
  end: number,
  matcher: ContextMatcher,
  before = 48,
  after = 32,
): string | null {
  let a = Math.max(0, start - before);
  let lineStart = start;
  while (lineStart > a && !isLineBreak(text.charCodeAt(lineStart - 1))) lineStart--;
  if (lineStart > a) {
    if (onlyPunctuationBefore(text, lineStart, start)) {
      let prev = lineStart - 1;
      while (prev > a && isLineBreak(text.charCodeAt(prev - 1))) prev--;
      while (prev > a && !isLineBreak(text.charCodeAt(prev - 1))) prev--;
      a = prev;
    } else a = lineStart;
  }
  while (a > 0 && a < start && isWordUnit(text.charCodeAt(a - 1))) a++;
  if (before > 0 && a < start) {
    const left = text.slice(a, start);
    matcher.lastIndex = 0;
    let last: string | null = null;
    for (let m = matcher.exec(left); m; m = matcher.exec(left)) last = m[0];
    if (last) return last;
  }
  if (after <= 0) return null;
  let b = Math.min(text.length, end + after);
  for (let i = end; i < b; i++) {
    if (isLineBreak(text.charCodeAt(i))) {
      b = i;
      break;
    }
  }
  while (b < text.length && b > end && isWordUnit(text.charCodeAt(b))) b--;
  matcher.lastIndex = 0;
  const right = matcher.exec(text.slice(end, b));
  return right ? right[0] : null;
}

/**
 * Lower-case words such that a text containing none of them as a word cannot contain any of
 * `words` as a context match. Used as the keyword prefilter (SPEC R7).
 */
export function contextFragments(words: readonly string[]): string[] {
  const out = new Set<string>();
  for (const w of words) {
    // Phrases may be written with no separator ("userid", "d.o.b" -> "dob"), so every prefix
    // concatenation of the phrase's word pieces is a fragment too.
    const pieces = w
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((p) => p.length > 0);
    let joined = '';
    for (const p of pieces) {
      joined += p;
      out.add(joined);
    }
  }
  return [...out];
}
