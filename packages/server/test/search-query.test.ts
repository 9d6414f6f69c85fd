import { describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.ts';
import { comparePositions, decodeCursor, encodeCursor, queryFingerprint } from '../src/search/cursor.ts';
import {
  allowedEdits,
  fuzzyWords,
  parseSearchQuery,
  tokenize,
  websearchText,
} from '../src/search/parse-query.ts';

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

function errorOf(q: string): AppError {
  try {
    parseSearchQuery(q);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the query to be rejected');
}

describe('search query parser', () => {
  it('splits words, quoted phrases and exclusions', () => {
    const p = parseSearchQuery('refund  "data subject request" -spam -"out of office" policy');
    expect(p.words).toEqual(['refund', 'policy']);
    expect(p.phrases).toEqual(['data subject request']);
    expect(p.excludedWords).toEqual(['spam']);
    expect(p.excludedPhrases).toEqual(['out of office']);
    expect(websearchText(p)).toBe('refund policy "data subject request" -spam -"out of office"');
  });

  it('runs an unclosed quote to the end and ignores punctuation-only tokens and a lone "or"', () => {
    const p = parseSearchQuery('cats or - ... "dogs and');
    expect(p.words).toEqual(['cats']);
    expect(p.phrases).toEqual(['dogs and']);
    expect(tokenize('a"b c"')).toEqual([
      { text: 'a', quoted: false, negated: false },
      { text: 'b c', quoted: true, negated: false },
    ]);
  });

  it('reads a one-word quote as a word and unknown key:value as text', () => {
    const p = parseSearchQuery('"invoice" ratio:3 https://example.com');
    expect(p.words).toEqual(['invoice', 'ratio:3', 'https://example.com']);
    expect(p.channels).toEqual([]);
  });

  it('parses in: as a channel name (with or without #) or a channel id', () => {
    const p = parseSearchQuery(`in:#General in:eu-cases IN:${ID.toUpperCase()}`);
    expect(p.channels).toEqual([
      { kind: 'name', name: 'general' },
      { kind: 'name', name: 'eu-cases' },
      { kind: 'id', id: ID },
    ]);
  });

  it('parses from: as @user-id, an email address or me', () => {
    const p = parseSearchQuery(`from:@${ID} from:Alice@Example.com from:me from:@me`);
    expect(p.authors).toEqual([
      { kind: 'id', id: ID },
      { kind: 'email', email: 'alice@example.com' },
      { kind: 'me' },
      { kind: 'me' },
    ]);
  });

  it('turns before:, after: and on: into UTC day bounds and intersects them', () => {
    const p = parseSearchQuery('before:2024-03-10 after:2024-03-01');
    expect(p.createdFrom?.toISOString()).toBe('2024-03-02T00:00:00.000Z');
    expect(p.createdBefore?.toISOString()).toBe('2024-03-10T00:00:00.000Z');
    const on = parseSearchQuery('on:2024-02-29 before:2024-12-31');
    expect(on.createdFrom?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(on.createdBefore?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    const twice = parseSearchQuery('before:2024-05-01 before:2024-04-01');
    expect(twice.createdBefore?.toISOString()).toBe('2024-04-01T00:00:00.000Z');
  });

  it('parses has:thread; filters alone are a valid query', () => {
    const p = parseSearchQuery('has:thread in:#general');
    expect(p.inThread).toBe(true);
    expect(p.words).toEqual([]);
  });

  it.each([
    ['before:2024-13-01', 'before'],
    ['after:2023-02-29', 'after'],
    ['on:yesterday', 'on'],
    ['has:files', 'has'],
    ['in:#Not$A$Channel', 'in'],
    ['from:@bob', 'from'],
    ['from:not-an-email', 'from'],
    ['in:', 'in'],
    ['-from:me', 'from'],
  ])('rejects %s naming the filter, without echoing the query', (q, filter) => {
    const err = errorOf(`secret-word ${q}`);
    expect(err.code).toBe('INVALID_SEARCH_QUERY');
    expect(err.extra.details).toEqual({ filter });
    expect(err.message).toContain(`"${filter}:"`);
    expect(err.message).not.toContain('secret-word');
    expect(err.message).not.toContain(q.split(':')[1] || '\u0000');
  });
});

describe('lenient words', () => {
  it('keeps letter/digit runs of 3+ characters, lower-cased and unique', () => {
    expect(fuzzyWords(parseSearchQuery('Invoic e-mail Invoic "a phrase" -recieve ok'))).toEqual([
      'invoic',
      'mail',
    ]);
  });
  it('drops the lenient branch for long queries', () => {
    expect(fuzzyWords(parseSearchQuery('one two three four five six seven eight nine'))).toEqual([]);
  });
  it('allows more edits for longer words', () => {
    expect([
      allowedEdits('abc'),
      allowedEdits('deal'),
      allowedEdits('refund'),
      allowedEdits('recieve'),
    ]).toEqual([0, 1, 1, 2]);
  });
});

describe('search cursor', () => {
  const pos = { score: 1.0833333333333333, createdAt: '2024-03-01T10:00:00.123456Z', id: ID };
  const print = queryFingerprint('w1', 'invoice');

  it('round-trips the exact position', () => {
    expect(decodeCursor(encodeCursor(pos, print), print)).toEqual(pos);
  });

  it('rejects a cursor from another query or a tampered one', () => {
    const c = encodeCursor(pos, print);
    expect(() => decodeCursor(c, queryFingerprint('w1', 'refund'))).toThrow(AppError);
    expect(() => decodeCursor(c, queryFingerprint('w2', 'invoice'))).toThrow(AppError);
    expect(() => decodeCursor('bm9wZQ', print)).toThrow(AppError);
    const tampered = Buffer.from(`1|NaN|${pos.createdAt}|${ID}|${print}`).toString('base64url');
    expect(() => decodeCursor(tampered, print)).toThrow(AppError);
  });

  it('orders by score, then newest, then id, all descending', () => {
    const a = { score: 2, createdAt: '2024-01-01T00:00:00.000000Z', id: ID };
    const b = { score: 1, createdAt: '2025-01-01T00:00:00.000000Z', id: ID };
    const c = { score: 1, createdAt: '2024-01-01T00:00:00.000001Z', id: ID };
    const d = { ...c, id: ID.replace(/5b$/, '5a') };
    expect([d, c, b, a].sort(comparePositions)).toEqual([a, b, c, d]);
  });
});
