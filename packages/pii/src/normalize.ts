/**
 * Builds a normalised view of a message so that obfuscated values look like plain ones
 * (SPEC R6): invisible characters are dropped, Unicode digits, full-width forms, dashes and
 * spaces become ASCII, Cyrillic/Greek look-alike letters become Latin, and inline markup tags
 * inside values are removed. Every normalised index maps back into the original string, so
 * findings still point into what the user wrote.
 */

export interface NormalisedText {
  text: string;
  /** Maps a normalised span [start, end) to the original span; identity when nothing changed. */
  toOriginal(start: number, end: number): [number, number];
}

const IDENTITY = (start: number, end: number): [number, number] => [start, end];

/** Zero digit of each decimal-digit block we fold to ASCII (Arabic-Indic, Devanagari, full-width, ...). */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6,
  0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810, 0xff10,
];

/** Letters that render like Latin ones; people swap them in to dodge filters. */
const LOOKALIKES: Record<number, string> = {};
function addLookalikes(from: string, to: string): void {
  for (let i = 0; i < from.length; i++) LOOKALIKES[from.charCodeAt(i)] = to[i] as string;
}
// Cyrillic
addLookalikes('АВЕКМНОРСТХаеорсухіјѕԁԛԝ', 'ABEKMHOPCTXaeopcyxijsdqw');
addLookalikes('ІЈЅ', 'IJS');
// Greek
addLookalikes('ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαν', 'ABEZHIKMNOPTYXoav');

/** Every BMP code unit that normalisation changes, and what it becomes ('' = dropped). Built once. */
const FOLD = new Map<number, string>();
function foldRange(from: number, to: number, value: (c: number) => string): void {
  for (let c = from; c <= to; c++) FOLD.set(c, value(c));
}
// Invisible characters: soft hyphen, combining grapheme joiner, zero-width and bidi controls, BOM.
for (const [a, b] of [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x2069],
  [0xfeff, 0xfeff],
] as const)
  foldRange(a, b, () => '');
for (const [a, b] of [
  [0x00a0, 0x00a0],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
] as const)
  foldRange(a, b, () => ' ');
for (const [a, b] of [
  [0x2010, 0x2015],
  [0x2212, 0x2212],
  [0xfe63, 0xfe63],
  [0x2043, 0x2043],
] as const)
  foldRange(a, b, () => '-');
for (const zero of DIGIT_ZEROS) foldRange(zero, zero + 9, (c) => String.fromCharCode(48 + c - zero));
// Full-width ASCII (U+FF01..U+FF5E) sits at a fixed offset from ASCII.
foldRange(0xff01, 0xff5e, (c) => String.fromCharCode(c - 0xfee0));
for (const [code, latin] of Object.entries(LOOKALIKES)) FOLD.set(Number(code), latin);

// Inline tags are removed (they often split a value: 4111<b>1111</b>); block tags become a space
// so that words on either side stay separate.
const INLINE_TAGS = new Set([
  'b',
  'i',
  'u',
  'em',
  'strong',
  'span',
  'font',
  'a',
  'code',
  'mark',
  's',
  'sub',
  'sup',
  'small',
  'big',
  'kbd',
  'tt',
]);
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]{0,9})(?:\s[^<>]{0,200})?\/?>/y;

function isMathDigit(text: string, i: number): boolean {
  const cp = text.codePointAt(i) as number;
  return cp >= 0x1d7ce && cp <= 0x1d7ff;
}

/** True when some character would change; most messages, including emoji and non-Latin text, do not. */
const MAYBE_FOLDED = /[<\u0080-\uffff]/g;

function needsNormalising(text: string): boolean {
  MAYBE_FOLDED.lastIndex = 0;
  // A regex jumps between candidate characters far faster than a JavaScript loop visits each one.
  for (let m = MAYBE_FOLDED.exec(text); m; m = MAYBE_FOLDED.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x3c) {
        TAG.lastIndex = i;
        if (TAG.test(text)) return true;
      }
      continue;
    }
    if (FOLD.has(c) || (c >= 0xd835 && c <= 0xd835 && isMathDigit(text, i))) return true;
  }
  return false;
}

export function normalise(original: string): NormalisedText {
  if (!needsNormalising(original)) return { text: original, toOriginal: IDENTITY };
  const parts: string[] = [];
  // origStart[i] / origEnd[i]: where normalised unit i came from in the original.
  const origStart: number[] = [];
  const origEnd: number[] = [];
  const emit = (s: string, from: number, to: number): void => {
    for (let k = 0; k < s.length; k++) {
      parts.push(s[k] as string);
      origStart.push(from);
      origEnd.push(to);
    }
  };
  let i = 0;
  while (i < original.length) {
    const c = original.charCodeAt(i);
    if (c === 0x3c) {
      TAG.lastIndex = i;
      const m = TAG.exec(original);
      if (m) {
        const name = (m[1] as string).toLowerCase();
        if (!INLINE_TAGS.has(name)) emit(' ', i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < original.length) {
      const cp = original.codePointAt(i) as number;
      // Mathematical alphanumeric digits (bold, double-struck, sans, monospace): U+1D7CE..U+1D7FF.
      if (cp >= 0x1d7ce && cp <= 0x1d7ff) emit(String.fromCharCode(48 + ((cp - 0x1d7ce) % 10)), i, i + 2);
      else emit(original.slice(i, i + 2), i, i + 2);
      i += 2;
      continue;
    }
    const folded = c >= 0x80 ? FOLD.get(c) : undefined;
    emit(folded ?? (original[i] as string), i, i + 1);
    i++;
  }
  const text = parts.join('');
  const toOriginal = (start: number, end: number): [number, number] => {
    if (end <= start) return [origStart[start] ?? original.length, origStart[start] ?? original.length];
    return [origStart[start] as number, origEnd[end - 1] as number];
  };
  return { text, toOriginal };
}
