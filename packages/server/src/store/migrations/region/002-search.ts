import { type Kysely, sql } from 'kysely';

// Search support (see src/search/). fuzzystrmatch gives levenshtein_less_equal,
// which confirms a typo match that the pg_trgm index only shortlists (trigram
// similarity alone ranks "recipe" closer to "recieve" than "receive"). Like
// pg_trgm it ships with PostgreSQL's contrib and is a trusted extension.
// The partial index serves filter-only searches ("in:#x from:me"), which list
// a channel's live messages newest first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
    CREATE INDEX messages_channel_created_idx ON messages (channel_id, created_at) WHERE deleted_at IS NULL;
  `.execute(db);
}
