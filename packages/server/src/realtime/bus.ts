import type { ChannelEvent, UserEvent } from '@enclave/protocol';

// What actions publish after their transaction commits. The gateway (on every
// node) subscribes and forwards to the connections allowed to see each item.

export interface ChannelEnvelope {
  kind: 'channel';
  region: string;
  workspaceId: string;
  channelId: string;
  seq: number;
  event: ChannelEvent;
}

export interface UserEnvelope {
  kind: 'user';
  userId: string;
  event: UserEvent;
}

/**
 * Instructions to every node: `disconnect` cuts a user's (or one session's or
 * token's) live connections now; `refresh` only drops what nodes cached about
 * the user's access (a role changed, a membership ended). Both clear caches.
 */
export interface ControlEnvelope {
  kind: 'control';
  action: 'disconnect' | 'refresh';
  userId: string;
  /** Only connections opened with this session, or with this access token. */
  sessionId?: string;
  tokenId?: string;
  reason: 'session_revoked' | 'token_revoked' | 'deactivated' | 'access_changed';
}

/** Ephemeral: never stored, never replayed. */
export interface TypingEnvelope {
  kind: 'typing';
  channelId: string;
  userId: string;
  threadRootId: string | null;
}

export interface PresenceEnvelope {
  kind: 'presence';
  userId: string;
  status: 'online' | 'offline';
}

/** A policy version was activated: every node drops its cached active policy (protection/policy). */
export interface PolicyEnvelope {
  kind: 'policy';
  version: number;
}

export type Envelope =
  | ChannelEnvelope
  | UserEnvelope
  | ControlEnvelope
  | TypingEnvelope
  | PresenceEnvelope
  | PolicyEnvelope;

export interface Bus {
  publish(batch: readonly Envelope[]): void;
  subscribe(handler: (e: Envelope) => void): () => void;
  close(): Promise<void>;
}

/** Single-node bus: delivery is a function call, in publish order. */
export class LocalBus implements Bus {
  private handlers = new Set<(e: Envelope) => void>();

  publish(batch: readonly Envelope[]): void {
    for (const e of batch) for (const h of this.handlers) h(e);
  }

  subscribe(handler: (e: Envelope) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
