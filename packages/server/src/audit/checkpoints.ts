import { sign } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { checkpointMessage } from './canonical.ts';
import { type HeadRow, lockHead } from './chain.ts';
import { loadSigningKey, type SigningKey } from './signing-keys.ts';

// AU-7: signed checkpoints. A checkpoint signs (store, seq, hash, time, key
// id) with the store's Ed25519 key. Rewriting history, even with every hash
// recomputed, then contradicts a signature the attacker cannot forge.
// Checkpoints are written inside the appending transaction (every N entries
// or when the last one is older than M minutes) and by a timer that covers a
// store which fell quiet.

interface ChainRuntime {
  store: string;
  key: SigningKey;
  every: number;
  minutes: number;
}

/** Chains this process may sign for, by the chain id stored in their head row. */
const runtimes = new Map<string, ChainRuntime>();

export async function writeCheckpoint(
  tx: Kysely<unknown>,
  rt: { store: string; key: SigningKey },
  seq: number,
  hash: Buffer,
  at: Date,
): Promise<void> {
  const keyId = rt.key.keyId;
  const signature = sign(
    null,
    checkpointMessage({ store: rt.store, seq, hash, at, keyId }),
    rt.key.privateKey,
  );
  await sql`
    INSERT INTO audit_checkpoints (seq, store, hash, at, key_id, signature)
    VALUES (${seq}, ${rt.store}, ${hash}, ${at}, ${keyId}, ${signature})`.execute(tx);
  await sql`UPDATE audit_chain_head SET checkpoint_seq = ${seq}, checkpoint_at = ${at}`.execute(tx);
}

/** Called under the head lock after an append; `head` already holds the new seq/hash. */
export async function maybeCheckpoint(tx: Kysely<unknown>, head: HeadRow): Promise<void> {
  const rt = runtimes.get(head.chain_id);
  if (!rt || head.seq <= head.checkpoint_seq) return;
  const due =
    head.seq - head.checkpoint_seq >= rt.every ||
    head.now.getTime() - head.checkpoint_at.getTime() >= rt.minutes * 60_000;
  if (due) await writeCheckpoint(tx, rt, head.seq, head.hash, head.now);
}

/**
 * Checkpoints the head now if anything is unsigned (the timer; tests; the
 * CLI). Returns the checkpointed seq, or null when there was nothing to sign.
 */
export async function checkpointNow(
  db: Kysely<unknown>,
  store: string,
  key: SigningKey,
  opts: { olderThanMs?: number } = {},
): Promise<number | null> {
  return db.transaction().execute(async (tx) => {
    const head = await lockHead(tx);
    if (head.seq <= head.checkpoint_seq) return null;
    if (opts.olderThanMs && head.now.getTime() - head.checkpoint_at.getTime() < opts.olderThanMs) return null;
    await writeCheckpoint(tx, { store, key }, head.seq, head.hash, head.now);
    return head.seq;
  });
}

export interface AuditStoreHandle {
  store: string;
  db: Kysely<unknown>;
}

/**
 * Binds each database's chain to its store name (once; a database later
 * opened under another name is refused signing), loads or creates the
 * signing keys, records their public halves, and starts the quiet-store
 * timer. Returns a stop function.
 */
export async function startAuditChains(
  stores: AuditStoreHandle[],
  opts: {
    dataDir: string;
    keys?: Record<string, string> | undefined;
    every: number;
    minutes: number;
    log: Logger;
  },
): Promise<() => void> {
  const mine = new Map<string, ChainRuntime>();
  const active: Array<{ h: AuditStoreHandle; rt: ChainRuntime }> = [];
  for (const h of stores) {
    const bound = await sql<{ chain_id: string; store: string }>`
      UPDATE audit_chain_head SET store = COALESCE(store, ${h.store}) RETURNING chain_id, store`.execute(
      h.db,
    );
    const head = bound.rows[0];
    if (!head) throw new Error(`audit chain head missing in ${h.store}`);
    if (head.store !== h.store) {
      opts.log.error(
        { store: h.store, chainStore: head.store },
        'this database holds the audit chain of another store; checkpoints are not signed',
      );
      continue;
    }
    const key = loadSigningKey(opts.dataDir, h.store, { create: true, configured: opts.keys })!;
    await sql`
      INSERT INTO audit_signing_keys (key_id, store, public_key)
      VALUES (${key.keyId}, ${h.store}, ${key.publicPem}) ON CONFLICT (key_id) DO NOTHING`.execute(h.db);
    const rt: ChainRuntime = { store: h.store, key, every: opts.every, minutes: opts.minutes };
    runtimes.set(head.chain_id, rt);
    mine.set(head.chain_id, rt);
    active.push({ h, rt });
  }
  const tick = async () => {
    for (const { h, rt } of active) {
      try {
        await checkpointNow(h.db, rt.store, rt.key, { olderThanMs: rt.minutes * 60_000 });
      } catch (err) {
        opts.log.warn({ store: rt.store, err: (err as Error).message }, 'audit checkpoint failed');
      }
    }
  };
  const timer = setInterval(() => void tick(), Math.min(60_000, opts.minutes * 60_000));
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const [id, rt] of mine) if (runtimes.get(id) === rt) runtimes.delete(id);
  };
}

/** The key this process signs a store's checkpoints with, if it has one. */
export function signingKeyFor(
  dataDir: string,
  store: string,
  configured?: Record<string, string>,
): SigningKey | null {
  return loadSigningKey(dataDir, store, { create: false, configured });
}
