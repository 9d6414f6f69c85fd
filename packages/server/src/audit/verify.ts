import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { checkpointMessage, entryHash, GENESIS_HASH, type Outcome } from './canonical.ts';
import { parsePublicKey } from './signing-keys.ts';

// AU-9: verification recomputes every hash in sequence order, checks every
// link, every checkpoint signature and that the chain reaches its head. It
// reports the first broken entry by seq and what is wrong with it.

export type ProblemKind =
  | 'hash_mismatch'
  | 'chain_broken'
  | 'gap'
  | 'reordered'
  | 'truncated'
  | 'bad_signature'
  | 'unknown_key'
  | 'checkpoint_mismatch';

export interface VerifyProblem {
  seq: number;
  kind: ProblemKind;
  detail: string;
}

export interface VerifyReport {
  store: string;
  intact: boolean;
  entries: number;
  lastSeq: number;
  lastHash: string | null;
  checkpoints: number;
  lastCheckpointSeq: number | null;
  /** 'trusted': signatures checked against keys given to the verifier; 'database': only against keys recorded beside the log. */
  keySource: 'trusted' | 'database';
  firstProblem: VerifyProblem | null;
  /** Up to 20 problems, by seq. */
  problems: VerifyProblem[];
}

interface Row {
  id: number;
  seq: number;
  at: Date;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  scope_id: string | null;
  outcome: Outcome;
  details: unknown;
  prev_hash: Buffer;
  hash: Buffer;
}

const BATCH = 2000;
const MAX_PROBLEMS = 20;

/**
 * @param trustedKeys keyId -> public key. When null, keys recorded in the
 * database are used and the report says so (an attacker who can write the
 * database could have replaced them).
 */
export async function verifyStore(
  db: Kysely<unknown>,
  store: string,
  kind: 'directory' | 'region',
  trustedKeys: Map<string, KeyObject> | null,
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const add = (p: VerifyProblem) => problems.push(p);
  const scope = kind === 'directory' ? 'workspace_id' : 'channel_id';

  let keys = trustedKeys;
  const keySource = keys ? 'trusted' : 'database';
  if (!keys) {
    keys = new Map();
    const recorded = await sql<{ public_key: string }>`
      SELECT public_key FROM audit_signing_keys WHERE store = ${store}`.execute(db);
    for (const r of recorded.rows) {
      const k = parsePublicKey(r.public_key);
      keys.set(k.keyId, k.key);
    }
  }

  const cps = (
    await sql<{ seq: number; store: string; hash: Buffer; at: Date; key_id: string; signature: Buffer }>`
      SELECT seq, store, hash, at, key_id, signature FROM audit_checkpoints ORDER BY seq`.execute(db)
  ).rows;
  const checkpointHash = new Map<number, Buffer>();
  for (const c of cps) {
    checkpointHash.set(c.seq, c.hash);
    const key = keys.get(c.key_id);
    if (!key) {
      add({ seq: c.seq, kind: 'unknown_key', detail: `checkpoint signed by unknown key ${c.key_id}` });
      continue;
    }
    // The store name is part of the signed message: a checkpoint moved between stores fails here.
    const msg = checkpointMessage({ store, seq: c.seq, hash: c.hash, at: c.at, keyId: c.key_id });
    if (!verifySignature(null, msg, key, c.signature))
      add({ seq: c.seq, kind: 'bad_signature', detail: 'checkpoint signature does not verify' });
  }

  let expected = 1;
  let prevHash: Buffer = GENESIS_HASH;
  let prevId = 0;
  let entries = 0;
  let after: { seq: number; id: number } = { seq: 0, id: 0 };
  for (;;) {
    const batch = (
      await sql<Row>`
        SELECT id, seq, at, actor_id, action, target_type, target_id, ${sql.ref(scope)} AS scope_id,
               outcome, details, prev_hash, hash
        FROM audit_events WHERE (seq, id) > (${after.seq}, ${after.id})
        ORDER BY seq, id LIMIT ${BATCH}`.execute(db)
    ).rows;
    for (const [i, r] of batch.entries()) {
      entries++;
      const next = batch[i + 1];
      // Ids are taken under the head lock, so they rise with seq; a dip means rows were moved.
      const outOfOrder = r.id < prevId || (next !== undefined && next.seq > r.seq && next.id < r.id);
      if (r.seq > expected) {
        add({
          seq: expected,
          kind: 'gap',
          detail:
            r.seq - expected === 1
              ? `entry ${expected} is missing`
              : `entries ${expected}..${r.seq - 1} are missing`,
        });
      } else if (r.seq < expected || outOfOrder) {
        add({
          seq: r.seq,
          kind: 'reordered',
          detail: 'entry is out of order (its position disagrees with when it was written)',
        });
      } else {
        const recomputed = entryHash({
          seq: r.seq,
          at: r.at,
          actorId: r.actor_id,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          scopeId: r.scope_id,
          outcome: r.outcome,
          details: r.details,
          prevHash: r.prev_hash,
        });
        if (!recomputed.equals(r.hash))
          add({
            seq: r.seq,
            kind: 'hash_mismatch',
            detail: 'entry content does not match its hash (changed)',
          });
        else if (!r.prev_hash.equals(prevHash))
          add({
            seq: r.seq,
            kind: 'chain_broken',
            detail: `previous-hash does not match entry ${r.seq - 1} (it or this link was rewritten)`,
          });
        else {
          const cp = checkpointHash.get(r.seq);
          if (cp && !cp.equals(r.hash))
            add({
              seq: r.seq,
              kind: 'checkpoint_mismatch',
              detail: 'entry differs from the signed checkpoint at this seq (history rewritten)',
            });
        }
      }
      expected = Math.max(expected, r.seq + 1);
      prevHash = r.hash;
      prevId = Math.max(prevId, r.id);
      after = { seq: r.seq, id: r.id };
    }
    if (batch.length < BATCH) break;
  }
  const lastSeq = after.seq;

  const head = (await sql<{ seq: number; hash: Buffer }>`SELECT seq, hash FROM audit_chain_head`.execute(db))
    .rows[0];
  const lastCheckpoint = cps.at(-1)?.seq ?? 0;
  const claimedEnd = Math.max(head?.seq ?? 0, lastCheckpoint);
  if (claimedEnd > lastSeq)
    add({
      seq: lastSeq + 1,
      kind: 'truncated',
      detail: `the chain ends at ${lastSeq} but ${head && head.seq > lastSeq ? 'its head' : 'a signed checkpoint'} says ${claimedEnd}: entries were removed from the end`,
    });
  else if (head && head.seq === lastSeq && lastSeq > 0 && !head.hash.equals(prevHash))
    add({ seq: lastSeq, kind: 'hash_mismatch', detail: 'last entry does not match the chain head' });

  problems.sort((a, b) => a.seq - b.seq);
  return {
    store,
    intact: problems.length === 0,
    entries,
    lastSeq,
    lastHash: lastSeq ? prevHash.toString('hex') : null,
    checkpoints: cps.length,
    lastCheckpointSeq: cps.at(-1)?.seq ?? null,
    keySource,
    firstProblem: problems[0] ?? null,
    problems: problems.slice(0, MAX_PROBLEMS),
  };
}
