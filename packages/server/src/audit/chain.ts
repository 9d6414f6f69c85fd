import { type Kysely, sql } from 'kysely';
import { type ChainFields, entryHash, type Outcome } from './canonical.ts';
import { maybeCheckpoint } from './checkpoints.ts';
import { assertSafeDetails } from './details-guard.ts';

// AU-1/AU-2: each store (the directory and every region database) has one
// append-only chain. Writers serialise on the store's single chain-head row
// (SELECT ... FOR UPDATE), so sequence numbers are gap-free and the chain
// can never fork, and the entry commits or rolls back with the action.

export type StoreKind = 'directory' | 'region';

export interface ChainEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  scopeId: string | null;
  outcome: Outcome;
  details: Record<string, unknown>;
}

/** The column that scopes an entry: a workspace in the directory, a channel in a region. */
export function scopeColumn(kind: StoreKind): 'workspace_id' | 'channel_id' {
  return kind === 'directory' ? 'workspace_id' : 'channel_id';
}

export interface HeadRow {
  chain_id: string;
  store: string | null;
  seq: number;
  hash: Buffer;
  checkpoint_seq: number;
  checkpoint_at: Date;
  now: Date;
}

/** Locks the head row until the caller's transaction ends. */
export async function lockHead(tx: Kysely<unknown>): Promise<HeadRow> {
  const r = await sql<HeadRow>`
    SELECT chain_id, store, seq, hash, checkpoint_seq, checkpoint_at,
           date_trunc('milliseconds', clock_timestamp()) AS now
    FROM audit_chain_head FOR UPDATE`.execute(tx);
  const head = r.rows[0];
  if (!head) throw new Error('audit chain head missing: run the audit-chain migration');
  return head;
}

// biome-ignore lint/suspicious/noExplicitAny: callers pass directory or region databases
type AnyDb = Kysely<any>;

export async function appendEntry(db: AnyDb, kind: StoreKind, entry: ChainEntry): Promise<number> {
  assertSafeDetails(entry.details);
  // What jsonb will give back when the entry is verified (undefined keys dropped).
  const details = JSON.parse(JSON.stringify(entry.details)) as Record<string, unknown>;
  const write = async (tx: AnyDb) => {
    const head = await lockHead(tx);
    const fields: ChainFields = {
      seq: head.seq + 1,
      at: head.now,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      scopeId: entry.scopeId,
      outcome: entry.outcome,
      details,
      prevHash: head.hash,
    };
    const hash = entryHash(fields);
    await sql`
      INSERT INTO audit_events
        (seq, at, actor_id, action, target_type, target_id, ${sql.ref(scopeColumn(kind))},
         outcome, details, prev_hash, hash)
      VALUES (${fields.seq}, ${fields.at}, ${fields.actorId}, ${fields.action}, ${fields.targetType},
              ${fields.targetId}, ${fields.scopeId}, ${fields.outcome}, ${JSON.stringify(details)}::jsonb,
              ${fields.prevHash}, ${hash})`.execute(tx);
    await sql`UPDATE audit_chain_head SET seq = ${fields.seq}, hash = ${hash}`.execute(tx);
    await maybeCheckpoint(tx, { ...head, seq: fields.seq, hash });
    return fields.seq;
  };
  // A bare connection (e.g. a failed sign-in, which changes nothing else) gets its own transaction.
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}
