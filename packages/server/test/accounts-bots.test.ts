import { CLOSE_CODES } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let admin: ApiClient;
let member: ApiClient;
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  admin = await t.user(workspaceId, { name: 'Ada Admin', role: 'admin' });
  member = await t.user(workspaceId, { name: 'Mo Member' });
  await owner.post(`/api/v1/channels/${generalId}/members`, { userIds: [admin.userId, member.userId] });
});
afterAll(() => t?.stop());

async function makeBot(by: ApiClient, name: string, scopes = ['read', 'write']) {
  const res = await by.post(`/api/v1/workspaces/${workspaceId}/bots`, { displayName: name, scopes });
  expect(res.status).toBe(201);
  const bot = by.withToken(res.body.token, res.body.user.id);
  return { bot, body: res.body };
}

describe('bots', () => {
  it('an admin creates a bot user with a token; it has no email or password and is listed', async () => {
    const { body } = await makeBot(admin, 'Case Router');
    expect(body.token).toMatch(/^enc_bot_/);
    expect(body.user).toMatchObject({
      kind: 'bot',
      email: null,
      displayName: 'Case Router',
      deactivated: false,
    });
    expect(body.accessToken).toMatchObject({ kind: 'bot', userId: body.user.id, scopes: ['read', 'write'] });
    const row = await t.query('directory', 'SELECT email, password_hash FROM users WHERE id = $1', [
      body.user.id,
    ]);
    expect(row.rows[0]).toEqual({ email: null, password_hash: null });
    const list = await owner.get(`/api/v1/workspaces/${workspaceId}/bots`);
    expect(list.status).toBe(200);
    const listed = list.body.bots.find((b: { user: { id: string } }) => b.user.id === body.user.id);
    expect(listed.accessTokens.map((a: { id: string }) => a.id)).toEqual([body.accessToken.id]);
    expect(JSON.stringify(list.body)).not.toContain(body.token);
    const audit = await t.query(
      'directory',
      "SELECT actor_id FROM audit_events WHERE action = 'bot.created' AND target_id = $1",
      [body.user.id],
    );
    expect(audit.rows).toEqual([{ actor_id: admin.userId }]);
  });

  it('a bot added to a channel posts through the send path and receives WS events with its token', async () => {
    const { bot, body } = await makeBot(owner, 'Notifier');
    // Not in the channel yet: it may not post.
    const early = await bot.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'b0',
      text: 'too early',
    });
    expect(early.body.error.code).toBe('NOT_CHANNEL_MEMBER');
    expect(
      (await member.post(`/api/v1/channels/${generalId}/members`, { userIds: [body.user.id] })).status,
    ).toBe(200);
    const botWs = await bot.connect();
    const memberWs = await member.connect();
    const sent = await bot.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'b1',
      text: 'build finished',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message.authorId).toBe(body.user.id);
    const seen = await memberWs.next((f) => f.type === 'event' && f.event.type === 'message.created');
    expect(seen.event.message.id).toBe(sent.body.message.id);
    const own = await botWs.next((f) => f.type === 'event' && f.event.type === 'message.created');
    expect(own.event.message.id).toBe(sent.body.message.id);
    // And it hears people.
    const reply = await member.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'm1',
      text: 'thanks bot',
    });
    const heard = await botWs.next((f) => f.type === 'event' && f.event.type === 'message.created');
    expect(heard.event.message.id).toBe(reply.body.message.id);
    memberWs.close();
    // Revoking the bot cuts its live connection and its token.
    const revoked = await admin.delete(`/api/v1/workspaces/${workspaceId}/bots/${body.user.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.user.deactivated).toBe(true);
    expect(await botWs.closed()).toBe(CLOSE_CODES.ACCOUNT_DEACTIVATED);
    const after = await bot.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'b2',
      text: 'still here?',
    });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('INVALID_TOKEN');
    const listed = (await admin.get(`/api/v1/workspaces/${workspaceId}/bots`)).body.bots.find(
      (b: { user: { id: string } }) => b.user.id === body.user.id,
    );
    expect(listed).toMatchObject({ user: { deactivated: true }, accessTokens: [] });
  });

  it('bots cannot sign in, create workspaces, mint tokens, accept invitations or create bots', async () => {
    const { bot } = await makeBot(owner, 'Powerful', ['read', 'write', 'admin']);
    // No email and no password: there is nothing to sign in with. Even if a bot row somehow got
    // both, the login route only signs in humans.
    await t.query(
      'directory',
      "UPDATE users SET email = 'bot@example.com', password_hash = (SELECT password_hash FROM users WHERE id = $2) WHERE id = $1",
      [bot.userId, owner.userId],
    );
    const login = await t
      .anon()
      .post('/api/v1/auth/login', { email: 'bot@example.com', password: 'owner-password-123' });
    expect([login.status, login.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const ws = await bot.post('/api/v1/workspaces', { name: 'Bot land' });
    expect([ws.status, ws.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await bot.post('/api/v1/tokens', { name: 'x', scopes: ['read'] })).body.error.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await bot.post(`/api/v1/workspaces/${workspaceId}/bots`, { displayName: 'Child', scopes: ['read'] }))
        .status,
    ).toBe(403);
    const inv = await owner.post(`/api/v1/workspaces/${workspaceId}/invitations`, {});
    const acc = await bot.post(`/api/v1/invitations/accept?token=${inv.body.token}`);
    expect([acc.status, acc.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(
      (await bot.post('/api/v1/me/password', { currentPassword: 'x', newPassword: 'new-password-123' }))
        .status,
    ).toBe(403);
    const promote = await owner.patch(`/api/v1/workspaces/${workspaceId}/members/${bot.userId}`, {
      role: 'admin',
    });
    expect([promote.status, promote.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('denies: members cannot create, list or revoke bots; outsiders see no workspace; bad input is a 400', async () => {
    const { body } = await makeBot(owner, 'Keeper');
    const create = await member.post(`/api/v1/workspaces/${workspaceId}/bots`, {
      displayName: 'Mine',
      scopes: ['read'],
    });
    expect([create.status, create.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await member.get(`/api/v1/workspaces/${workspaceId}/bots`)).body.error.code).toBe('FORBIDDEN');
    expect(
      (await member.delete(`/api/v1/workspaces/${workspaceId}/bots/${body.user.id}`)).body.error.code,
    ).toBe('FORBIDDEN');
    const guest = await t.user(workspaceId, { role: 'guest' });
    expect((await guest.get(`/api/v1/workspaces/${workspaceId}/bots`)).status).toBe(403);
    // Someone in another workspace: the workspace does not exist for them.
    const other = await owner.post('/api/v1/workspaces', { name: 'Elsewhere' });
    const outsider = await t.user(other.body.workspace.id);
    expect(
      (await outsider.post(`/api/v1/workspaces/${workspaceId}/bots`, { displayName: 'X', scopes: ['read'] }))
        .body.error.code,
    ).toBe('WORKSPACE_NOT_FOUND');
    expect((await outsider.get(`/api/v1/workspaces/${workspaceId}/bots`)).status).toBe(404);
    expect((await outsider.delete(`/api/v1/workspaces/${workspaceId}/bots/${body.user.id}`)).status).toBe(
      404,
    );
    // A human is not a bot; a bot of another workspace is not this workspace's.
    expect(
      (await owner.delete(`/api/v1/workspaces/${workspaceId}/bots/${member.userId}`)).body.error.code,
    ).toBe('USER_NOT_FOUND');
    expect(
      (await owner.delete(`/api/v1/workspaces/${other.body.workspace.id}/bots/${body.user.id}`)).body.error
        .code,
    ).toBe('USER_NOT_FOUND');
    expect((await owner.delete(`/api/v1/workspaces/${workspaceId}/bots/nope`)).body.error.code).toBe(
      'INVALID_ID',
    );
    expect((await owner.get('/api/v1/workspaces/nope/bots')).body.error.code).toBe('INVALID_ID');
    for (const bad of [
      { displayName: 'X', scopes: ['god'] },
      { displayName: '', scopes: ['read'] },
      { displayName: 'X', scopes: ['read'], email: 'a@b.c' },
    ]) {
      const res = await owner.post(`/api/v1/workspaces/${workspaceId}/bots`, bad);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const keeper = await t.query('directory', 'SELECT deactivated_at FROM users WHERE id = $1', [
      body.user.id,
    ]);
    expect(keeper.rows[0].deactivated_at).toBeNull();
  });
});
