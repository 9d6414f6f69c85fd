import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import type { Candidate, ScanContext } from '../scan-context.ts';
import {
  AMBIGUOUS_GIVEN_NAMES,
  BRAND_NAMES,
  GIVEN_NAMES,
  NOT_NAME_WORDS,
  SURNAME_SET,
} from './names-data.ts';

const NAME_CONTEXT = compileContext([
  'name',
  'full name',
  'legal name',
  'real name',
  'first name',
  'last name',
  'surname',
  'given name',
  'given names',
  'named',
  'customer',
  'user',
  'client',
  'member',
  'reporter',
  'reported by',
  'claimant',
  'complainant',
  'victim',
  'suspect',
  'subject',
  'cardholder',
  'card holder',
  'account holder',
  'holder',
  'applicant',
  'signed',
  'signature',
  'regards',
  'from',
  'cc',
  'contact',
  'parent',
  'mother',
  'father',
  'son',
  'daughter',
  'wife',
  'husband',
  'spouse',
  'child',
  'minor',
  'employee',
  'driver',
  'passenger',
  'seller',
  'buyer',
  'creator',
  'streamer',
  'influencer',
  'aka',
  'alias',
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'officer',
  'detective',
  'agent',
  'tenant',
  'patient',
  'guardian',
  'beneficiary',
  'payee',
  'sender',
  'recipient',
]);
const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'sgt',
  'det',
  'officer',
  'detective',
]);
const PARTICLE_GAP =
  /^ (?:van|von|de|der|den|da|di|del|della|du|la|le|ten|ter|bin|ibn|al|el|dos|das|do|mac)(?: (?:der|den|la|los))? $/;

interface Token {
  start: number;
  end: number;
  lower: string;
  upper: boolean;
  initial: boolean;
}

