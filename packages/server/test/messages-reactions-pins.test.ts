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

async function send(who: ApiClient, channelId: string, text: string) {
  const res = await who.post(`/api/v1/channels/${channelId}/messages`, { clientMsgId: `rp-${++n}`, text });
  expect(res.status).toBe(201);
  return res.body.message;
}
const msgUrl = (channelId: string, id: string) => `/api/v1/channels/${channelId}/messages/${id}`;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  carol = await t.user(workspaceId, { name: 'Carol' });
  for (const c of [bob, carol]) expect((await c.post(`/api/v1/channels/${generalId}/join`)).status).toBe(200);
});
afterAll(() => t?.stop());

describe('reactions', () => {
  it('adds a reaction once however often it is sent, and tells the channel once', async () => {
    const m = await send(owner, generalId, 'react to me');
    const ws = await owner.connect();
    const first = await bob.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'thumbsup' });
    expect(first.status).toBe(201);
    expect(first.body.message.reactions).toEqual([{ emoji: 'thumbsup', count: 1, userIds: [bob.userId] }]);
    const again = await bob.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'thumbsup' });
    expect(again.status).toBe(200);
    expect(again.body.message.reactions).toEqual(first.body.message.reactions);
    const carolRes = await carol.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'thumbsup' });
    expect(carolRes.body.message.reactions).toEqual([
      { emoji: 'thumbsup', count: 2, userIds: [bob.userId, carol.userId] },
    ]);
    const uni = await carol.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: '🎉' });
    expect(uni.body.message.reactions.map((r: { emoji: string }) => r.emoji)).toEqual(['thumbsup', '🎉']);

    await ws.next((f) => f.type === 'event' && f.event.type === 'reaction.added' && f.event.emoji === '🎉');
    await ws.settle();
    const added = ws.events(generalId).filter((f) => f.event.type === 'reaction.added');
    expect(added.map((f) => [f.event.messageId, f.event.emoji, f.event.userId])).toEqual([
      [m.id, 'thumbsup', bob.userId],
      [m.id, 'thumbsup', carol.userId],
      [m.id, '🎉', carol.userId],
    ]);
    ws.close();
  });

  it('removes by a percent-encoded emoji path segment, idempotently', async () => {
    const m = await send(owner, generalId, 'remove my reaction');
    await bob.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: '👍' });
    await carol.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: '👍' });
    const ws = await owner.connect();
    const url = `${msgUrl(generalId, m.id)}/reactions/${encodeURIComponent('👍')}`;
    expect((await bob.delete(url)).status).toBe(204);
    expect((await bob.delete(url)).status).toBe(204);
    const f = await ws.next((x) => x.type === 'event' && x.event.type === 'reaction.removed');
    expect(f.event).toEqual({ type: 'reaction.removed', messageId: m.id, emoji: '👍', userId: bob.userId });
    await ws.settle();
    expect(ws.events().filter((x) => x.event.type === 'reaction.removed')).toHaveLength(1);
    const page = await owner.get(`/api/v1/channels/${generalId}/messages?around=${m.id}&limit=3`);
    expect(page.body.messages.find((x: { id: string }) => x.id === m.id).reactions).toEqual([
      { emoji: '👍', count: 1, userIds: [carol.userId] },
    ]);
    ws.close();
  });

  it('validates the emoji, the ids and the body', async () => {
    const m = await send(owner, generalId, 'strict');
    for (const emoji of ['', 'has space', 'x'.repeat(65), 'DROP TABLE', '<script>']) {
      const res = await bob.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji });
      expect([res.status, res.body.error.code], emoji).toEqual([400, 'VALIDATION_FAILED']);
    }
    const extra = await bob.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'ok', user: owner.userId });
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const badPath = await bob.delete(
      `${msgUrl(generalId, m.id)}/reactions/${encodeURIComponent('no spaces here')}`,
    );
    expect([badPath.status, badPath.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const badId = await bob.post(`${msgUrl(generalId, 'x')}/reactions`, { emoji: 'ok' });
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID']);
  });

  it('refuses non-members, hidden channels, deleted messages and archived channels', async () => {
    const m = await send(owner, generalId, 'members only');
    const dan = await t.user(workspaceId, { name: 'Dan' });
    const res = await dan.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'eyes' });
    expect([res.status, res.body.error.code]).toEqual([403, 'NOT_CHANNEL_MEMBER']);

    const priv = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'react-priv', kind: 'private' })
    ).body.channel;
    const pm = await send(owner, priv.id, 'hidden');
    const hidden = await bob.post(`${msgUrl(priv.id, pm.id)}/reactions`, { emoji: 'eyes' });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);

    const gone = await send(owner, generalId, 'gone');
    await owner.delete(msgUrl(generalId, gone.id));
    const onDeleted = await bob.post(`${msgUrl(generalId, gone.id)}/reactions`, { emoji: 'eyes' });
    expect([onDeleted.status, onDeleted.body.error.code]).toEqual([409, 'MESSAGE_DELETED']);

    await owner.post(`/api/v1/channels/${priv.id}/archive`);
    const archived = await owner.post(`${msgUrl(priv.id, pm.id)}/reactions`, { emoji: 'eyes' });
    expect([archived.status, archived.body.error.code]).toEqual([403, 'CHANNEL_ARCHIVED']);
  });

  it('a guest who is not in a public channel cannot see it: 404 for reactions and pins', async () => {
    const m = await send(owner, generalId, 'not for outside guests');
    const guest = await t.user(workspaceId, { name: 'Outside Guest', role: 'guest' });
    const react = await guest.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'eyes' });
    expect([react.status, react.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    const pins = await guest.get(`/api/v1/channels/${generalId}/pins`);
    expect([pins.status, pins.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
  });

  it('a guest member may react', async () => {
    const guest = await t.user(workspaceId, { name: 'Gwen Guest', role: 'guest' });
    await owner.post(`/api/v1/channels/${generalId}/members`, { userIds: [guest.userId] });
    const m = await send(owner, generalId, 'hello guest');
    expect((await guest.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'wave' })).status).toBe(201);
  });
});

