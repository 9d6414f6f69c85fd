import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let carol: ApiClient;
let workspaceId: string;
let generalId: string;
let n = 0;

async function send(who: ApiClient, channelId: string, text: string, threadRootId?: string) {
  const res = await who.post(`/api/v1/channels/${channelId}/messages`, {
    clientMsgId: `th-${++n}`,
    text,
    ...(threadRootId && { threadRootId }),
  });
  expect(res.status).toBe(201);
  return res.body.message;
}
const msgUrl = (channelId: string, id: string) => `/api/v1/channels/${channelId}/messages/${id}`;
const ids = (list: { id: string }[]) => list.map((m) => m.id);
async function threads(who: ApiClient) {
  const res = await who.get(`/api/v1/workspaces/${workspaceId}/threads`);
  expect(res.status).toBe(200);
  return res.body.threads as { root: { id: string; replyCount: number }; unreadReplies: number }[];
}

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  carol = await t.user(workspaceId, { name: 'Carol' });
  for (const c of [bob, carol]) expect((await c.post(`/api/v1/channels/${generalId}/join`)).status).toBe(200);
});
afterAll(() => t?.stop());

describe('thread replies', () => {
  it('pages through replies like the timeline: latest, before, after, around', async () => {
    const root = await send(owner, generalId, 'a long thread');
    const replies = [];
    for (let i = 0; i < 7; i++)
      replies.push(await send(i % 2 ? bob : carol, generalId, `reply ${i}`, root.id));
    await send(owner, generalId, 'unrelated root');

    const latest = await bob.get(`${msgUrl(generalId, root.id)}/replies?limit=3`);
    expect(latest.status).toBe(200);
    expect(ids(latest.body.messages)).toEqual(ids(replies.slice(4)));
    expect([latest.body.hasMoreBefore, latest.body.hasMoreAfter]).toEqual([true, false]);

    const before = await bob.get(`${msgUrl(generalId, root.id)}/replies?limit=3&before=${replies[4].seq}`);
    expect(ids(before.body.messages)).toEqual(ids(replies.slice(1, 4)));
    expect([before.body.hasMoreBefore, before.body.hasMoreAfter]).toEqual([true, true]);

    const after = await bob.get(`${msgUrl(generalId, root.id)}/replies?limit=10&after=${replies[5].seq}`);
    expect(ids(after.body.messages)).toEqual([replies[6].id]);
    expect([after.body.hasMoreBefore, after.body.hasMoreAfter]).toEqual([true, false]);

    const around = await bob.get(`${msgUrl(generalId, root.id)}/replies?limit=3&around=${replies[3].id}`);
    expect(ids(around.body.messages)).toEqual(ids(replies.slice(2, 5)));

    // Replies never show in the channel timeline.
    const timeline = await bob.get(`/api/v1/channels/${generalId}/messages?limit=200`);
    expect(ids(timeline.body.messages)).not.toContain(replies[0].id);
  });

  it('refuses a reply id as a thread root, unknown ids, bad ids and hidden channels', async () => {
    const root = await send(owner, generalId, 'root');
    const reply = await send(bob, generalId, 'reply', root.id);
    const notRoot = await bob.get(`${msgUrl(generalId, reply.id)}/replies`);
    expect([notRoot.status, notRoot.body.error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    const unknown = await bob.get(`${msgUrl(generalId, '01a20000-0000-7000-8000-000000000000')}/replies`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    const badId = await bob.get(`${msgUrl(generalId, 'zz')}/replies`);
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID']);
    const badQuery = await bob.get(`${msgUrl(generalId, root.id)}/replies?sort=asc`);
    expect([badQuery.status, badQuery.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const priv = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'thread-priv', kind: 'private' })
    ).body.channel;
    const proot = await send(owner, priv.id, 'private root');
    const hidden = await bob.get(`${msgUrl(priv.id, proot.id)}/replies`);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
  });
});

describe('following threads', () => {
  it('the root author and repliers follow automatically; unread replies count others\u2019 replies after my read position', async () => {
    const root = await send(carol, generalId, 'follow me');
    await send(bob, generalId, 'bob replies', root.id);
    await send(carol, generalId, 'carol answers', root.id);
    await send(bob, generalId, 'bob again', root.id);

    const carolThreads = await threads(carol);
    // Carol's own reply counts as having read up to it: only bob's later reply is unread.
    expect(carolThreads[0]).toMatchObject({ root: { id: root.id, replyCount: 3 }, unreadReplies: 1 });
    const bobThreads = await threads(bob);
    expect(bobThreads[0]).toMatchObject({ root: { id: root.id }, unreadReplies: 0 });
    // The owner neither wrote nor replied: not following.
    expect(ids((await threads(owner)).map((x) => x.root))).not.toContain(root.id);
    await send(owner, generalId, 'the owner chimes in', root.id);
    expect((await threads(bob))[0]).toMatchObject({ root: { id: root.id }, unreadReplies: 1 });

    const lastSeq = (await carol.get(`/api/v1/channels/${generalId}`)).body.channel.lastSeq;
    const ws = await carol.connect();
    const read = await carol.post(`${msgUrl(generalId, root.id)}/read`, { seq: lastSeq });
    expect(read.body).toEqual({ rootId: root.id, lastReadSeq: lastSeq });
    const ev = await ws.next((f) => f.type === 'user_event' && f.event.type === 'thread.read');
    expect(ev.event).toEqual({
      type: 'thread.read',
      rootId: root.id,
      channelId: generalId,
      lastReadSeq: lastSeq,
    });
    expect((await threads(carol))[0]).toMatchObject({ root: { id: root.id }, unreadReplies: 0 });
    // Never backwards.
    const back = await carol.post(`${msgUrl(generalId, root.id)}/read`, { seq: 1 });
    expect(back.body.lastReadSeq).toBe(lastSeq);
    ws.close();
  });

  it('follow and unfollow explicitly; an unfollow survives a later reply; my connections hear of changes', async () => {
    const root = await send(bob, generalId, 'optional thread');
    const ws = await owner.connect();
    const follow = await owner.put(`${msgUrl(generalId, root.id)}/follow`, { following: true });
    expect(follow.body).toEqual({ rootId: root.id, following: true });
    const f1 = await ws.next((f) => f.type === 'user_event' && f.event.type === 'thread.follow_changed');
    expect(f1.event).toEqual({
      type: 'thread.follow_changed',
      rootId: root.id,
      channelId: generalId,
      following: true,
    });
    expect(ids((await threads(owner)).map((x) => x.root))).toContain(root.id);

    // Following again changes nothing and says nothing.
    await owner.put(`${msgUrl(generalId, root.id)}/follow`, { following: true });
    expect(
      (await owner.put(`${msgUrl(generalId, root.id)}/follow`, { following: false })).body.following,
    ).toBe(false);
    const f2 = await ws.next((f) => f.type === 'user_event' && f.event.type === 'thread.follow_changed');
    expect(f2.event.following).toBe(false);
    await ws.settle();
    expect(
      ws.frames.filter((f) => f.type === 'user_event' && f.event.type === 'thread.follow_changed'),
    ).toHaveLength(2);

    await send(owner, generalId, 'a reply by someone who unfollowed', root.id);
    expect(ids((await threads(owner)).map((x) => x.root))).not.toContain(root.id);
    ws.close();
  });

  it('following by a reply id follows its root; a new follow starts with existing replies read', async () => {
    const root = await send(bob, generalId, 'late joiner');
    const reply = await send(carol, generalId, 'existing reply', root.id);
    const res = await owner.put(`${msgUrl(generalId, reply.id)}/follow`, { following: true });
    expect(res.body.rootId).toBe(root.id);
    expect((await threads(owner)).find((x) => x.root.id === root.id)?.unreadReplies).toBe(0);
    await send(carol, generalId, 'fresh reply', root.id);
    expect((await threads(owner)).find((x) => x.root.id === root.id)?.unreadReplies).toBe(1);
  });

  it('lists followed threads across regions, newest activity first, and drops channels I left', async () => {
    const eu = (
      await bob.post(`/api/v1/workspaces/${workspaceId}/channels`, {
        name: 'eu-threads',
        kind: 'public',
        region: 'eu',
      })
    ).body.channel;
    await carol.post(`/api/v1/channels/${eu.id}/join`);
    const euRoot = await send(bob, eu.id, 'eu root');
    await send(carol, eu.id, 'eu reply', euRoot.id);
    const list = await threads(carol);
    expect(list[0]!.root.id).toBe(euRoot.id);
    expect(
      (await t.query('eu', 'SELECT count(*)::int AS n FROM thread_follows WHERE root_id = $1', [euRoot.id]))
        .rows[0].n,
    ).toBe(2);
    expect(
      (await t.query('us', 'SELECT count(*)::int AS n FROM thread_follows WHERE root_id = $1', [euRoot.id]))
        .rows[0].n,
    ).toBe(0);

    await carol.post(`/api/v1/channels/${eu.id}/leave`);
    expect(ids((await threads(carol)).map((x) => x.root))).not.toContain(euRoot.id);
    const gone = await carol.put(`${msgUrl(eu.id, euRoot.id)}/follow`, { following: true });
    expect([gone.status, gone.body.error.code]).toEqual([403, 'NOT_CHANNEL_MEMBER']);
  });

  it('denies what it must', async () => {
    const root = await send(bob, generalId, 'deny');
    const extra = await bob.put(`${msgUrl(generalId, root.id)}/follow`, { following: true, mute: true });
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const wrongType = await bob.put(`${msgUrl(generalId, root.id)}/follow`, { following: 'yes' });
    expect([wrongType.status, wrongType.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const limit = await bob.get(`/api/v1/workspaces/${workspaceId}/threads?limit=1000`);
    expect([limit.status, limit.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const otherWs = await bob.get('/api/v1/workspaces/01a20000-0000-7000-8000-000000000000/threads');
    expect([otherWs.status, otherWs.body.error.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    const priv = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'follow-priv', kind: 'private' })
    ).body.channel;
    const proot = await send(owner, priv.id, 'private root');
    const hidden = await bob.put(`${msgUrl(priv.id, proot.id)}/follow`, { following: true });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    const hiddenRead = await bob.post(`${msgUrl(priv.id, proot.id)}/read`, { seq: 1 });
    expect([hiddenRead.status, hiddenRead.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
  });
});
