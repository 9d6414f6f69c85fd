import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  expect((await bob.post(`/api/v1/channels/${generalId}/join`)).status).toBe(200);
});
afterAll(() => t?.stop());

describe('two people chat in real time', () => {
  it('RT-5 RT-6 RT-10 delivers a sent message to the other member over the WebSocket, once', async () => {
    const bobWs = await bob.connect();
    const sent = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'rt-1',
      text: 'hello bob',
    });
    expect(sent.status).toBe(201);
    const frame = await bobWs.next((f) => f.type === 'event' && f.event.type === 'message.created');
    expect(frame.channelId).toBe(generalId);
    expect(frame.seq).toBe(sent.body.message.seq);
    expect(frame.event.message).toEqual(sent.body.message);
    // A retried send (same clientMsgId) is not a second message and emits nothing.
    const retry = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'rt-1',
      text: 'hello bob',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.message.id).toBe(sent.body.message.id);
    await bobWs.settle();
    expect(bobWs.events().filter((f) => f.event.type === 'message.created')).toHaveLength(1);
    bobWs.close();
  });

  it('RT-7 RT-8 resumes after a disconnect with no gap and no duplicate', async () => {
    const first = await bob.connect();
    await owner.post(`/api/v1/channels/${generalId}/messages`, { clientMsgId: 'rs-1', text: 'one' });
    const got = await first.next((f) => f.type === 'event' && f.event.type === 'message.created');
    first.close();
    await first.closed();
    const missed = [];
    for (let i = 2; i <= 4; i++) {
      missed.push(
        (
          await owner.post(`/api/v1/channels/${generalId}/messages`, {
            clientMsgId: `rs-${i}`,
            text: `n${i}`,
          })
        ).body.message.seq,
      );
    }
    const second = await bob.connect({ [generalId]: got.seq });
    const seqs = second.events(generalId).map((f) => f.seq);
    expect(seqs).toEqual(missed);
    second.close();
  });

  it('RT-5 RT-6 ten concurrent retries of one send store one message and leave no gap in the sequence', async () => {
    const ch = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'retries', kind: 'public' })
    ).body.channel.id;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        owner.post(`/api/v1/channels/${ch}/messages`, { clientMsgId: 'same-send', text: 'once' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.message.id)).size).toBe(1);
    const stored = await t.query('us', 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [ch]);
    expect(stored.rows[0].n).toBe(1);
    const log = await t.query(
      'us',
      'SELECT array_agg(seq ORDER BY seq) AS seqs FROM channel_events WHERE channel_id = $1',
      [ch],
    );
    const last = await t.query('us', 'SELECT last_seq FROM channels WHERE id = $1', [ch]);
    const seqs: number[] = log.rows[0].seqs.map(Number);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.at(-1)).toBe(last.rows[0].last_seq);
    // A different text under a used id is refused, not silently merged.
    const reused = await owner.post(`/api/v1/channels/${ch}/messages`, {
      clientMsgId: 'same-send',
      text: 'twice',
    });
    expect([reused.status, reused.body.error.code]).toEqual([409, 'CLIENT_ID_REUSED']);
  });

  it('RT-9 asks a client that missed too much to refetch instead of replaying', async () => {
    const ch = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'busy',
      kind: 'public',
    });
    const id = ch.body.channel.id;
    await bob.post(`/api/v1/channels/${id}/join`);
    // 2,100 topic changes written straight into the region's log: more than a replay serves.
    await t.query(
      'us',
      `WITH s AS (UPDATE channels SET last_seq = last_seq + 2100 WHERE id = $1 RETURNING last_seq)
       INSERT INTO channel_events (channel_id, seq, type, payload)
       SELECT $1, (SELECT last_seq FROM s) - 2100 + g, 'channel.updated',
              jsonb_build_object('type', 'channel.updated', 'changes', jsonb_build_object('topic', 't' || g), 'actorId', $2::text)
       FROM generate_series(1, 2100) g`,
      [id, owner.userId],
    );
    const ws = await bob.connect({ [id]: 1 });
    expect(ws.frames.find((f) => f.type === 'resync_required')).toMatchObject({ channelId: id });
    expect(ws.events(id)).toHaveLength(0);
    await owner.patch(`/api/v1/channels/${id}`, { topic: 'live again' });
    const live = await ws.next((f) => f.type === 'event' && f.channelId === id);
    expect(live.event.changes).toEqual({ topic: 'live again' });
    ws.close();
  });

  it('keeps a channel content in its region database only', async () => {
    const eu = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'eu-cases',
      kind: 'private',
      region: 'eu',
    });
    expect(eu.status).toBe(201);
    expect(eu.body.channel.region).toBe('eu');
    const id = eu.body.channel.id;
    await owner.post(`/api/v1/channels/${id}/messages`, {
      clientMsgId: 'eu-1',
      text: 'residency marker kiwi',
    });
    const inEu = await t.query('eu', 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [id]);
    const inUs = await t.query('us', "SELECT count(*)::int AS n FROM messages WHERE text LIKE '%kiwi%'");
    const inDir = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM channels WHERE id = $1 AND region = 'eu'",
      [id],
    );
    expect(inEu.rows[0].n).toBe(1);
    expect(inUs.rows[0].n).toBe(0);
    expect(inDir.rows[0].n).toBe(1);
    // Bob is not a member of the private EU channel: it does not exist for him.
    expect((await bob.get(`/api/v1/channels/${id}`)).body.error.code).toBe('CHANNEL_NOT_FOUND');
    expect((await bob.get(`/api/v1/channels/${id}/messages`)).status).toBe(404);
  });
});
