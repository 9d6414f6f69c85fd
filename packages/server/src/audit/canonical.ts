import { createHash } from 'node:crypto';

// The canonical encodings that audit hashes and checkpoint signatures cover
// (docs/data-protection/audit.md, AU-3 and AU-7). They are deliberately
// boring: a JSON array in a fixed field order, object keys sorted, no
// whitespace, so an outside auditor can reproduce them in any language.

/** The previous-hash of the first entry of every chain. */
export const GENESIS_HASH = Buffer.alloc(32);

export const ENTRY_VERSION = 'enclave.audit.v1';
export const CHECKPOINT_VERSION = 'enclave.audit.checkpoint.v1';

export type Outcome = 'allowed' | 'denied' | 'error';

/** Every field an entry's hash covers. `at` has millisecond precision. */
export interface ChainFields {
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** workspace_id in the directory chain, channel_id in a region chain. */
  scopeId: string | null;
  outcome: Outcome;
  details: unknown;
  prevHash: Buffer;
}

/** Recursively sorts object keys (UTF-16 code-unit order, as RFC 8785 does). */
export function canonicalValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonicalValue((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function entryEncoding(e: ChainFields): string {
  return JSON.stringify([
    ENTRY_VERSION,
    e.seq,
    e.at.toISOString(),
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    e.scopeId,
    e.outcome,
    canonicalValue(e.details ?? {}),
    e.prevHash.toString('hex'),
  ]);
}

export function entryHash(e: ChainFields): Buffer {
  return createHash('sha256').update(entryEncoding(e), 'utf8').digest();
}

export interface CheckpointFields {
  store: string;
  seq: number;
  hash: Buffer;
  at: Date;
  keyId: string;
}

/** The exact bytes an Ed25519 checkpoint signature covers. */
export function checkpointMessage(c: CheckpointFields): Buffer {
  return Buffer.from(
    JSON.stringify([CHECKPOINT_VERSION, c.store, c.seq, c.hash.toString('hex'), c.at.toISOString(), c.keyId]),
    'utf8',
  );
}
