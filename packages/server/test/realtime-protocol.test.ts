import { CLOSE_CODES } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { WsClient } from '../../../test-support/ws.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  await bob.post(`/api/v1/channels/${generalId}/join`);
});
afterAll(() => t?.stop());

const wsUrl = () => `${t.url.replace(/^http/, 'ws')}/api/v1/ws`;

async function refused(headers: Record<string, string>): Promise<number> {
  const c = new WsClient(new WebSocket(wsUrl(), { headers }));
  return c.opened().then(
    () => 101,
    (err: { status: number }) => err.status,
  );
}

describe('connecting', () => {
  it('RT-1 refuses an upgrade without credentials (401) or with a revoked token (401)', async () => {
    expect(await refused({})).toBe(401);
    expect(await refused({ authorization: 'Bearer enc_pat_notarealtokenatallnotreal' })).toBe(401);
  });

  it('RT-2 refuses a session cookie sent from a foreign origin (cross-site WebSocket hijacking)', async () => {
    expect(await refused({ cookie: owner.cookie!, origin: 'https://evil.example' })).toBe(403);
    const ok = await owner.connect({}, t.url);
    ok.close();
  });

  it('RT-3 RT-4 RT-7 greets with hello, then answers resume with every channel and its last seq', async () => {
    const ws = await bob.connect(null);
    ws.send({ type: 'resume', cursors: {} });
    const resumed = await ws.next((f) => f.type === 'resumed');
    expect(resumed.channels).toContainEqual({ channelId: generalId, lastSeq: expect.any(Number) });
    expect(resumed.replayed).toBe(0);
    ws.close();
  });
});

describe('frames', () => {
  it('RT-15 answers ping with pong carrying the nonce', async () => {
    const ws = await bob.connect();
    ws.send({ type: 'ping', nonce: 'n-1' });
    expect(await ws.next((f) => f.type === 'pong')).toEqual({ type: 'pong', nonce: 'n-1' });
    ws.close();
  });

  it('RT-18 closes with 4400 on a malformed frame, after saying why', async () => {
    for (const bad of [
      'not json',
      JSON.stringify({ type: 'resume', cursors: {}, extra: 1 }),
      JSON.stringify({ type: 'nope' }),
    ]) {
      const ws = await bob.connect();
      ws.send(bad);
      expect((await ws.next((f) => f.type === 'error')).code).toBe('VALIDATION_FAILED');
      expect(await ws.closed()).toBe(CLOSE_CODES.PROTOCOL_ERROR);
    }
  });

  it('RT-18 closes a client that floods frames with 4429', async () => {
    const ws = await bob.connect();
    for (let i = 0; i < 150; i++) ws.send({ type: 'ping', nonce: String(i) });
    expect(await ws.closed()).toBe(CLOSE_CODES.RATE_LIMITED);
    expect(ws.frames.filter((f) => f.type === 'pong').length).toBeLessThanOrEqual(100);
  });

  it('RT-13 relays typing to the other members only, and not for channels the sender is not in', async () => {
    const o = await owner.connect();
    const b = await bob.connect();
    b.send({ type: 'typing', channelId: generalId });
    const typing = await o.next((f) => f.type === 'typing');
    expect(typing).toEqual({ type: 'typing', channelId: generalId, userId: bob.userId, threadRootId: null });
    const secret = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'secret-typing',
      kind: 'private',
    });
    b.send({ type: 'typing', channelId: secret.body.channel.id });
    await b.settle();
    await o.settle();
    expect(o.frames.filter((f) => f.type === 'typing')).toHaveLength(1);
    expect(b.frames.filter((f) => f.type === 'typing')).toHaveLength(0);
    o.close();
    b.close();
  });

  it('RT-14 reports presence to subscribers: online while connected, offline after', async () => {
    const watcher = await owner.connect();
    watcher.send({ type: 'presence.subscribe', userIds: [bob.userId] });
    expect(await watcher.next((f) => f.type === 'presence')).toEqual({
      type: 'presence',
      userId: bob.userId,
      status: 'offline',
    });
    const b = await bob.connect();
    expect((await watcher.next((f) => f.type === 'presence')).status).toBe('online');
    b.close();
    expect((await watcher.next((f) => f.type === 'presence')).status).toBe('offline');
    watcher.close();
  });
});

