import { CLOSE_CODES, type ServerFrame } from '@enclave/protocol';
import type { WebSocket } from 'ws';

/** Counters for operators (and tests): why connections were cut. */
export interface GatewayStats {
  slowConsumers: number;
  heartbeatTimeouts: number;
}

/** A serialised server frame: JSON text, or that text already UTF-8 encoded (shared by every recipient of a fan-out). */
export type Frame = string | Buffer;

/** One live WebSocket of one user, with what it has been sent so far. */
export class Connection {
  /** Channels whose events this connection receives (the user's memberships). */
  readonly channels = new Set<string>();
  /** Member channels whose rules do not admit this person now (FE-5): not delivered. */
  readonly suspended = new Set<string>();
  /** Highest seq sent per channel: the guard against duplicates between replay and live. */
  readonly lastSent = new Map<string, number>();
  /** Live events that arrived while the resume replay was running. */
  pending: { channelId: string; seq: number; frame: Frame }[] | null = [];
  alive = true;
  closed = false;
  readonly typingAt = new Map<string, number>();
  private windowStart = 0;
  private framesInWindow = 0;
  readonly watching = new Set<string>();

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly sessionId: string | null,
    readonly tokenId: string | null,
    readonly ws: WebSocket,
    private readonly maxBuffered: number,
    readonly expiresAt: Date | null,
    private readonly stats: GatewayStats,
  ) {}

  get live(): boolean {
    return this.pending === null;
  }

  /** Sends a pre-serialised frame unless the peer is too far behind, in which case it is cut off. */
  sendRaw(frame: Frame): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.maxBuffered) {
      this.stats.slowConsumers++;
      this.close(CLOSE_CODES.SLOW_CONSUMER, 'too slow: reconnect and resume');
      return;
    }
    // A Buffer (one fan-out's shared UTF-8 encoding) must still go out as a text frame.
    this.ws.send(frame, { binary: false });
  }

  send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }

  /** Sends a channel event once: never a seq it has already sent on this connection. */
  sendEvent(channelId: string, seq: number, frame: Frame): void {
    if (!this.channels.has(channelId)) return;
    if (this.pending) {
      this.pending.push({ channelId, seq, frame });
      if (this.pending.length > 10_000)
        this.close(CLOSE_CODES.SLOW_CONSUMER, 'too many events during resume');
      return;
    }
    if ((this.lastSent.get(channelId) ?? -1) >= seq) return;
    this.lastSent.set(channelId, seq);
    this.sendRaw(frame);
  }

  /** Counts a client frame; false once the client exceeds `max` frames in `windowMs`. */
  allowFrame(max: number, windowMs: number, now = Date.now()): boolean {
    if (now - this.windowStart >= windowMs) {
      this.windowStart = now;
      this.framesInWindow = 0;
    }
    return ++this.framesInWindow <= max;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
    // A peer that never answers the close handshake is cut after a grace period.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }
}
