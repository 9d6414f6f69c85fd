import { type Kysely, type RawBuilder, sql } from 'kysely';
import { MESSAGE_COLUMNS, type MessageRow } from '../presenters/messages.ts';
import type { RegionDB } from '../store/tables.ts';
import type { SearchPosition } from './cursor.ts';
import {
  allowedEdits,
  fuzzyWords,
  hasText,
  type ParsedSearch,
  positiveText,
  websearchText,
} from './parse-query.ts';

export interface RegionSearch {
  /** Only these channels are searched: the caller decided the person may read them. */
  channelIds: string[];
  parsed: ParsedSearch;
  /** Resolved from: filters; null means anyone. */
  authorIds: string[] | null;
  after: SearchPosition | null;
  /** Rows to return (the caller asks for one more than a page to know if there is a next). */
  take: number;
}

export interface RegionHit {
  row: MessageRow;
  position: SearchPosition;
  highlights: string[];
}

// Scores: an exact (stemmed) full-text match scores 1 + ts_rank_cd normalised
// into [0, 1), so it always outranks a lenient match, which scores at most 0.9
// (the mean over the words of 1 exact token, 0.9 prefix, 0.8 / 0.6 for one /
// two edits). A search with filters only scores 0 and sorts by recency.
const EXACT_BASE = 1;
const FUZZY_WEIGHT = 0.9;
// pg_trgm shortlists lenient candidates through the trigram index at this
// word similarity; levenshtein then decides.
const TRGM_SHORTLIST = 0.3;
// Tokens longer than this are not words anyone misspells (and levenshtein caps at 255).
const MAX_TOKEN = 64;
const RS = '\u001e';
// Short plain-text fragments with «» around matches. Literal «» and the
// fragment separator are swapped out of the text first so markers are unambiguous.
const HEADLINE_OPTIONS = `StartSel="«", StopSel="»", MaxWords=18, MinWords=6, ShortWord=2, MaxFragments=3, FragmentDelimiter="${RS}"`;

/** The message columns (never the search vector) qualified by a table alias. */
const columns = (alias: string) => sql.raw(MESSAGE_COLUMNS.map((c) => `${alias}.${c}`).join(', '));

/** One lateral per lenient word: its best score among the message's tokens, and the tokens that matched. */
function fuzzyLateral(tsq: RawBuilder<unknown>, word: string, i: number): RawBuilder<unknown> {
  const k = allowedEdits(word);
  const alias = sql.raw(`f${i}`);
  return sql`
    CROSS JOIN LATERAL (
      SELECT max(x.sc) AS s, array_agg(x.tok) FILTER (WHERE x.sc > 0) AS toks
      FROM (
        SELECT t.tok, CASE
          WHEN t.tok = ${word} THEN 1.0
          WHEN starts_with(t.tok, ${word}) THEN 0.9
          WHEN ${k}::int = 0 OR length(t.tok) > ${MAX_TOKEN}::int THEN 0
          WHEN levenshtein_less_equal(t.tok, ${word}, ${k}::int) <= ${k}::int
            THEN 1.0 - 0.2 * levenshtein_less_equal(t.tok, ${word}, ${k}::int)
          ELSE 0 END AS sc
        -- An exact match needs no lenient score: skip tokenizing its text.
        FROM regexp_split_to_table(CASE WHEN c.search @@ ${tsq} THEN '' ELSE lower(c.text) END, '[^[:alnum:]]+') AS t(tok)
      ) x
    ) ${alias}`;
}