// Latin script only (the name lists are Latin), and without the /u flag: Unicode property
// classes make V8 scan an order of magnitude slower. Non-ASCII first letters are checked below.
const CAPITALISED =
  /[A-Z\u00C0-\u00DE\u0100-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF'’-]*/g;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const CAPITALISED_PAIR = /[A-Z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]*\.? [A-Z\u00C0-\u024F]/;
const TRAILING_JOINER = /['’-]$/;
const POSSESSIVE = /['’]s$/i;

function isWordChar(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  if (Number.isNaN(c)) return false;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  return c > 0x7f && LETTER_OR_DIGIT.test(t[i] as string);
}

/** Capitalised words, all-caps words and initials ("J."), in order; found by one regex scan. */
function capitalisedTokens(t: string): Token[] {
  const tokens: Token[] = [];
  CAPITALISED.lastIndex = 0;
  for (let m = CAPITALISED.exec(t); m; m = CAPITALISED.exec(t)) {
    const start = m.index;
    if (start > 0 && isWordChar(t, start - 1)) continue;
    const first = m[0][0] as string;
    if (first.toLowerCase() === first) continue;
    let word = m[0];
    while (TRAILING_JOINER.test(word)) word = word.slice(0, -1);
    let end = start + word.length;
    const after = t.charCodeAt(end);
    if (after >= 48 && after <= 57) continue; // "A1", "Q3": codes, not names
    // Possessive "Smith's" names Smith.
    if (word.length > 3 && POSSESSIVE.test(word)) end -= 2;
    const text = t.slice(start, end);
    const initial = text.length === 1;
    tokens.push({
      start,
      end: initial && t[end] === '.' ? end + 1 : end,
      lower: text.toLowerCase(),
      upper: text.length > 1 && text === text.toUpperCase(),
      initial,
    });
  }
  return tokens;
}

function joinable(t: string, a: Token, b: Token): boolean {
  const gap = t.slice(a.end, b.start);
  return gap === ' ' || (a.initial && gap === '') || PARTICLE_GAP.test(gap);
}

/** Short all-caps words (PD, FBI, LLC) are agencies and suffixes, not parts of a mixed-case name. */
function shortCaps(w: Token): boolean {
  return w.upper && w.lower.length <= 4 && !SURNAME_SET.has(w.lower);
}

function scoreName(ctx: ScanContext, seq: Token[], honorific: Token | null, out: Candidate[]): void {
  let words = seq.filter((x) => !x.initial);
  // "Reporter Sofia Lindqvist": drop leading words that are not given names when a given name follows.
  while (words.length > 2 && !GIVEN_NAMES.has(words[0]!.lower) && GIVEN_NAMES.has(words[1]!.lower))
    words = words.slice(1);
  if (words.some((w) => !w.upper)) {
    const cut = words.findIndex((w, idx) => idx > 0 && shortCaps(w));
    if (cut > 0) words = words.slice(0, cut);
  }
  // "John Smith Called": end the name at the last known surname when one is inside the sequence.
  if (words.length > 2 && !SURNAME_SET.has(words[words.length - 1]!.lower)) {
    const cut = words.findLastIndex((w, idx) => idx > 0 && SURNAME_SET.has(w.lower));
    words = words.slice(0, cut > 0 ? cut + 1 : 2);
  }
  if (words.length > 4) words = words.slice(0, 4);
  if (words.length === 0 || seq[0]!.initial) return;
  const first = words[0] as Token;
  const last = words[words.length - 1] as Token;
  if (words.length < 2 && !honorific) return;
  if (
    BRAND_NAMES.has(`${first.lower} ${last.lower}`) ||
    (honorific && BRAND_NAMES.has(`${honorific.lower} ${first.lower}`))
  )
    return;
  const start = first.start;
  const end = last.end;
  const word = honorific ? 'title' : ctx.context(start, end, NAME_CONTEXT, 40, 0);
  const givenKnown = GIVEN_NAMES.has(first.lower);
  const surnameKnown = words.length > 1 && SURNAME_SET.has(last.lower);
  const ambiguous = AMBIGUOUS_GIVEN_NAMES.has(first.lower);
  const caps = words.every((w) => w.upper);
  let score: number;
  let why: string;
  if (words.length === 1) [score, why] = [0.8, 'title + surname'];
  else if (givenKnown && surnameKnown) [score, why] = [0.9, 'known given name + known surname'];
  else if (givenKnown && !ambiguous) [score, why] = [0.75, 'known given name + capitalised surname'];
  else if (givenKnown) [score, why] = [0.4, 'given name that is also a common word'];
  else if (surnameKnown) [score, why] = [0.45, 'capitalised word + known surname'];
  else [score, why] = [0.35, 'capitalised word pair'];
  if (word) score = Math.max(score, words.length === 1 ? 0.8 : 0.85);
  if (caps && !word && !(givenKnown && surnameKnown)) return; // SHOUTED HEADINGS are not names
  out.push({
    type: 'PERSON',
    start,
    end,
    score,
    detector: 'person',
    explanation: `${why}${contextNote(word)}`,
    specificity: 2,
  });
}

/**
 * PERSON (SPEC R23): full names, i.e. two or more capitalised words (initials and particles such
 * as "van der" allowed) scored by given-name and surname lists, or one or more words after a
 * title. Words that start sentences, name products or organisations break a sequence.
 */
export const personRecognizer: Recognizer = {
  name: 'person',
  types: ['PERSON'],
  // Every full name has a capitalised word after a space (the pair, or a title and a name).
  gate: (f) => f.spaceCapital,
  find(ctx, out) {
    const t = ctx.text;
    if (!CAPITALISED_PAIR.test(t)) return;
    const tokens = capitalisedTokens(t);
    let i = 0;
    while (i < tokens.length) {
      const tok = tokens[i] as Token;
      const honorific =
        HONORIFICS.has(tok.lower) && /^\.? $/.test(t.slice(tok.end, tokens[i + 1]?.start ?? tok.end));
      const startAt = honorific ? i + 1 : i;
      if (!honorific && (NOT_NAME_WORDS.has(tok.lower) || HONORIFICS.has(tok.lower))) {
        i++;
        continue;
      }
      const seq: Token[] = [];
      let k = startAt;
      while (k < tokens.length && seq.length < 5) {
        const cur = tokens[k] as Token;
        if (NOT_NAME_WORDS.has(cur.lower) && !cur.initial) break;
        if (seq.length > 0 && !joinable(t, seq[seq.length - 1] as Token, cur)) break;
        seq.push(cur);
        k++;
      }
      if (seq.length > 0) scoreName(ctx, seq, honorific ? tok : null, out);
      i = Math.max(k, i + 1);
    }
  },
};
