import type { ControlEnvelope } from '../realtime/bus.ts';
import type { Actor } from './actor.ts';

interface Entry {
  actor: Actor;
  /** The earlier of the cache lifetime and the credential's own expiry. */
  validUntil: number;
}

/**
 * Resolved credentials, kept for a few seconds so a burst of requests with one
 * session or token costs one directory lookup instead of one each.
 *
 * Revocation stays immediate: every path that revokes a session or token or
 * deactivates an account publishes a control envelope after its commit, and
 * every node drops the matching entries when it sees it (the same envelope
 * that closes live WebSockets). Keys are SHA-256 digests, never the secrets.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  get(key: string, now = Date.now()): Actor | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.validUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.actor;
  }

  set(key: string, actor: Actor, credentialExpiresAt: Date | null, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    // Bounded: when full, start over rather than grow (a miss only costs a lookup).
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const validUntil = Math.min(now + this.ttlMs, credentialExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.entries.set(key, { actor, validUntil });
  }

  /** Drops what a control envelope revokes: one session, one token, or everything of a user. */
  invalidate(c: Pick<ControlEnvelope, 'userId' | 'sessionId' | 'tokenId'>): void {
    for (const [key, e] of this.entries) {
      if (e.actor.userId !== c.userId) continue;
      if (c.sessionId && e.actor.sessionId !== c.sessionId) continue;
      if (c.tokenId && e.actor.tokenId !== c.tokenId) continue;
      this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