/** Searches one region's messages in the given channels, in the shared total order. */
export async function searchRegion(db: Kysely<RegionDB>, s: RegionSearch): Promise<RegionHit[]> {
  const p = s.parsed;
  const text = hasText(p);
  const tsq = sql`websearch_to_tsquery('english', ${websearchText(p)})`;
  const fuzzy = text ? fuzzyWords(p) : [];
  const f = (i: number) => sql.raw(`f${i}`);

  const where: RawBuilder<unknown>[] = [
    sql`m.channel_id = ANY(${s.channelIds}::uuid[])`,
    sql`m.deleted_at IS NULL`,
  ];
  if (s.authorIds) where.push(sql`m.author_id = ANY(${s.authorIds}::uuid[])`);
  if (p.createdFrom) where.push(sql`m.created_at >= ${p.createdFrom.toISOString()}::timestamptz`);
  if (p.createdBefore) where.push(sql`m.created_at < ${p.createdBefore.toISOString()}::timestamptz`);
  if (p.inThread) where.push(sql`(m.thread_root_id IS NOT NULL OR m.reply_count > 0)`);
  for (const x of p.excludedWords) where.push(sql`NOT (m.search @@ plainto_tsquery('english', ${x}))`);
  for (const x of p.excludedPhrases) where.push(sql`NOT (m.search @@ phraseto_tsquery('english', ${x}))`);
  if (text) {
    // Both branches are index-backed: the tsvector GIN and the trigram GIN.
    const shortlist = fuzzy.length
      ? sql.join(
          fuzzy.map((w) => sql`${w} <% m.text`),
          sql` AND `,
        )
      : sql`false`;
    where.push(sql`(m.search @@ ${tsq} OR (${shortlist}))`);
  }

  let score: RawBuilder<unknown> = sql`0::float8`;
  let matches: RawBuilder<unknown> = sql`true`;
  let tokens: RawBuilder<unknown> = sql`'{}'::text[]`;
  if (text) {
    const fuzzyMean = fuzzy.length
      ? sql`(${sql.join(
          fuzzy.map((_, i) => sql`coalesce(${f(i)}.s, 0)`),
          sql` + `,
        )}) / ${fuzzy.length}::numeric`
      : sql`0`;
    score = sql`CASE WHEN c.search @@ ${tsq} THEN ${EXACT_BASE}::float8 + ts_rank_cd(c.search, ${tsq}, 32)::float8
      ELSE (${FUZZY_WEIGHT}::numeric * ${fuzzyMean})::float8 END`;
    const lenient = fuzzy.length
      ? sql.join(
          [
            ...fuzzy.map((_, i) => sql`coalesce(${f(i)}.s, 0) > 0`),
            ...p.phrases.map((x) => sql`c.search @@ phraseto_tsquery('english', ${x})`),
          ],
          sql` AND `,
        )
      : sql`false`;
    matches = sql`(c.search @@ ${tsq} OR (${lenient}))`;
    if (fuzzy.length)
      tokens = sql`array_remove(${sql.join(
        fuzzy.map((_, i) => sql`coalesce(${f(i)}.toks, '{}')`),
        sql` || `,
      )}, NULL)`;
  }

  const cursor = s.after
    ? sql`WHERE (sc.score, sc.created_at, sc.id) < (${s.after.score}::float8, ${s.after.createdAt}::timestamptz, ${s.after.id}::uuid)`
    : sql``;
  const clean = sql`translate(pg.text, ${`«»${RS}`}, ${'‹› '})`;
  const headline = text
    ? sql`CASE
        WHEN pg.exact THEN ts_headline('english', ${clean}, websearch_to_tsquery('english', ${positiveText(p)}), ${HEADLINE_OPTIONS})
        WHEN cardinality(pg.tokens) > 0 THEN ts_headline('simple', ${clean}, to_tsquery('simple', array_to_string(ARRAY(SELECT quote_literal(t) FROM unnest(pg.tokens) t), ' | ')), ${HEADLINE_OPTIONS})
        ELSE NULL END`
    : sql`NULL`;

  const query = sql<MessageRow & { score: number; created_at_text: string; headline: string | null }>`
    WITH candidates AS (
      SELECT ${columns('m')}, m.search FROM messages m WHERE ${sql.join(where, sql` AND `)}
    ),
    scored AS (
      SELECT ${columns('c')}, ${score} AS score, ${text ? sql`c.search @@ ${tsq}` : sql`false`} AS exact, ${tokens} AS tokens
      FROM candidates c ${sql.join(
        fuzzy.map((w, i) => fuzzyLateral(tsq, w, i)),
        sql` `,
      )}
      WHERE ${matches}
    ),
    page AS (
      SELECT * FROM scored sc ${cursor}
      ORDER BY sc.score DESC, sc.created_at DESC, sc.id DESC
      LIMIT ${s.take}
    )
    SELECT ${columns('pg')}, pg.score,
      to_char(pg.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_text,
      ${headline} AS headline
    FROM page pg
    ORDER BY pg.score DESC, pg.created_at DESC, pg.id DESC`;

  const rows = await db.transaction().execute(async (trx) => {
    // Scoped to this read-only transaction: the threshold the `<%` shortlist uses.
    await sql`SET TRANSACTION READ ONLY`.execute(trx);
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TRGM_SHORTLIST)}, true)`.execute(
      trx,
    );
    return (await query.execute(trx)).rows;
  });
  return rows.map(({ score, created_at_text, headline, ...row }) => ({
    row,
    position: { score, createdAt: created_at_text, id: row.id },
    highlights: headline
      ? headline
          .split(RS)
          .map((h) => h.trim())
          .filter(Boolean)
      : [],
  }));
}
