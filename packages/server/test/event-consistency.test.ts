import { applyChannelEvent, type ChannelEvent, type ChannelSnapshot, type Message } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import type { WsClient } from '../../../test-support/ws.ts';

// Zulip's event-consistency idea: for every action, the events a client receives
// must carry it from a snapshot taken before the action to exactly what a fresh
// fetch returns after it. The reducer is the one the web client uses.

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let carol: ApiClient;
let dan: ApiClient;
let erin: ApiClient;
let workspaceId: string;
let channelId: string;
let observer: WsClient;
let n = 0;

async function all<T>(
  fetchPage: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

/** Everything the client shows of the channel, fetched through the public API only. */
async function snapshot(viewer: ApiClient, id: string): Promise<ChannelSnapshot> {
  const base = `/api/v1/channels/${id}`;
  const channel = (await viewer.get(base)).body.channel;
  const memberIds = await all<string>(async (cursor) => {
    const b = (await viewer.get(`${base}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
    return { items: b.members.map((m: { userId: string }) => m.userId), next: b.nextCursor };
  });
  const pageThrough = async (url: string) =>
    all<Message>(async (cursor) => {
      const b = (await viewer.get(`${url}?limit=3${cursor ? `&before=${cursor}` : ''}`)).body;
      return { items: b.messages, next: b.hasMoreBefore ? String(b.messages[0].seq) : null };
    });
  const roots = await pageThrough(`${base}/messages`);
  const messages: Record<string, Message> = {};
  for (const m of roots) {
    messages[m.id] = m;
    if (m.replyCount > 0)
      for (const r of await pageThrough(`${base}/messages/${m.id}/replies`)) messages[r.id] = r;
  }
  const pinnedIds = (await viewer.get(`${base}/pins`)).body.messages.map((m: Message) => m.id);
  return { channel, memberIds, messages, pinnedIds, viewerId: viewer.userId };
}

async function send(who: ApiClient, text: string, threadRootId?: string): Promise<Message> {
  const res = await who.post(`/api/v1/channels/${channelId}/messages`, {
    clientMsgId: `ec-${++n}`,
    text,
    ...(threadRootId && { threadRootId }),
  });
  expect(res.status).toBe(201);
  return res.body.message;
}

/**
 * Snapshot, act, then apply the events the observer received for the action
 * to the stale snapshot and compare with a fresh fetch. Returns the events.
 */
async function consistent(action: () => Promise<unknown>): Promise<ChannelEvent[]> {
  const before = await snapshot(owner, channelId);
  await action();
  const after = await snapshot(owner, channelId);
  expect(after.channel.lastSeq, 'the action emitted no event').toBeGreaterThan(before.channel.lastSeq);
  await observer.next(
    (f) => f.type === 'event' && f.channelId === channelId && f.seq === after.channel.lastSeq,
  );
  const frames = observer.events(channelId).filter((f) => f.seq > before.channel.lastSeq);
  // Gap-free and in order: exactly one frame per seq.
  expect(frames.map((f) => f.seq)).toEqual(
    Array.from(
      { length: after.channel.lastSeq - before.channel.lastSeq },
      (_, i) => before.channel.lastSeq + 1 + i,
    ),
  );
  const replayed = frames.reduce((s: ChannelSnapshot, f) => applyChannelEvent(s, f.event, f.seq), before);
  expect(replayed).toEqual(after);
  expect(after).not.toEqual(before);
  return frames.map((f) => f.event);
}

const url = (id: string, rest = '') => `/api/v1/channels/${channelId}/messages/${id}${rest}`;
const types = (events: ChannelEvent[]) => events.map((e) => e.type);

let root: Message;
let reply: Message;
let other: Message;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  carol = await t.user(workspaceId, { name: 'Carol' });
  dan = await t.user(workspaceId, { name: 'Dan' });
  erin = await t.user(workspaceId, { name: 'Erin' });
  channelId = (
    await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'consistency', kind: 'public' })
  ).body.channel.id;
  expect(
    (await owner.post(`/api/v1/channels/${channelId}/members`, { userIds: [bob.userId!, carol.userId!] }))
      .status,
  ).toBe(200);
  // Enough history that every fetch spans several pages.
  for (let i = 0; i < 5; i++) await send(i % 2 ? bob : carol, `history ${i}`);
  observer = await owner.connect();
});
afterAll(async () => {
  observer?.close();
  await t?.stop();
});

describe('every action’s events turn a stale snapshot into a fresh one', () => {
  it('send', async () => {
    const events = await consistent(async () => {
      root = await send(bob, `a root that mentions <@${carol.userId}> and @here`);
    });
    expect(types(events)).toEqual(['message.created']);
  });

  it('reply', async () => {
    const events = await consistent(async () => {
      reply = await send(carol, 'a reply', root.id);
    });
    expect(types(events)).toEqual(['message.created', 'thread.updated']);
  });

  it('second reply', async () => {
    await consistent(() => send(owner, 'the owner replies', root.id));
  });

  it('edit', async () => {
    const events = await consistent(() =>
      bob.patch(url(root.id), { text: `edited, now for <@${owner.userId}>` }),
    );
    expect(types(events)).toEqual(['message.updated']);
  });

  it('edit a reply', async () => {
    await consistent(() => carol.patch(url(reply.id), { text: 'a better reply' }));
  });

  it('react', async () => {
    other = await send(carol, 'react and pin me');
    await consistent(() => bob.post(url(other.id, '/reactions'), { emoji: 'tada' }));
    await consistent(() => owner.post(url(other.id, '/reactions'), { emoji: 'tada' }));
    const events = await consistent(() => owner.post(url(reply.id, '/reactions'), { emoji: '👀' }));
    expect(types(events)).toEqual(['reaction.added']);
  });

  it('unreact', async () => {
    const events = await consistent(() => bob.delete(url(other.id, '/reactions/tada')));
    expect(types(events)).toEqual(['reaction.removed']);
  });

  it('pin', async () => {
    await consistent(() => carol.put(url(root.id, '/pin')));
    const events = await consistent(() => bob.put(url(other.id, '/pin')));
    expect(types(events)).toEqual(['message.pinned']);
  });

  it('unpin', async () => {
    const events = await consistent(() => carol.delete(url(root.id, '/pin')));
    expect(types(events)).toEqual(['message.unpinned']);
  });

  it('delete a pinned, reacted message', async () => {
    const events = await consistent(() => carol.delete(url(other.id)));
    expect(types(events)).toEqual(['message.deleted']);
  });

  it('delete a reply', async () => {
    const events = await consistent(() => owner.delete(url(reply.id)));
    expect(types(events)).toEqual(['message.deleted', 'thread.updated']);
  });

  it('delete a root that has replies (it stays as a tombstone)', async () => {
    await owner.put(url(root.id, '/pin'));
    const events = await consistent(() => bob.delete(url(root.id)));
    expect(types(events)).toEqual(['message.deleted']);
    const fresh = await snapshot(owner, channelId);
    expect(fresh.messages[root.id]).toMatchObject({ deleted: true, text: '' });
  });

  it('delete the last reply of a deleted root (the tombstone goes)', async () => {
    const last = Object.values((await snapshot(owner, channelId)).messages).find(
      (m) => m.threadRootId === root.id,
    )!;
    await consistent(() => owner.delete(url(last.id)));
    expect((await snapshot(owner, channelId)).messages[root.id]).toBeUndefined();
  });

  it('join', async () => {
    const events = await consistent(() => dan.post(`/api/v1/channels/${channelId}/join`));
    expect(types(events)).toEqual(['member.joined']);
  });

  it('leave', async () => {
    const events = await consistent(() => dan.post(`/api/v1/channels/${channelId}/leave`));
    expect(types(events)).toEqual(['member.left']);
  });

  it('add member', async () => {
    const events = await consistent(() =>
      owner.post(`/api/v1/channels/${channelId}/members`, { userIds: [erin.userId, dan.userId] }),
    );
    expect(types(events)).toEqual(['member.joined', 'member.joined']);
  });

  it('remove member', async () => {
    const events = await consistent(() =>
      owner.delete(`/api/v1/channels/${channelId}/members/${erin.userId}`),
    );
    expect(types(events)).toEqual(['member.left']);
  });

  it('rename', async () => {
    await consistent(() => owner.patch(`/api/v1/channels/${channelId}`, { name: 'consistency-renamed' }));
  });

  it('topic', async () => {
    await consistent(() =>
      bob.patch(`/api/v1/channels/${channelId}`, { topic: 'what we check', purpose: 'events = fetches' }),
    );
  });

  it('archive', async () => {
    const events = await consistent(() => owner.post(`/api/v1/channels/${channelId}/archive`));
    expect(events).toEqual([{ type: 'channel.updated', changes: { archived: true }, actorId: owner.userId }]);
  });

  it('unarchive', async () => {
    await consistent(() => owner.post(`/api/v1/channels/${channelId}/unarchive`));
  });

  it('a client that replays the whole log from zero ends where a fresh fetch is', async () => {
    const fresh = await snapshot(owner, channelId);
    const replayer = await owner.connect({ [channelId]: 0 });
    const frames = replayer.events(channelId);
    expect(frames.at(-1)?.seq).toBe(fresh.channel.lastSeq);
    const empty: ChannelSnapshot = {
      channel: {
        ...fresh.channel,
        name: 'consistency',
        topic: '',
        purpose: '',
        memberCount: 0,
        lastSeq: 0,
        archived: false,
      },
      memberIds: [],
      messages: {},
      pinnedIds: [],
      viewerId: owner.userId,
    };
    const replayed = frames.reduce((s: ChannelSnapshot, f) => applyChannelEvent(s, f.event, f.seq), empty);
    expect(replayed).toEqual(fresh);
    replayer.close();
  });
});
