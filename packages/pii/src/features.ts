/**
 * The anchor pass of the prefilter (SPEC R7): one walk over the text records every cheap fact a
 * recognizer's gate needs (digit counts, the longest grouped digit run, rare punctuation, capitals
 * after a space, long word-like tokens, non-ASCII). Gates then decide which recognizers can fire,
 * so a typical message runs two or three of them instead of twenty. One JavaScript loop over a
 * class table costs about as much as two small regular-expression calls on a chat-sized message
 * and replaces ten of them (the counts, the normalisation test, the capital-pair test).
 */

export interface TextFeatures {
  readonly length: number;
  readonly digits: number;
  /** Longest stretch of digits where separators ( .-/+() whitespace) may sit between groups. */
  readonly maxGroupedDigits: number;
  readonly at: number;
  readonly colons: number;
  readonly hyphens: number;
  readonly dots: number;
  readonly lessThan: number;
  /** Capital letters A–Z, capped at 8; 8 when the text has any non-ASCII character (it may hold other capitals). */
  readonly upper: number;
  readonly underscores: number;
  readonly equals: number;
  /** A space followed by a capital (A–Z or Latin U+00C0–U+024F): every full name has one. */
  readonly spaceCapital: boolean;
  /** Some unit ≥ U+0080: normalisation or non-ASCII context words may apply. */
  readonly nonAscii: boolean;
  /** Longest run of [A-Za-z0-9]: wallets and most tokens are long unbroken runs. */
  readonly longestAlnumRun: number;
  /** Longest run of [A-Za-z0-9_-]: documented token formats. */
  readonly longestWordRun: number;
}

// Character classes of ASCII units, as bits, so the loop does one table load per unit.
const DIGIT = 1;
const ALNUM = 2;
const WORD = 4; // alnum, '_' or '-'
const DIGIT_SEPARATOR = 8; // may continue a grouped digit run
const UPPER = 16;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT | ALNUM | WORD | DIGIT_SEPARATOR;
for (let c = 65; c <= 90; c++) CLASS[c] = ALNUM | WORD | UPPER;
for (let c = 97; c <= 122; c++) CLASS[c] = ALNUM | WORD;
CLASS[95] = WORD; // _
CLASS[45] = WORD | DIGIT_SEPARATOR; // -
for (const ch of ' \t\r\n()./+') {
  const code = ch.charCodeAt(0);
  CLASS[code] = (CLASS[code] as number) | DIGIT_SEPARATOR;
}

export function computeFeatures(t: string): TextFeatures {
  const n = t.length;
  let digits = 0;
  let grouped = 0;
  let maxGroupedDigits = 0;
  let inDigitCluster = false;
  let at = 0;
  let colons = 0;
  let hyphens = 0;
  let dots = 0;
  let lessThan = 0;
  let upper = 0;
  let underscores = 0;
  let equals = 0;
  let spaceCapital = false;
  let nonAscii = false;
  let alnumRun = 0;
  let longestAlnumRun = 0;
  let wordRun = 0;
  let longestWordRun = 0;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    let c = t.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // Lower-case letters are most of any chat text: consume the whole run at once.
      let j = i + 1;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c < 97 || c > 122) break;
        j++;
      }
      const run = j - i;
      inDigitCluster = false;
      alnumRun += run;
      if (alnumRun > longestAlnumRun) longestAlnumRun = alnumRun;
      wordRun += run;
      if (wordRun > longestWordRun) longestWordRun = wordRun;
      previous = 97;
      i = j - 1;
      continue;
    }
    if (c >= 128) {
      nonAscii = true;
      if (previous === 32 && c >= 0xc0 && c <= 0x24f) spaceCapital = true;
      inDigitCluster = false;
      alnumRun = 0;
      wordRun = 0;
      previous = c;
      continue;
    }
    const cls = CLASS[c] as number;
    if (cls & DIGIT) {
      digits++;
      if (!inDigitCluster) {
        inDigitCluster = true;
        grouped = 0;
      }
      if (++grouped > maxGroupedDigits) maxGroupedDigits = grouped;
    } else if (!(cls & DIGIT_SEPARATOR)) inDigitCluster = false;
    if (cls & ALNUM) {
      if (++alnumRun > longestAlnumRun) longestAlnumRun = alnumRun;
    } else alnumRun = 0;
    if (cls & WORD) {
      if (++wordRun > longestWordRun) longestWordRun = wordRun;
    } else wordRun = 0;
    if (cls & UPPER) {
      upper++;
      if (previous === 32) spaceCapital = true;
    } else if (!(cls & ALNUM)) {
      // Rare punctuation, counted exactly (gates compare with small thresholds).
      if (c === 64) at++;
      else if (c === 58) colons++;
      else if (c === 45) hyphens++;
      else if (c === 46) dots++;
      else if (c === 60) lessThan++;
      else if (c === 95) underscores++;
      else if (c === 61) equals++;
    }
    previous = c;
  }
  return {
    length: n,
    digits,
    maxGroupedDigits,
    at,
    colons,
    hyphens,
    dots,
    lessThan,
    upper: nonAscii ? 8 : Math.min(upper, 8),
    underscores,
    equals,
    spaceCapital,
    nonAscii,
    longestAlnumRun,
    longestWordRun,
  };
}