describe('access changes cut live connections at once', () => {
  it("RT-17 signing out closes that session's sockets with 4002", async () => {
    const carol = await t.user(workspaceId, { name: 'Carol' });
    const ws = await carol.connect();
    expect((await carol.post('/api/v1/auth/logout')).status).toBe(204);
    expect(await ws.closed()).toBe(CLOSE_CODES.SESSION_REVOKED);
    expect(await refused({ cookie: carol.cookie! })).toBe(401);
  });

  it('RT-11 leaving a channel stops its events at once', async () => {
    const dave = await t.user(workspaceId, { name: 'Dave' });
    await dave.post(`/api/v1/channels/${generalId}/join`);
    const ws = await dave.connect();
    await dave.post(`/api/v1/channels/${generalId}/leave`);
    await ws.next(
      (f) => f.type === 'event' && f.event.type === 'member.left' && f.event.userId === dave.userId,
    );
    await ws.next((f) => f.type === 'user_event' && f.event.type === 'channel.removed');
    await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'after-leave',
      text: 'not for dave',
    });
    await ws.settle();
    expect(ws.events(generalId).filter((f) => f.event.type === 'message.created')).toHaveLength(0);
    ws.close();
  });

  it('RT-11 being added to a channel starts its events at once', async () => {
    const erin = await t.user(workspaceId, { name: 'Erin' });
    const ws = await erin.connect();
    const ch = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'incident-42',
      kind: 'private',
    });
    const id = ch.body.channel.id;
    await owner.post(`/api/v1/channels/${id}/members`, { userIds: [erin.userId] });
    const added = await ws.next((f) => f.type === 'user_event' && f.event.type === 'channel.added');
    expect(added.event.channel.id).toBe(id);
    await owner.post(`/api/v1/channels/${id}/messages`, { clientMsgId: 'inc-1', text: 'welcome' });
    expect((await ws.next((f) => f.type === 'event' && f.event.type === 'message.created')).channelId).toBe(
      id,
    );
    ws.close();
  });
});

describe('dead and slow peers', () => {
  it('RT-15 closes a peer that stops answering pings with 4009', async () => {
    const fast = await startTestServer({ wsHeartbeatMs: 1000 });
    try {
      const { owner: o } = await fast.setupOwner();
      const ws = new WsClient(
        new WebSocket(`${fast.url.replace(/^http/, 'ws')}/api/v1/ws`, {
          headers: o.headers(),
          autoPong: false,
        }),
      );
      await ws.opened();
      expect(await ws.closed()).toBe(CLOSE_CODES.HEARTBEAT_TIMEOUT);
    } finally {
      await fast.stop();
    }
  });

  it('RT-16 disconnects a consumer that cannot keep up (4008) instead of buffering without bound', async () => {
    const slow = await startTestServer({ wsMaxBufferedBytes: 64 * 1024 });
    try {
      const s = await slow.setupOwner();
      const reader = await slow.user(s.workspaceId);
      await reader.post(`/api/v1/channels/${s.generalId}/join`);
      const ws = await reader.connect();
      // Stop reading: the server's send buffer for this socket can only grow.
      (ws.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const text = 'x'.repeat(7900);
      let code: number | null = null;
      ws.closed().then((c) => {
        code = c;
      });
      const serverSide = () => slow.server.app.gateway.connectionCount;
      for (let i = 0; i < 3000 && serverSide() > 0; i++) {
        await s.owner.post(`/api/v1/channels/${s.generalId}/messages`, { clientMsgId: `slow-${i}`, text });
      }
      expect(serverSide()).toBe(0);
      (ws.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      await ws.closed();
      // The 4008 close frame sits behind the backlog that caused it, so the peer
      // usually sees the connection drop (1006); the server records why.
      expect([CLOSE_CODES.SLOW_CONSUMER, 1006]).toContain(code);
      expect(slow.server.app.gateway.stats.slowConsumers).toBe(1);
    } finally {
      await slow.stop();
    }
  });
});
