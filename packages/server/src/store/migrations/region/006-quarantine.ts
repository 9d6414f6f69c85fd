import { type Kysely, sql } from 'kysely';

// The quarantine review queue (PL-6). A held message's text is stored only
// sealed (AES-256-GCM under a per-row data key wrapped by the region key);
// rejecting it drops both, so nothing of it remains.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE quarantined_messages (
      id uuid PRIMARY KEY,
      channel_id uuid NOT NULL,
      author_id uuid NOT NULL,
      client_msg_id text NOT NULL,
      thread_root_id uuid,
      -- NULL once reviewed: approval delivers it tokenised, rejection destroys it.
      wrapped_key bytea,
      ciphertext bytea,
      nonce bytea,
      tag bytea,
      -- Types, actions and policy version only, never a value.
      decision jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      reviewer_id uuid,
      reviewed_at timestamptz,
      -- The reviewer's reason for a rejection, shown to the sender (checked to hold no personal data).
      review_reason text,
      delivered_message_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (channel_id, author_id, client_msg_id)
    );
    CREATE INDEX quarantined_messages_status_idx ON quarantined_messages (status, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE quarantined_messages`.execute(db);
}
