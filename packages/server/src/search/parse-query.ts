import { AppError } from '../lib/errors.ts';
import { isUuid } from '../lib/ids.ts';

// The search box language, parsed without any I/O so it can be unit-tested and
// explained in docs/search.md. Everything that is not a known filter is text.

export type ChannelRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };
export type AuthorRef = { kind: 'id'; id: string } | { kind: 'email'; email: string } | { kind: 'me' };

export interface ParsedSearch {
  /** Words every result must contain (stemmed full-text match, or a near spelling). */
  words: string[];
  /** "Quoted phrases": the words in this order, next to each other. */
  phrases: string[];
  /** -words and -"phrases" no result may contain. */
  excludedWords: string[];
  excludedPhrases: string[];
  /** in: filters; several mean "any of these channels". */
  channels: ChannelRef[];
  /** from: filters; several mean "written by any of these people". */
  authors: AuthorRef[];
  /** Inclusive lower and exclusive upper bound on created_at (UTC days). */
  createdFrom: Date | null;
  createdBefore: Date | null;
  /** has:thread: the message started a thread that has replies, or is a reply. */
  inThread: boolean;
}

const FILTERS = ['in', 'from', 'before', 'after', 'on', 'has'] as const;
type Filter = (typeof FILTERS)[number];
const FILTER_TOKEN = /^(in|from|before|after|on|has):(.*)$/is;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CHANNEL_NAME = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_-]*$/u;
const MS_PER_DAY = 86_400_000;

/** A malformed filter: names the filter, never repeats what the person typed. */
function bad(filter: Filter, problem: string): never {
  throw new AppError('INVALID_SEARCH_QUERY', `The "${filter}:" filter ${problem}.`, { details: { filter } });
}

/** Splits the query into raw tokens: `word`, `-word`, `"a phrase"`, `-"a phrase"`, `key:value`. */
export function tokenize(q: string): { text: string; quoted: boolean; negated: boolean }[] {
  const tokens: { text: string; quoted: boolean; negated: boolean }[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q[i]!)) i++;
    if (i >= q.length) break;
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1]!)) {
      negated = true;
      i++;
    }
    if (q[i] === '"') {
      // An unclosed quote runs to the end, as in web search engines.
      const end = q.indexOf('"', i + 1);
      const stop = end === -1 ? q.length : end;
      tokens.push({ text: q.slice(i + 1, stop), quoted: true, negated });
      i = stop + 1;
      continue;
    }
    const start = i;
    while (i < q.length && !/\s/.test(q[i]!) && q[i] !== '"') i++;
    tokens.push({ text: q.slice(start, i), quoted: false, negated });
  }
  return tokens;
}

function utcDay(filter: Filter, value: string): Date {
  const m = DAY.exec(value);
  if (!m) bad(filter, 'needs a date written as YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2024-02-30 over to March; a real calendar day round-trips.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    bad(filter, 'needs a real calendar date written as YYYY-MM-DD');
  }
  return date;
}

function channelRef(value: string): ChannelRef {
  if (isUuid(value)) return { kind: 'id', id: value.toLowerCase() };
  const name = (value.startsWith('#') ? value.slice(1) : value).normalize('NFKC').toLowerCase();
  if (!CHANNEL_NAME.test(name)) bad('in', 'needs a channel written as #channel-name or a channel id');
  return { kind: 'name', name };
}

function authorRef(value: string): AuthorRef {
  const bare = value.startsWith('@') ? value.slice(1) : value;
  if (bare.toLowerCase() === 'me') return { kind: 'me' };
  if (isUuid(bare)) return { kind: 'id', id: bare.toLowerCase() };
  if (!value.startsWith('@') && EMAIL.test(value) && value.length <= 254)
    return { kind: 'email', email: value.toLowerCase() };
  return bad('from', 'needs a person written as @user-id, an email address, or me');
}

const later = (a: Date | null, b: Date) => (a && a > b ? a : b);
const earlier = (a: Date | null, b: Date) => (a && a < b ? a : b);

/** Parses a search query. Throws INVALID_SEARCH_QUERY naming the first malformed filter. */
export function parseSearchQuery(q: string): ParsedSearch {
  const out: ParsedSearch = {
    words: [],
    phrases: [],
    excludedWords: [],
    excludedPhrases: [],
    channels: [],
    authors: [],
    createdFrom: null,
    createdBefore: null,
    inThread: false,
  };
  for (const token of tokenize(q)) {
    const filter = token.quoted ? null : FILTER_TOKEN.exec(token.text);
    if (filter) {
      const key = filter[1]!.toLowerCase() as Filter;
      const value = filter[2]!;
      if (token.negated) bad(key, 'cannot be negated with "-"');
      if (!value) bad(key, 'needs a value');
      switch (key) {
        case 'in':
          out.channels.push(channelRef(value));
          break;
        case 'from':
          out.authors.push(authorRef(value));
          break;
        case 'before':
          out.createdBefore = earlier(out.createdBefore, utcDay(key, value));
          break;
        case 'after':
          out.createdFrom = later(out.createdFrom, new Date(utcDay(key, value).getTime() + MS_PER_DAY));
          break;
        case 'on': {
          const day = utcDay(key, value);
          out.createdFrom = later(out.createdFrom, day);
          out.createdBefore = earlier(out.createdBefore, new Date(day.getTime() + MS_PER_DAY));
          break;
        }
        case 'has':
          if (value.toLowerCase() !== 'thread') bad(key, 'supports only has:thread');
          out.inThread = true;
          break;
      }
      continue;
    }
    const text = token.text.trim().replace(/\s+/g, ' ');
    if (!text || !/[\p{L}\p{N}]/u.test(text)) continue;
    if (token.quoted && text.includes(' ')) (token.negated ? out.excludedPhrases : out.phrases).push(text);
    else if (token.negated) out.excludedWords.push(text);
    // "or" would turn into an operator in websearch_to_tsquery; every word must match here.
    else if (text.toLowerCase() !== 'or') out.words.push(text);
  }
  return out;
}

/** True when the query has text to match, not only filters. */
export function hasText(p: ParsedSearch): boolean {
  return p.words.length > 0 || p.phrases.length > 0;
}

/**
 * The text part rebuilt for websearch_to_tsquery (which never fails on odd
 * input). Quotes inside terms cannot occur: the tokenizer splits on them.
 */
export function websearchText(p: ParsedSearch): string {
  return [
    ...p.words,
    ...p.phrases.map((x) => `"${x}"`),
    ...p.excludedWords.map((x) => `-${x}`),
    ...p.excludedPhrases.map((x) => `-"${x}"`),
  ].join(' ');
}

/** Positive text in the tsquery sense, without exclusions: what highlights mark. */
export function positiveText(p: ParsedSearch): string {
  return [...p.words, ...p.phrases.map((x) => `"${x}"`)].join(' ');
}

export const MAX_FUZZY_WORDS = 8;

/**
 * The words matched leniently (prefix or a typo or two) when the exact
 * full-text match fails: lower-cased letter/digit runs of 3+ characters.
 * Long queries are precise enough; they get no fuzzy branch (empty list).
 */
export function fuzzyWords(p: ParsedSearch): string[] {
  const parts = [
    ...new Set(p.words.flatMap((w) => w.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 3)),
  ];
  return parts.length > MAX_FUZZY_WORDS ? [] : parts;
}

/** How many edits a word may be away and still count: 0 below 4 letters, 1 up to 6, else 2. */
export function allowedEdits(word: string): number {
  if (word.length < 4) return 0;
  return word.length <= 6 ? 1 : 2;
}
