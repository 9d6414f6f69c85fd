import { z } from 'zod';
import { Id, Seq } from './common.ts';
import { ChannelEvent, UserEvent } from './events.ts';

export const WS_PATH = '/api/v1/ws';
export const MAX_WS_FRAME_BYTES = 64 * 1024;

/** Close codes the gateway uses (4000-4999 is the application range). docs/realtime.md explains each. */
export const CLOSE_CODES = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  AUTH_REQUIRED: 4001,
  SESSION_REVOKED: 4002,
  ACCOUNT_DEACTIVATED: 4003,
  SLOW_CONSUMER: 4008,
  HEARTBEAT_TIMEOUT: 4009,
  PROTOCOL_ERROR: 4400,
  RATE_LIMITED: 4429,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

// Client -> server frames.
export const ClientFrame = z.discriminatedUnion('type', [
  /**
   * Sent once after `hello`. `cursors` maps channel id to the last seq the client
   * holds; the server replays every later event, then streams live ones.
   * Channels missing from `cursors` start live (no replay).
   */
  z.strictObject({ type: z.literal('resume'), cursors: z.record(z.string(), Seq).default({}) }),
  z.strictObject({ type: z.literal('typing'), channelId: Id, threadRootId: Id.optional() }),
  z.strictObject({ type: z.literal('presence.subscribe'), userIds: z.array(Id).max(500) }),
  z.strictObject({ type: z.literal('ping'), nonce: z.string().max(64).optional() }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const PresenceStatus = z.enum(['online', 'offline']);

// Server -> client frames.
export const ServerFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    connectionId: z.string(),
    userId: Id,
    heartbeatMs: z.number().int(),
    serverTime: z.string(),
  }),
  z.object({
    type: z.literal('resumed'),
    /** Every channel the user can see now, with its last seq: detect joins and leaves while away. */
    channels: z.array(z.object({ channelId: Id, lastSeq: z.number().int() })),
    replayed: z.number().int(),
  }),
  z.object({ type: z.literal('event'), channelId: Id, seq: z.number().int(), event: ChannelEvent }),
  z.object({ type: z.literal('user_event'), event: UserEvent }),
  z.object({ type: z.literal('resync_required'), channelId: Id, reason: z.string() }),
  z.object({ type: z.literal('typing'), channelId: Id, userId: Id, threadRootId: Id.nullable() }),
  z.object({ type: z.literal('presence'), userId: Id, status: PresenceStatus }),
  z.object({ type: z.literal('pong'), nonce: z.string().nullable() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
