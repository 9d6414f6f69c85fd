import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let carol: ApiClient;
let admin: ApiClient;
let workspaceId: string;
let generalId: string;
let n = 0;

async function send(who: ApiClient, channelId: string, text: string, threadRootId?: string) {
  const res = await who.post(`/api/v1/channels/${channelId}/messages`, {
    clientMsgId: `ed-${++n}`,
    text,
    ...(threadRootId && { threadRootId }),
  });
  expect(res.status).toBe(201);
  return res.body.message;
}
const msgUrl = (channelId: string, id: string) => `/api/v1/channels/${channelId}/messages/${id}`;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  carol = await t.user(workspaceId, { name: 'Carol' });
  admin = await t.user(workspaceId, { name: 'Ada Admin', role: 'admin' });
  for (const c of [bob, carol]) expect((await c.post(`/api/v1/channels/${generalId}/join`)).status).toBe(200);
});
afterAll(() => t?.stop());

describe('editing a message', () => {
  it('lets the author edit, keeps the previous text in the history and tells the channel', async () => {
    const carolWs = await carol.connect();
    const m = await send(bob, generalId, 'first draft');
    const res = await bob.patch(msgUrl(generalId, m.id), { text: 'second draft' });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ id: m.id, text: 'second draft', seq: m.seq, deleted: false });
    expect(res.body.message.editedAt).not.toBeNull();
    const frame = await carolWs.next((f) => f.type === 'event' && f.event.type === 'message.updated');
    expect(frame.event.message).toEqual(res.body.message);
    expect(frame.seq).toBeGreaterThan(m.seq);

    await bob.patch(msgUrl(generalId, m.id), { text: 'third draft' });
    const history = await carol.get(`${msgUrl(generalId, m.id)}/edits`);
    expect(history.status).toBe(200);
    expect(history.body.edits.map((e: { text: string }) => e.text)).toEqual(['first draft', 'second draft']);
    expect(history.body.edits[0].editorId).toBe(bob.userId);
    carolWs.close();
  });

  it('saving the same text is not an edit: no history row, no event', async () => {
    const m = await send(bob, generalId, 'unchanged');
    const ws = await carol.connect();
    const res = await bob.patch(msgUrl(generalId, m.id), { text: 'unchanged' });
    expect(res.status).toBe(200);
    expect(res.body.message.editedAt).toBeNull();
    await ws.settle();
    expect(ws.events().filter((f) => f.event.type === 'message.updated')).toHaveLength(0);
    expect((await carol.get(`${msgUrl(generalId, m.id)}/edits`)).body.edits).toEqual([]);
    ws.close();
  });

  it('re-parses mentions: mention records follow the new text', async () => {
    const m = await send(bob, generalId, `hey <@${carol.userId}>`);
    const rows = () => t.query('us', 'SELECT user_id FROM mentions WHERE message_id = $1', [m.id]);
    expect((await rows()).rows.map((r) => r.user_id)).toEqual([carol.userId]);
    const res = await bob.patch(msgUrl(generalId, m.id), { text: `sorry, I meant <@${owner.userId}> @here` });
    expect(res.body.message.mentions).toEqual({ userIds: [owner.userId], channel: false, here: true });
    expect((await rows()).rows.map((r) => r.user_id)).toEqual([owner.userId]);
    const seq = await t.query('us', 'SELECT seq FROM mentions WHERE message_id = $1', [m.id]);
    expect(Number(seq.rows[0].seq)).toBe(m.seq);
  });

  it('refuses edits by anyone but the author, even the workspace owner, and changes nothing', async () => {
    const m = await send(bob, generalId, 'mine');
    for (const [other, code] of [
      [carol, 'FORBIDDEN'],
      [owner, 'FORBIDDEN'],
      [admin, 'NOT_CHANNEL_MEMBER'],
    ] as const) {
      const res = await other.patch(msgUrl(generalId, m.id), { text: 'hijacked' });
      expect([res.status, res.body.error.code]).toEqual([403, code]);
    }
    const row = await t.query('us', 'SELECT text, edited_at FROM messages WHERE id = $1', [m.id]);
    expect(row.rows[0]).toEqual({ text: 'mine', edited_at: null });
    expect(
      (await t.query('us', 'SELECT count(*)::int AS n FROM message_edits WHERE message_id = $1', [m.id]))
        .rows[0].n,
    ).toBe(0);
  });

  it('checks the new text like a send, and validates ids and fields', async () => {
    const m = await send(bob, generalId, 'short');
    const long = await bob.patch(msgUrl(generalId, m.id), { text: 'x'.repeat(8001) });
    expect([long.status, long.body.error.code]).toEqual([400, 'MESSAGE_TOO_LONG']);
    const empty = await bob.patch(msgUrl(generalId, m.id), { text: '   ' });
    expect([empty.status, empty.body.error.code]).toEqual([400, 'MESSAGE_EMPTY']);
    const extra = await bob.patch(msgUrl(generalId, m.id), { text: 'ok', pinned: true });
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const badId = await bob.patch(msgUrl(generalId, 'nope'), { text: 'ok' });
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID']);
    const unknown = await bob.patch(msgUrl(generalId, '01a20000-0000-7000-8000-000000000000'), {
      text: 'ok',
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
  });

  it('a message of another channel is not found through this one', async () => {
    const other = (
      await bob.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'bob-side', kind: 'public' })
    ).body.channel;
    const m = await send(bob, other.id, 'elsewhere');
    const res = await bob.patch(msgUrl(generalId, m.id), { text: 'moved?' });
    expect([res.status, res.body.error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
  });

  it('a private channel you are not in answers 404 for edits, history and deletes', async () => {
    const priv = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'secret-room', kind: 'private' })
    ).body.channel;
    const m = await send(owner, priv.id, 'private words');
    for (const res of [
      await bob.patch(msgUrl(priv.id, m.id), { text: 'x' }),
      await bob.get(`${msgUrl(priv.id, m.id)}/edits`),
      await bob.delete(msgUrl(priv.id, m.id)),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    }
  });

  it('an archived channel refuses edits and deletes with CHANNEL_ARCHIVED', async () => {
    const ch = (
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'old-news', kind: 'public' })
    ).body.channel;
    const m = await send(owner, ch.id, 'before archive');
    expect((await owner.post(`/api/v1/channels/${ch.id}/archive`)).status).toBe(200);
    const edit = await owner.patch(msgUrl(ch.id, m.id), { text: 'after' });
    expect([edit.status, edit.body.error.code]).toEqual([403, 'CHANNEL_ARCHIVED']);
    const del = await owner.delete(msgUrl(ch.id, m.id));
    expect([del.status, del.body.error.code]).toEqual([403, 'CHANNEL_ARCHIVED']);
  });
});

