import type { WorkspaceRole } from '@enclave/protocol';

export interface ChannelRoute {
  region: string;
  /** The person's role in the channel's workspace. */
  role: WorkspaceRole;
}

/**
 * Which region holds a channel and the person's role in its workspace: the
 * directory half of every channel access check, reused for a few seconds.
 * A channel's region never changes; a role does, and every action that
 * changes or ends a workspace membership (or deactivates a person) publishes a
 * control envelope after its commit, on which every node forgets that
 * person's entries. Only grants are cached: "no access" is always looked up.
 */
export class AccessCache {
  private readonly entries = new Map<string, { userId: string; route: ChannelRoute; validUntil: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200_000,
  ) {}

  get(channelId: string, userId: string, now = Date.now()): ChannelRoute | undefined {
    const key = `${channelId}:${userId}`;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.validUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.route;
  }

  set(channelId: string, userId: string, route: ChannelRoute, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(`${channelId}:${userId}`, { userId, route, validUntil: now + this.ttlMs });
  }

  forgetUser(userId: string): void {
    for (const [key, e] of this.entries) if (e.userId === userId) this.entries.delete(key);
  }
}
