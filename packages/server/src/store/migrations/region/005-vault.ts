import { type Kysely, sql } from 'kysely';

// The region's vault (docs/data-protection/vault.md). Personal data appears here
// only as AES-256-GCM ciphertext under a per-subject data key, and that data key
// only wrapped by the region's key-encryption key, which is not in the database.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE vault_subjects (
      id uuid PRIMARY KEY,
      -- identified: one person, found by a keyed hash of an identifier (VA-5);
      -- message: the values of one message that named nobody identifiable.
      kind text NOT NULL CHECK (kind IN ('identified', 'message')),
      -- HMAC of the normalised identifier under a key derived from the region key:
      -- the same person maps to the same row without the identifier being stored.
      subject_ref bytea,
      ref_type text,
      origin_message_id uuid,
      -- The subject's data key wrapped by the region KEK; NULL once erased (crypto-shredded).
      wrapped_key bytea,
      kek_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      erased_at timestamptz,
      erased_by uuid,
      erased_value_count integer,
      erasure_audit_seq bigint,
      CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL))
    );
    CREATE UNIQUE INDEX vault_subjects_ref_idx ON vault_subjects (subject_ref) WHERE subject_ref IS NOT NULL;
    CREATE UNIQUE INDEX vault_subjects_message_idx ON vault_subjects (origin_message_id)
      WHERE kind = 'message' AND erased_at IS NULL;

    CREATE TABLE vault_values (
      token_id uuid PRIMARY KEY,
      subject_id uuid NOT NULL REFERENCES vault_subjects (id),
      -- The only channel and message whose token may be revealed (VA-9). No foreign key
      -- to messages: values are written before the message row, in the same transaction.
      channel_id uuid NOT NULL,
      message_id uuid,
      entity_type text NOT NULL,
      -- NULL once the subject is erased (the key is gone anyway; this is belt and braces).
      ciphertext bytea,
      nonce bytea,
      tag bytea,
      mask text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX vault_values_subject_idx ON vault_values (subject_id);
    CREATE INDEX vault_values_message_idx ON vault_values (message_id) WHERE message_id IS NOT NULL;

    -- Every reveal attempt that reached a value: who, which, why, and what happened.
    CREATE TABLE vault_reveals (
      id bigserial PRIMARY KEY,
      token_id uuid NOT NULL,
      subject_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      message_id uuid,
      entity_type text NOT NULL,
      actor_id uuid NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('revealed', 'denied', 'erased')),
      reason text,
      justification text,
      at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz
    );
    CREATE INDEX vault_reveals_actor_idx ON vault_reveals (actor_id, at);
    CREATE INDEX vault_reveals_message_idx ON vault_reveals (message_id, id);
    CREATE INDEX vault_reveals_subject_idx ON vault_reveals (subject_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE vault_reveals; DROP TABLE vault_values; DROP TABLE vault_subjects;`.execute(db);
}
