import { type Kysely, sql } from 'kysely';

// Every channel carries a classification label (docs/data-protection/policy.md,
// PO-2). New channels get the active policy's default for their kind; rows that
// exist before this migration get the shipped default policy's defaults
// (public channels "internal", everything else "confidential"). The column
// default is the protective one, for any insert that does not name a label.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE channels ADD COLUMN label text NOT NULL DEFAULT 'confidential';
    UPDATE channels SET label = 'internal' WHERE kind = 'public';
    CREATE INDEX channels_label_idx ON channels (label);
  `.execute(db);
}
