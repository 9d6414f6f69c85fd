import { type Kysely, sql } from 'kysely';
import { entryHash, GENESIS_HASH } from './canonical.ts';
import { type StoreKind, scopeColumn } from './chain.ts';

// Shared body of the directory (002-audit-chain) and region (003-audit-chain)
// migrations: turns the plain audit_events table into a hash chain, chaining
// any rows written before it in their insertion order, and makes the table
// append-only in the database itself (AU-6).

export async function upgradeAuditTable(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  const scope = scopeColumn(kind);
  await sql`
    ALTER TABLE audit_events
      ADD COLUMN seq bigint,
      ADD COLUMN outcome text NOT NULL DEFAULT 'allowed'
        CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('allowed', 'denied', 'error')),
      ADD COLUMN prev_hash bytea,
      ADD COLUMN hash bytea;
    -- Hashes cover 'at' at millisecond precision (what every client language can represent).
    UPDATE audit_events SET at = date_trunc('milliseconds', at);
  `.execute(db);

  const old = await sql<{
    id: number;
    at: Date;
    actor_id: string | null;
    action: string;
    target_type: string;
    target_id: string | null;
    scope_id: string | null;
    details: unknown;
  }>`SELECT id, at, actor_id, action, target_type, target_id, ${sql.ref(scope)} AS scope_id, details
     FROM audit_events ORDER BY id`.execute(db);
  let prev: Buffer = GENESIS_HASH;
  let seq = 0;
  for (const r of old.rows) {
    seq += 1;
    const hash = entryHash({
      seq,
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      scopeId: r.scope_id,
      outcome: 'allowed',
      details: r.details,
      prevHash: prev,
    });
    await sql`UPDATE audit_events SET seq = ${seq}, prev_hash = ${prev}, hash = ${hash} WHERE id = ${r.id}`.execute(
      db,
    );
    prev = hash;
  }

  await sql`
    ALTER TABLE audit_events
      ALTER COLUMN seq SET NOT NULL,
      ALTER COLUMN prev_hash SET NOT NULL,
      ALTER COLUMN hash SET NOT NULL,
      ALTER COLUMN outcome DROP DEFAULT,
      ADD CONSTRAINT audit_events_seq_key UNIQUE (seq);
    CREATE INDEX audit_events_at_idx ON audit_events (at);
    CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
    CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
    CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, seq);

    -- One row: the chain's last seq and hash. Appenders lock it (FOR UPDATE).
    -- 'store' is bound to the store's name the first time a server opens it.
    CREATE TABLE audit_chain_head (
      singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT audit_chain_head_one_row CHECK (singleton),
      chain_id uuid NOT NULL DEFAULT gen_random_uuid(),
      store text,
      seq bigint NOT NULL,
      hash bytea NOT NULL,
      checkpoint_seq bigint NOT NULL DEFAULT 0,
      checkpoint_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    );

    CREATE TABLE audit_checkpoints (
      seq bigint PRIMARY KEY,
      store text NOT NULL,
      hash bytea NOT NULL,
      at timestamptz NOT NULL,
      key_id text NOT NULL,
      signature bytea NOT NULL
    );

    -- Public halves of the keys that signed checkpoints here (a convenience
    -- for export; an auditor trusts the key they were given, not this table).
    CREATE TABLE audit_signing_keys (
      key_id text PRIMARY KEY,
      store text NOT NULL,
      public_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- AU-6: append-only in the database too. The only way round it is the
    -- documented maintenance switch, SET LOCAL enclave.audit_maintenance = 'on',
    -- inside a transaction (erasure/retention tooling; see audit.md).
    CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF current_setting('enclave.audit_maintenance', true) = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END IF;
      RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
    CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
  `.execute(db);
  await sql`INSERT INTO audit_chain_head (seq, hash) VALUES (${seq}, ${prev})`.execute(db);
}
