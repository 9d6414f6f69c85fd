import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let workspaceId: string;
let n = 0;

async function send(who: ApiClient, channelId: string, text: string, threadRootId?: string) {
  const res = await who.post(`/api/v1/channels/${channelId}/messages`, {
    clientMsgId: `rs-${++n}`,
    text,
    ...(threadRootId && { threadRootId }),
  });
  expect(res.status).toBe(201);
  return res.body.message;
}
async function newChannel(name: string, opts: { kind?: string; region?: string } = {}) {
  const ch = (
    await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name,
      kind: opts.kind ?? 'public',
      ...(opts.region && { region: opts.region }),
    })
  ).body.channel;
  expect((await owner.post(`/api/v1/channels/${ch.id}/members`, { userIds: [bob.userId] })).status).toBe(200);
  return ch.id as string;
}
async function stateOf(who: ApiClient, channelId: string) {
  const res = await who.get(`/api/v1/workspaces/${workspaceId}/read-states`);
  expect(res.status).toBe(200);
  return res.body.readStates.find((r: { channelId: string }) => r.channelId === channelId);
}

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
});
afterAll(() => t?.stop());

describe('read state', () => {
  it('counts unread root messages by others, not my own, not replies, not deleted ones', async () => {
    const ch = await newChannel('counting');
    // Posting marks the channel read up to my own message (as in Slack).
    const mine = await send(bob, ch, 'my own');
    expect(await stateOf(bob, ch)).toMatchObject({ lastReadSeq: mine.seq, unreadCount: 0 });
    const a = await send(owner, ch, 'one');
    await send(owner, ch, 'two');
    await send(bob, ch, 'a reply of mine does not mark the channel read', a.id);
    await send(owner, ch, 'a reply', a.id);
    const gone = await send(owner, ch, 'deleted');
    await owner.delete(`/api/v1/channels/${ch}/messages/${gone.id}`);
    expect(await stateOf(bob, ch)).toEqual({
      channelId: ch,
      lastReadSeq: mine.seq,
      unreadCount: 2,
      mentionCount: 0,
    });
  });

  it('counts mentions of me, @channel and @here once each, replies included, and drops them when read', async () => {
    const ch = await newChannel('mentions');
    await send(bob, ch, '@channel from me does not count for me');
    await send(owner, ch, `hi <@${bob.userId}>`);
    await send(owner, ch, `@channel and <@${bob.userId}> in one message`);
    const root = await send(owner, ch, 'root');
    await send(owner, ch, '@here in a reply', root.id);
    const deleted = await send(owner, ch, `<@${bob.userId}> soon gone`);
    await owner.delete(`/api/v1/channels/${ch}/messages/${deleted.id}`);
    const before = await stateOf(bob, ch);
    expect(before).toMatchObject({ unreadCount: 3, mentionCount: 3 });
    // Bob's @channel would count for the owner, but the owner posted after it, which read it.
    expect(await stateOf(owner, ch)).toMatchObject({ mentionCount: 0, unreadCount: 0 });
    await send(bob, ch, '@here owner');
    expect(await stateOf(owner, ch)).toMatchObject({ mentionCount: 1, unreadCount: 1 });

    const last = (await bob.get(`/api/v1/channels/${ch}`)).body.channel.lastSeq;
    const res = await bob.post(`/api/v1/channels/${ch}/read`, { seq: last });
    expect(res.status).toBe(200);
    expect(res.body.readState).toEqual({ channelId: ch, lastReadSeq: last, unreadCount: 0, mentionCount: 0 });
    expect(await stateOf(bob, ch)).toEqual(res.body.readState);
  });

  it('only moves forward, never past the end, and tells all my connections when it moves', async () => {
    const ch = await newChannel('monotonic');
    const m1 = await send(owner, ch, 'm1');
    const m2 = await send(owner, ch, 'm2');
    const phone = await bob.connect();
    const laptop = await bob.connect();
    const ownerWs = await owner.connect();

    const fwd = await bob.post(`/api/v1/channels/${ch}/read`, { seq: m2.seq });
    expect(fwd.body.readState).toMatchObject({ lastReadSeq: m2.seq, unreadCount: 0 });
    for (const ws of [phone, laptop]) {
      const f = await ws.next((x) => x.type === 'user_event' && x.event.type === 'read_state.updated');
      expect(f.event.readState).toEqual(fwd.body.readState);
    }

    const back = await bob.post(`/api/v1/channels/${ch}/read`, { seq: m1.seq });
    expect(back.status).toBe(200);
    expect(back.body.readState.lastReadSeq).toBe(m2.seq);

    const far = await bob.post(`/api/v1/channels/${ch}/read`, { seq: 1_000_000 });
    const lastSeq = (await bob.get(`/api/v1/channels/${ch}`)).body.channel.lastSeq;
    expect(far.body.readState.lastReadSeq).toBe(lastSeq);

    await phone.settle();
    const updates = phone.frames.filter(
      (f) => f.type === 'user_event' && f.event.type === 'read_state.updated',
    );
    // Forward, then capped at the end (which moved it by the remaining seqs); the backwards call said nothing.
    expect(updates.map((f) => f.event.readState.lastReadSeq)).toEqual(
      lastSeq > m2.seq ? [m2.seq, lastSeq] : [m2.seq],
    );
    // Read state is private: other people hear nothing of it.
    await ownerWs.settle();
    expect(
      ownerWs.frames.filter((f) => f.type === 'user_event' && f.event.type === 'read_state.updated'),
    ).toHaveLength(0);
    for (const ws of [phone, laptop, ownerWs]) ws.close();
  });

  it('covers channels in every region of the workspace, and only channels I am in', async () => {
    const us = await newChannel('here-us');
    const eu = await newChannel('over-eu', { region: 'eu', kind: 'private' });
    await send(owner, eu, `eu <@${bob.userId}>`);
    const states = (await bob.get(`/api/v1/workspaces/${workspaceId}/read-states`)).body.readStates;
    const ids = states.map((s: { channelId: string }) => s.channelId);
    expect(ids).toContain(us);
    expect(ids).toContain(eu);
    expect(states.find((s: { channelId: string }) => s.channelId === eu)).toMatchObject({
      unreadCount: 1,
      mentionCount: 1,
    });
    const eve = await t.user(workspaceId, { name: 'Eve' });
    const eveIds = (await eve.get(`/api/v1/workspaces/${workspaceId}/read-states`)).body.readStates.map(
      (s: { channelId: string }) => s.channelId,
    );
    expect(eveIds).not.toContain(eu);
    expect(eveIds).not.toContain(us);
    // Read state rows live in the channel's region only.
    const mark = await bob.post(`/api/v1/channels/${eu}/read`, { seq: 1 });
    expect(mark.status).toBe(200);
    expect(
      (
        await t.query(
          'eu',
          'SELECT count(*)::int AS n FROM read_states WHERE channel_id = $1 AND user_id = $2',
          [eu, bob.userId],
        )
      ).rows[0].n,
    ).toBe(1);
    expect(
      (await t.query('us', 'SELECT count(*)::int AS n FROM read_states WHERE channel_id = $1', [eu])).rows[0]
        .n,
    ).toBe(0);
  });

  it('what was there when I joined counts as read; what comes after does not', async () => {
    const ch = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'history', kind: 'public' })
    ).body.channel.id;
    for (let i = 0; i < 3; i++) await send(owner, ch, `old ${i}`);
    const last = await send(owner, ch, `old with <@${bob.userId}>`);
    expect((await bob.post(`/api/v1/channels/${ch}/join`)).status).toBe(200);
    expect(await stateOf(bob, ch)).toEqual({
      channelId: ch,
      lastReadSeq: last.seq,
      unreadCount: 0,
      mentionCount: 0,
    });
    await send(owner, ch, `new for <@${bob.userId}>`);
    expect(await stateOf(bob, ch)).toMatchObject({ lastReadSeq: last.seq, unreadCount: 1, mentionCount: 1 });
    // Leaving and coming back later: what was said while away is history too.
    await bob.post(`/api/v1/channels/${ch}/leave`);
    const away = await send(owner, ch, 'while bob was away');
    await bob.post(`/api/v1/channels/${ch}/join`);
    expect(await stateOf(bob, ch)).toMatchObject({ lastReadSeq: away.seq, unreadCount: 0 });
  });

  it('denies what it must: non-members, private channels, other workspaces, bad input', async () => {
    const priv = await newChannel('private-reads', { kind: 'private' });
    const pub = await newChannel('public-reads');
    const eve = await t.user(workspaceId, { name: 'Eve2' });
    const hidden = await eve.post(`/api/v1/channels/${priv}/read`, { seq: 1 });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    const notMember = await eve.post(`/api/v1/channels/${pub}/read`, { seq: 1 });
    expect([notMember.status, notMember.body.error.code]).toEqual([403, 'NOT_CHANNEL_MEMBER']);
    const extra = await bob.post(`/api/v1/channels/${pub}/read`, { seq: 1, force: true });
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const negative = await bob.post(`/api/v1/channels/${pub}/read`, { seq: -1 });
    expect([negative.status, negative.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const badId = await bob.post('/api/v1/channels/123/read', { seq: 1 });
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID']);
    const otherWs = await bob.get('/api/v1/workspaces/01a20000-0000-7000-8000-000000000000/read-states');
    expect([otherWs.status, otherWs.body.error.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
  });
});