describe('pins', () => {
  it('any member pins and unpins, idempotently; the channel hears once each; the list is newest first', async () => {
    const a = await send(owner, generalId, 'pin a');
    const b = await send(owner, generalId, 'pin b');
    const ws = await owner.connect();
    const pinA = await bob.put(`${msgUrl(generalId, a.id)}/pin`);
    expect(pinA.status).toBe(200);
    expect(pinA.body.message.pinned).toBe(true);
    expect((await bob.put(`${msgUrl(generalId, a.id)}/pin`)).status).toBe(200);
    expect((await carol.put(`${msgUrl(generalId, b.id)}/pin`)).status).toBe(200);
    const list = await carol.get(`/api/v1/channels/${generalId}/pins`);
    expect(list.body.messages.map((m: { id: string }) => m.id)).toEqual([b.id, a.id]);
    expect(list.body.messages.every((m: { pinned: boolean }) => m.pinned)).toBe(true);

    expect((await carol.delete(`${msgUrl(generalId, a.id)}/pin`)).status).toBe(204);
    expect((await carol.delete(`${msgUrl(generalId, a.id)}/pin`)).status).toBe(204);
    await ws.next((f) => f.type === 'event' && f.event.type === 'message.unpinned');
    await ws.settle();
    expect(ws.events().map((f) => [f.event.type, f.event.messageId, f.event.userId])).toEqual([
      ['message.pinned', a.id, bob.userId],
      ['message.pinned', b.id, carol.userId],
      ['message.unpinned', a.id, carol.userId],
    ]);
    expect(
      (await carol.get(`/api/v1/channels/${generalId}/pins`)).body.messages.map((m: { id: string }) => m.id),
    ).toEqual([b.id]);
    const audit = await t.query('us', 'SELECT action FROM audit_events WHERE target_id = $1 ORDER BY id', [
      a.id,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['message.pinned', 'message.unpinned']);
    ws.close();
  });

  it('a deleted message leaves the pin list and cannot be pinned', async () => {
    const m = await send(owner, generalId, 'pinned then deleted');
    await owner.put(`${msgUrl(generalId, m.id)}/pin`);
    await owner.delete(msgUrl(generalId, m.id));
    const list = await owner.get(`/api/v1/channels/${generalId}/pins`);
    expect(list.body.messages.map((x: { id: string }) => x.id)).not.toContain(m.id);
    const again = await owner.put(`${msgUrl(generalId, m.id)}/pin`);
    expect([again.status, again.body.error.code]).toEqual([409, 'MESSAGE_DELETED']);
  });

  it('refuses non-members and hides private channels; the pin list follows read access', async () => {
    const m = await send(owner, generalId, 'no pins for you');
    const dan = await t.user(workspaceId, { name: 'Dan2' });
    const res = await dan.put(`${msgUrl(generalId, m.id)}/pin`);
    expect([res.status, res.body.error.code]).toEqual([403, 'NOT_CHANNEL_MEMBER']);
    // A public channel's pins are readable by any non-guest workspace member, as its messages are.
    expect((await dan.get(`/api/v1/channels/${generalId}/pins`)).status).toBe(200);
    const priv = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'pins-priv', kind: 'private' })
    ).body.channel;
    const hidden = await dan.get(`/api/v1/channels/${priv.id}/pins`);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    const unknown = await owner.put(`${msgUrl(generalId, '01a20000-0000-7000-8000-000000000000')}/pin`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    const body = await owner.put(`${msgUrl(generalId, m.id)}/pin`, { note: 'x' });
    expect([body.status, body.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('concurrency', () => {
  it('replies, reactions, pins and edits on one root at once neither deadlock nor lose a count', async () => {
    const root = await send(owner, generalId, 'busy root');
    const url = msgUrl(generalId, root.id);
    const emojis = ['a1', 'b2', 'c3', 'd4', 'e5'];
    const results = await Promise.all([
      ...emojis.map((_, i) =>
        bob.post(`/api/v1/channels/${generalId}/messages`, {
          clientMsgId: `cc-${i}`,
          text: `r${i}`,
          threadRootId: root.id,
        }),
      ),
      ...emojis.map((emoji) => carol.post(`${url}/reactions`, { emoji })),
      ...emojis.map((emoji) => owner.post(`${url}/reactions`, { emoji })),
      owner.put(`${url}/pin`),
      owner.patch(url, { text: 'busy root, edited' }),
    ]);
    expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    const page = await owner.get(`/api/v1/channels/${generalId}/messages?around=${root.id}&limit=3`);
    const fresh = page.body.messages.find((m: { id: string }) => m.id === root.id);
    expect(fresh).toMatchObject({ replyCount: 5, pinned: true, text: 'busy root, edited' });
    expect(fresh.reactions.map((r: { count: number }) => r.count)).toEqual([2, 2, 2, 2, 2]);
    const seq = await t.query('us', 'SELECT last_seq FROM channels WHERE id = $1', [generalId]);
    const events = await t.query(
      'us',
      'SELECT count(*)::int AS n, max(seq)::int AS m FROM channel_events WHERE channel_id = $1',
      [generalId],
    );
    expect(events.rows[0]).toEqual({ n: seq.rows[0].last_seq, m: seq.rows[0].last_seq });
  });
});
