import { randomUUID } from 'node:crypto';
import { CLOSE_CODES, ClientFrame, WS_PATH } from '@enclave/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Actor } from '../auth/actor.ts';
import { credentialOf, resolveCredential } from '../auth/authenticate.ts';
import { errorBody } from '../http/errors.ts';
import { AppError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import type { ChannelEnvelope, Envelope } from './bus.ts';
import { Connection, type GatewayStats } from './connection.ts';
import { replay, userChannels } from './replay.ts';

const TYPING_THROTTLE_MS = 2000;
// Clients send few frames (resume, typing, pings, presence): a flood is a bug or an attack.
const MAX_FRAMES = 100;
const FRAME_WINDOW_MS = 10_000;

/**
 * The WebSocket endpoint. Authenticates like HTTP (cookie with an allowed
 * Origin, or a bearer token), replays missed channel events on `resume`, then
 * forwards every bus envelope to the connections allowed to see it.
 */
export class Gateway {
  private readonly byChannel = new Map<string, Set<Connection>>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly watchers = new Map<string, Set<Connection>>();
  private readonly unsubscribe: () => void;
  private heartbeat: NodeJS.Timeout | null = null;
  readonly stats: GatewayStats = { slowConsumers: 0, heartbeatTimeouts: 0 };

  constructor(private readonly services: Services) {
    this.unsubscribe = services.bus.subscribe((e) => this.onEnvelope(e));
  }

  get connectionCount(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  register(http: FastifyInstance): void {
    const actors = new WeakMap<FastifyRequest, Actor>();
    http.get(
      WS_PATH,
      {
        websocket: true,
        preValidation: async (req, reply) => {
          try {
            actors.set(req, await this.authenticate(req));
          } catch (err) {
            const e = err instanceof AppError ? err : new AppError('INTERNAL');
            return reply.code(e.status).send(errorBody(e.code, req.id, e.message));
          }
        },
      },
      (socket, req) => this.accept(socket, actors.get(req)!),
    );
    this.heartbeat = setInterval(() => this.beat(), this.services.config.wsHeartbeatMs);
    this.heartbeat.unref();
  }

  private async authenticate(req: FastifyRequest): Promise<Actor> {
    const cred = credentialOf(req);
    if (!cred) throw new AppError('AUTH_REQUIRED');
    if (cred.kind === 'session') {
      // Browsers send cookies on cross-site WebSocket upgrades: only our own origins may use them.
      const origin = req.headers.origin;
      const allowed = new Set([
        ...this.services.config.allowedOrigins,
        new URL(this.services.publicUrl()).origin,
      ]);
      const sameHost = origin && req.headers.host && new URL(origin).host === req.headers.host;
      if (origin && !sameHost && !allowed.has(origin)) throw new AppError('ORIGIN_NOT_ALLOWED');
    }
    const actor = await resolveCredential(this.services, cred);
    if (!actor.scopes.has('read') && !actor.scopes.has('admin')) throw new AppError('TOKEN_SCOPE_MISSING');
    return actor;
  }

  private async accept(ws: WebSocket, actor: Actor): Promise<void> {
    const { config } = this.services;
    let expiresAt: Date | null = null;
    if (actor.sessionId) {
      const s = await this.services.stores.directory
        .selectFrom('sessions')
        .select('expires_at')
        .where('id', '=', actor.sessionId)
        .executeTakeFirst();
      expiresAt = s?.expires_at ?? null;
    }
    const conn = new Connection(
      randomUUID(),
      actor.userId,
      actor.sessionId,
      actor.tokenId,
      ws,
      config.wsMaxBufferedBytes,
      expiresAt,
      this.stats,
    );
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', () => this.detach(conn));
    ws.on('error', () => this.detach(conn));
    ws.on('message', (data, isBinary) => this.onFrame(conn, isBinary ? null : data.toString()));
    add(this.byUser, conn.userId, conn);
    if (this.byUser.get(conn.userId)!.size === 1)
      this.services.bus.publish([{ kind: 'presence', userId: conn.userId, status: 'online' }]);
    // Subscribe before reading state, so nothing published in between is missed;
    // those events wait in `pending` until the replay is done.
    const { admitted: channels, suspended } = await userChannels(this.services, conn.userId);
    if (conn.closed) return;
    for (const c of channels) this.subscribe(conn, c.channelId);
    for (const c of suspended) conn.suspended.add(c.channelId);
    conn.send({
      type: 'hello',
      connectionId: conn.id,
      userId: conn.userId,
      heartbeatMs: config.wsHeartbeatMs,
      serverTime: new Date().toISOString(),
    });
  }

  private async onFrame(conn: Connection, text: string | null): Promise<void> {
    if (!conn.allowFrame(MAX_FRAMES, FRAME_WINDOW_MS)) {
      conn.close(CLOSE_CODES.RATE_LIMITED, 'too many frames');
      return;
    }
    let frame: ClientFrame;
    try {
      if (text === null) throw new Error('binary');
      const parsed = ClientFrame.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error('schema');
      frame = parsed.data;
    } catch {
      conn.send({
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: 'Frames are JSON objects described in docs/realtime.md.',
      });
      conn.close(CLOSE_CODES.PROTOCOL_ERROR, 'bad frame');
      return;
    }
    switch (frame.type) {
      case 'resume':
        return this.resume(conn, frame.cursors);
      case 'ping':
        return conn.send({ type: 'pong', nonce: frame.nonce ?? null });
      case 'typing': {
        if (!conn.channels.has(frame.channelId)) return;
        const last = conn.typingAt.get(frame.channelId) ?? 0;
        if (Date.now() - last < TYPING_THROTTLE_MS) return;
        conn.typingAt.set(frame.channelId, Date.now());
        this.services.bus.publish([
          {
            kind: 'typing',
            channelId: frame.channelId,
            userId: conn.userId,
            threadRootId: frame.threadRootId ?? null,
          },
        ]);
        return;
      }
      case 'presence.subscribe': {
        for (const u of conn.watching) remove(this.watchers, u, conn);
        conn.watching.clear();
        for (const u of frame.userIds) {
          conn.watching.add(u);
          add(this.watchers, u, conn);
          conn.send({ type: 'presence', userId: u, status: this.byUser.has(u) ? 'online' : 'offline' });
        }
        return;
      }
    }
  }

  private async resume(conn: Connection, cursors: Record<string, number>): Promise<void> {
    if (!conn.pending) {
      conn.send({
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: 'resume may be sent once per connection.',
      });
      return;
    }
    const { admitted: channels } = await userChannels(this.services, conn.userId);
    for (const c of channels) if (!conn.channels.has(c.channelId)) this.subscribe(conn, c.channelId);
    let replayed = 0;
    for (const c of channels) {
      const from = cursors[c.channelId];
      if (from === undefined || from >= c.lastSeq) {
        conn.lastSent.set(c.channelId, Math.max(from ?? c.lastSeq, conn.lastSent.get(c.channelId) ?? -1));
        continue;
      }
      const events = await replay(this.services, c.region, c.channelId, from);
      if (events === 'too_old') {
        conn.send({
          type: 'resync_required',
          channelId: c.channelId,
          reason: 'too many events missed: refetch the channel',
        });
        conn.lastSent.set(c.channelId, c.lastSeq);
        continue;
      }
      for (const e of events) {
        if (e.seq > (conn.lastSent.get(c.channelId) ?? -1)) {
          conn.lastSent.set(c.channelId, e.seq);
          conn.sendRaw(e.frame);
          replayed++;
        }
      }
    }
    const pending = conn.pending;
    conn.pending = null;
    conn.send({
      type: 'resumed',
      channels: channels.map((c) => ({ channelId: c.channelId, lastSeq: c.lastSeq })),
      replayed,
    });
    for (const p of pending) conn.sendEvent(p.channelId, p.seq, p.frame);
  }

  private onEnvelope(e: Envelope): void {
    switch (e.kind) {
      case 'channel':
        this.fanOut(e);
        return;
      case 'user':
        for (const c of this.byUser.get(e.userId) ?? [])
          if (c.live || e.event.type !== 'read_state.updated') c.send({ type: 'user_event', event: e.event });
        return;
      case 'typing': {
        const frame = JSON.stringify({
          type: 'typing',
          channelId: e.channelId,
          userId: e.userId,
          threadRootId: e.threadRootId,
        });
        for (const c of this.byChannel.get(e.channelId) ?? [])
          if (c.live && c.userId !== e.userId) c.sendRaw(frame);
        return;
      }
      case 'presence': {
        const frame = JSON.stringify({ type: 'presence', userId: e.userId, status: e.status });
        for (const c of this.watchers.get(e.userId) ?? []) if (c.live) c.sendRaw(frame);
        return;
      }
      case 'policy':
        // New rules may admit or exclude anyone: re-check every connected person.
        for (const userId of [...this.byUser.keys()]) void this.recheck(userId);
        return;
      case 'control': {
        if (e.action === 'refresh') {
          void this.recheck(e.userId);
          return;
        }
        if (e.action !== 'disconnect') return;
        const code =
          e.reason === 'deactivated' ? CLOSE_CODES.ACCOUNT_DEACTIVATED : CLOSE_CODES.SESSION_REVOKED;
        for (const c of [...(this.byUser.get(e.userId) ?? [])]) {
          const targeted = e.sessionId
            ? c.sessionId === e.sessionId
            : e.tokenId
              ? c.tokenId === e.tokenId
              : true;
          if (targeted) c.close(code, e.reason);
        }
        return;
      }
    }
  }

  private fanOut(e: ChannelEnvelope): void {
    const { event } = e;
    // A joiner receives its own join event; a leaver receives its leave event and then nothing more.
    if (event.type === 'member.joined')
      for (const c of this.byUser.get(event.userId) ?? []) this.subscribe(c, e.channelId);
    // Encoded once here rather than once per recipient inside ws.send (20+ recipients per message is common).
    const frame = Buffer.from(JSON.stringify({ type: 'event', channelId: e.channelId, seq: e.seq, event }));
    for (const c of this.byChannel.get(e.channelId) ?? []) c.sendEvent(e.channelId, e.seq, frame);
    if (event.type === 'member.left')
      for (const c of this.byUser.get(event.userId) ?? []) this.unsubscribe_(c, e.channelId);
  }

  /**
   * Re-checks a person's channels against their rules (FE-5) after their
   * attributes, their workspace role or the policy changed: channels that no
   * longer admit them stop delivering at once, and each connection is told;
   * a suspended channel that admits them again is delivered again.
   */
  private async recheck(userId: string): Promise<void> {
    if (!this.byUser.get(userId)?.size) return;
    let admitted: Set<string>;
    try {
      admitted = new Set((await userChannels(this.services, userId)).admitted.map((c) => c.channelId));
    } catch (err) {
      // Fail closed: without an answer, stop delivering to this person's connections.
      this.services.log.error({ err: (err as Error).message }, 'access re-check failed; closing connections');
      for (const c of [...(this.byUser.get(userId) ?? [])])
        c.close(CLOSE_CODES.INTERNAL_ERROR, 'access re-check failed');
      return;
    }
    for (const conn of this.byUser.get(userId) ?? []) {
      for (const channelId of [...conn.channels]) {
        if (admitted.has(channelId)) continue;
        this.unsubscribe_(conn, channelId);
        conn.suspended.add(channelId);
        conn.send({
          type: 'user_event',
          event: { type: 'channel.access_changed', channelId, access: 'suspended' },
        });
      }
      for (const channelId of admitted) {
        if (conn.channels.has(channelId)) continue;
        this.subscribe(conn, channelId);
        if (conn.suspended.delete(channelId))
          conn.send({
            type: 'user_event',
            event: { type: 'channel.access_changed', channelId, access: 'restored' },
          });
      }
    }
  }

  private subscribe(conn: Connection, channelId: string): void {
    conn.channels.add(channelId);
    add(this.byChannel, channelId, conn);
  }

  private unsubscribe_(conn: Connection, channelId: string): void {
    conn.channels.delete(channelId);
    conn.lastSent.delete(channelId);
    remove(this.byChannel, channelId, conn);
  }

  private detach(conn: Connection): void {
    conn.closed = true;
    for (const ch of conn.channels) remove(this.byChannel, ch, conn);
    for (const u of conn.watching) remove(this.watchers, u, conn);
    const had = this.byUser.get(conn.userId)?.has(conn);
    remove(this.byUser, conn.userId, conn);
    if (had && !this.byUser.has(conn.userId))
      this.services.bus.publish([{ kind: 'presence', userId: conn.userId, status: 'offline' }]);
  }

  /** Pings every connection; one that did not answer the previous ping is closed. Expired sessions end here too. */
  private beat(): void {
    const now = Date.now();
    for (const set of this.byUser.values()) {
      for (const c of set) {
        if (c.expiresAt && c.expiresAt.getTime() <= now) {
          c.close(CLOSE_CODES.SESSION_REVOKED, 'session expired');
        } else if (!c.alive) {
          // Close frame first (the peer may only be slow to pong); Connection.close terminates after a grace period.
          this.stats.heartbeatTimeouts++;
          c.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'no pong');
        } else {
          c.alive = false;
          c.ws.ping();
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const set of [...this.byUser.values()])
      for (const c of [...set]) c.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