describe('deleting a message', () => {
  it('the author deletes: the text is gone from every table and from the replayable event log', async () => {
    const marker = 'passport X1234567 zebra-marker';
    const m = await send(bob, generalId, `${marker} <@${carol.userId}>`);
    await bob.patch(msgUrl(generalId, m.id), { text: `${marker} edited` });
    await carol.post(`${msgUrl(generalId, m.id)}/reactions`, { emoji: 'eyes' });
    await carol.put(`${msgUrl(generalId, m.id)}/pin`);
    const ws = await carol.connect();

    const res = await bob.delete(msgUrl(generalId, m.id));
    expect(res.status).toBe(204);
    const frame = await ws.next((f) => f.type === 'event' && f.event.type === 'message.deleted');
    expect(frame.event).toEqual({ type: 'message.deleted', messageId: m.id, threadRootId: null });

    for (const [table, where] of [
      ['message_edits', 'message_id'],
      ['reactions', 'message_id'],
      ['pins', 'message_id'],
      ['mentions', 'message_id'],
    ] as const) {
      expect(
        (await t.query('us', `SELECT count(*)::int AS n FROM ${table} WHERE ${where} = $1`, [m.id])).rows[0]
          .n,
        table,
      ).toBe(0);
    }
    const row = await t.query(
      'us',
      'SELECT text, deleted_at, search::text AS search FROM messages WHERE id = $1',
      [m.id],
    );
    expect(row.rows[0].text).toBe('');
    expect(row.rows[0].deleted_at).not.toBeNull();
    expect(row.rows[0].search).toBe('');
    const leaks = await t.query(
      'us',
      "SELECT count(*)::int AS n FROM channel_events WHERE payload::text LIKE '%zebra-marker%'",
    );
    expect(leaks.rows[0].n).toBe(0);
    const anywhere = await t.query(
      'us',
      "SELECT count(*)::int AS n FROM messages WHERE text LIKE '%zebra-marker%'",
    );
    expect(anywhere.rows[0].n).toBe(0);

    // A client resuming from before the message replays only the tombstone.
    const replayer = await carol.connect({ [generalId]: m.seq - 1 });
    const created = replayer
      .events(generalId)
      .find((f) => f.event.type === 'message.created' && f.event.message.id === m.id);
    expect(created.event.message).toMatchObject({ text: '', deleted: true });
    expect(JSON.stringify(replayer.frames)).not.toContain('zebra-marker');

    // It leaves the timeline, and the audit log names who, never what.
    const page = await carol.get(`/api/v1/channels/${generalId}/messages?limit=200`);
    expect(page.body.messages.find((x: { id: string }) => x.id === m.id)).toBeUndefined();
    const audit = await t.query(
      'us',
      "SELECT actor_id, details FROM audit_events WHERE action = 'message.deleted' AND target_id = $1",
      [m.id],
    );
    expect(audit.rows[0]).toEqual({
      actor_id: bob.userId,
      details: { authorId: bob.userId, byAuthor: true },
    });
    ws.close();
    replayer.close();
  });

  it('deleting twice is not an error and emits once', async () => {
    const m = await send(bob, generalId, 'twice');
    const ws = await carol.connect();
    expect((await bob.delete(msgUrl(generalId, m.id))).status).toBe(204);
    expect((await bob.delete(msgUrl(generalId, m.id))).status).toBe(204);
    await ws.next((f) => f.type === 'event' && f.event.type === 'message.deleted');
    await ws.settle();
    expect(ws.events().filter((f) => f.event.type === 'message.deleted')).toHaveLength(1);
    ws.close();
  });

  it('a channel owner or a workspace admin may delete others\u2019 messages; another member may not', async () => {
    const a = await send(bob, generalId, 'one');
    const b = await send(bob, generalId, 'two');
    const denied = await carol.delete(msgUrl(generalId, a.id));
    expect([denied.status, denied.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await owner.delete(msgUrl(generalId, a.id))).status).toBe(204);
    // The workspace admin is not in #general, but it is public, so they may moderate it.
    expect((await admin.delete(msgUrl(generalId, b.id))).status).toBe(204);
    const audit = await t.query(
      'us',
      "SELECT details FROM audit_events WHERE action = 'message.deleted' AND target_id = $1",
      [b.id],
    );
    expect(audit.rows[0].details).toEqual({ authorId: bob.userId, byAuthor: false });
  });

  it('a deleted thread root stays as a tombstone for its replies; replies stay readable', async () => {
    const root = await send(bob, generalId, 'root text tombstone-marker');
    const reply = await send(carol, generalId, 'a reply', root.id);
    expect((await bob.delete(msgUrl(generalId, root.id))).status).toBe(204);
    const page = await carol.get(`/api/v1/channels/${generalId}/messages?limit=200`);
    const tomb = page.body.messages.find((x: { id: string }) => x.id === root.id);
    expect(tomb).toMatchObject({ deleted: true, text: '', replyCount: 1, reactions: [], pinned: false });
    const replies = await carol.get(`${msgUrl(generalId, root.id)}/replies`);
    expect(replies.body.messages.map((x: { id: string }) => x.id)).toEqual([reply.id]);
    // Replying to a deleted root is refused.
    const late = await carol.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'late-reply',
      text: 'x',
      threadRootId: root.id,
    });
    expect([late.status, late.body.error.code]).toEqual([409, 'MESSAGE_DELETED']);
    // Editing it too.
    const edit = await bob.patch(msgUrl(generalId, root.id), { text: 'revive' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'MESSAGE_DELETED']);
  });

  it('deleting a reply updates the root reply count and tells the channel', async () => {
    const root = await send(bob, generalId, 'root');
    const r1 = await send(carol, generalId, 'r1', root.id);
    const r2 = await send(carol, generalId, 'r2', root.id);
    const ws = await bob.connect();
    expect((await carol.delete(msgUrl(generalId, r2.id))).status).toBe(204);
    const deleted = await ws.next((f) => f.type === 'event' && f.event.type === 'message.deleted');
    expect(deleted.event).toEqual({ type: 'message.deleted', messageId: r2.id, threadRootId: root.id });
    const updated = await ws.next((f) => f.type === 'event' && f.event.type === 'thread.updated');
    expect(updated.seq).toBe(deleted.seq + 1);
    expect(updated.event).toEqual({
      type: 'thread.updated',
      rootId: root.id,
      replyCount: 1,
      lastReplyAt: r1.createdAt,
    });
    const page = await bob.get(`/api/v1/channels/${generalId}/messages?around=${root.id}&limit=3`);
    expect(page.body.messages.find((x: { id: string }) => x.id === root.id)).toMatchObject({
      replyCount: 1,
      lastReplyAt: r1.createdAt,
    });
    ws.close();
  });

  it('a deleted root disappears once its last reply is deleted', async () => {
    const root = await send(bob, generalId, 'root to vanish');
    const r1 = await send(carol, generalId, 'only reply', root.id);
    await bob.delete(msgUrl(generalId, root.id));
    await carol.delete(msgUrl(generalId, r1.id));
    const page = await bob.get(`/api/v1/channels/${generalId}/messages?limit=200`);
    expect(page.body.messages.find((x: { id: string }) => x.id === root.id)).toBeUndefined();
    const hist = await bob.get(`${msgUrl(generalId, root.id)}/edits`);
    expect([hist.status, hist.body.error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
  });

  it('an author who left the channel cannot delete there any more; a guest cannot delete others\u2019 messages', async () => {
    const dave = await t.user(workspaceId, { name: 'Dave' });
    await dave.post(`/api/v1/channels/${generalId}/join`);
    const m = await send(dave, generalId, 'then I left');
    expect((await dave.post(`/api/v1/channels/${generalId}/leave`)).status).toBe(204);
    const res = await dave.delete(msgUrl(generalId, m.id));
    expect([res.status, res.body.error.code]).toEqual([403, 'NOT_CHANNEL_MEMBER']);

    const guest = await t.user(workspaceId, { name: 'Gus Guest', role: 'guest' });
    await owner.post(`/api/v1/channels/${generalId}/members`, { userIds: [guest.userId] });
    const g = await guest.delete(msgUrl(generalId, m.id));
    expect([g.status, g.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const own = await send(guest, generalId, 'guest note');
    expect((await guest.delete(msgUrl(generalId, own.id))).status).toBe(204);
  });
});
