import { CLOSE_CODES } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let admin: ApiClient;
let member: ApiClient;
let workspaceId: string;
let generalId: string;
let n = 0;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  admin = await t.user(workspaceId, { name: 'Ada Admin', role: 'admin' });
  member = await t.user(workspaceId, { name: 'Mo Member' });
});
afterAll(() => t?.stop());

/** A person with known credentials (joined through an invitation), so the test can sign in again. */
async function person(role: 'member' | 'guest' | 'admin' = 'member') {
  const inv = await owner.post(`/api/v1/workspaces/${workspaceId}/invitations`, { role });
  const email = `person${++n}@example.com`;
  const password = 'person-password-1';
  const client = new ApiClient(t.url);
  const res = await client.post(`/api/v1/invitations/accept?token=${inv.body.token}`, {
    email,
    password,
    displayName: `Person ${n}`,
  });
  expect(res.status).toBe(200);
  client.adopt(res);
  return { client, email, password };
}

async function signIn(email: string, password: string) {
  const c = new ApiClient(t.url);
  const res = await c.post('/api/v1/auth/login', { email, password });
  return { client: res.status === 200 ? c.adopt(res) : c, res };
}

describe('me', () => {
  it('reads and renames yourself; the change is audited', async () => {
    const me = await member.get('/api/v1/me');
    expect(me.body.user).toMatchObject({
      id: member.userId,
      displayName: 'Mo Member',
      kind: 'human',
      deactivated: false,
    });
    const renamed = await member.patch('/api/v1/me', { displayName: '  Maurice  ' });
    expect(renamed.body.user.displayName).toBe('Maurice');
    expect((await member.get('/api/v1/me')).body.user.displayName).toBe('Maurice');
    const audit = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.updated' AND target_id = $1",
      [member.userId],
    );
    expect(audit.rows[0].n).toBe(1);
    for (const bad of [{ displayName: '' }, { displayName: 'x'.repeat(81) }, { email: 'new@example.com' }]) {
      const res = await member.patch('/api/v1/me', bad);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await t.anon().get('/api/v1/me')).body.error.code).toBe('AUTH_REQUIRED');
  });

  it('changing the password signs out every other session at once, and the old password stops working', async () => {
    const { client: first, email, password } = await person();
    const { client: second } = await signIn(email, password);
    const secondWs = await second.connect();
    const firstWs = await first.connect();
    const wrong = await first.post('/api/v1/me/password', {
      currentPassword: 'not-my-password',
      newPassword: 'brand-new-password',
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const weak = await first.post('/api/v1/me/password', { currentPassword: password, newPassword: 'short' });
    expect([weak.status, weak.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(
      (
        await first.post('/api/v1/me/password', {
          currentPassword: password,
          newPassword: 'brand-new-password',
        })
      ).status,
    ).toBe(204);
    expect(await secondWs.closed()).toBe(CLOSE_CODES.SESSION_REVOKED);
    expect((await second.get('/api/v1/me')).body.error.code).toBe('SESSION_EXPIRED');
    // The session that made the change stays signed in, and its socket stays open.
    expect((await first.get('/api/v1/me')).status).toBe(200);
    firstWs.send({ type: 'ping', nonce: 'still-here' });
    expect((await firstWs.next((f) => f.type === 'pong')).nonce).toBe('still-here');
    expect((await signIn(email, password)).res.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await signIn(email, 'brand-new-password')).res.status).toBe(200);
    firstWs.close();
  });

  it('denies a password change through a token, and without the CSRF header', async () => {
    const { client, password } = await person();
    const pat = await client.post('/api/v1/tokens', { name: 'admin-pat', scopes: ['admin'] });
    const viaToken = await client
      .withToken(pat.body.token)
      .post('/api/v1/me/password', { currentPassword: password, newPassword: 'another-password-1' });
    expect([viaToken.status, viaToken.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const noCsrf = await client.post(
      '/api/v1/me/password',
      { currentPassword: password, newPassword: 'another-password-1' },
      { 'x-csrf-token': '' },
    );
    expect(noCsrf.body.error.code).toBe('CSRF_FAILED');
  });
});

describe('users', () => {
  it('shows a person only to those who share a workspace with them', async () => {
    const seen = await member.get(`/api/v1/users/${admin.userId}`);
    expect(seen.body.user).toMatchObject({ id: admin.userId, displayName: 'Ada Admin' });
    const other = await owner.post('/api/v1/workspaces', { name: 'Elsewhere' });
    const outsider = await t.user(other.body.workspace.id, { name: 'Outsider' });
    const hidden = await member.get(`/api/v1/users/${outsider.userId}`);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'USER_NOT_FOUND']);
    expect((await outsider.get(`/api/v1/users/${member.userId}`)).body.error.code).toBe('USER_NOT_FOUND');
    // The owner is in both workspaces, so sees both; you always see yourself.
    expect((await owner.get(`/api/v1/users/${outsider.userId}`)).status).toBe(200);
    expect((await outsider.get(`/api/v1/users/${outsider.userId}`)).status).toBe(200);
    expect((await member.get('/api/v1/users/01a20000-0000-7000-8000-000000000000')).body.error.code).toBe(
      'USER_NOT_FOUND',
    );
    expect((await member.get('/api/v1/users/nope')).body.error.code).toBe('INVALID_ID');
  });

  it('deactivation revokes sessions and tokens, closes live sockets with 4003, and blocks sign-in', async () => {
    const { client, email, password } = await person();
    await owner.post(`/api/v1/channels/${generalId}/members`, { userIds: [client.userId] });
    const pat = await client.post('/api/v1/tokens', { name: 'script', scopes: ['read', 'write'] });
    const token = client.withToken(pat.body.token);
    const cookieWs = await client.connect();
    const tokenWs = await token.connect();
    const res = await admin.post(`/api/v1/users/${client.userId}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.body.user.deactivated).toBe(true);
    expect(await cookieWs.closed()).toBe(CLOSE_CODES.ACCOUNT_DEACTIVATED);
    expect(await tokenWs.closed()).toBe(CLOSE_CODES.ACCOUNT_DEACTIVATED);
    const rows = await t.query(
      'directory',
      `SELECT (SELECT count(*)::int FROM sessions WHERE user_id = $1 AND revoked_at IS NULL) AS sessions,
              (SELECT count(*)::int FROM access_tokens WHERE user_id = $1 AND revoked_at IS NULL) AS tokens`,
      [client.userId],
    );
    expect(rows.rows[0]).toEqual({ sessions: 0, tokens: 0 });
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await token.get('/api/v1/me')).body.error.code).toBe('INVALID_TOKEN');
    const login = await signIn(email, password);
    expect([login.res.status, login.res.body.error.code]).toEqual([403, 'ACCOUNT_DEACTIVATED']);
    // Still visible to co-members, shown as deactivated.
    expect((await member.get(`/api/v1/users/${client.userId}`)).body.user.deactivated).toBe(true);
    const audit = await t.query(
      'directory',
      "SELECT actor_id, details FROM audit_events WHERE action = 'user.deactivated' AND target_id = $1",
      [client.userId],
    );
    expect(audit.rows).toEqual([
      { actor_id: admin.userId, details: { sessionsRevoked: 1, tokensRevoked: 1 } },
    ]);

    const back = await admin.post(`/api/v1/users/${client.userId}/reactivate`);
    expect(back.body.user.deactivated).toBe(false);
    expect((await signIn(email, password)).res.status).toBe(200);
    // Old credentials stay revoked after reactivation.
    expect((await token.get('/api/v1/me')).status).toBe(401);
  });

  it('who may deactivate whom', async () => {
    const victim = await person();
    const guest = await person('guest');
    const peerAdmin = await person('admin');
    const other = await owner.post('/api/v1/workspaces', { name: 'Far Away' });
    const stranger = await t.user(other.body.workspace.id, { name: 'Stranger', role: 'admin' });
    // Owning any workspace puts a person out of reach of other workspaces' admins.
    const founder = await person();
    expect((await founder.client.post('/api/v1/workspaces', { name: 'Founder Co' })).status).toBe(201);
    const cases: [ApiClient, string | null, number, string][] = [
      [admin, founder.client.userId, 403, 'FORBIDDEN'],
      [member, victim.client.userId, 403, 'FORBIDDEN'], // a member is not an admin
      [guest.client, victim.client.userId, 403, 'FORBIDDEN'],
      [stranger, victim.client.userId, 404, 'USER_NOT_FOUND'], // shares no workspace
      [admin, owner.userId, 403, 'FORBIDDEN'], // owners and instance admins are out of reach
      [admin, peerAdmin.client.userId, 403, 'FORBIDDEN'], // an admin does not outrank an admin
      [admin, admin.userId, 403, 'FORBIDDEN'], // not yourself
      [owner, owner.userId, 403, 'FORBIDDEN'],
      [admin, '01a20000-0000-7000-8000-000000000000', 404, 'USER_NOT_FOUND'],
    ];
    for (const [who, target, status, code] of cases) {
      for (const op of ['deactivate', 'reactivate']) {
        const res = await who.post(`/api/v1/users/${target}/${op}`);
        expect({ op, target, status: res.status, code: res.body.error?.code }).toEqual({
          op,
          target,
          status,
          code,
        });
      }
    }
    const untouched = await t.query(
      'directory',
      'SELECT count(*)::int AS n FROM users WHERE deactivated_at IS NOT NULL',
    );
    expect(untouched.rows[0].n).toBe(0);
    // The owner (an instance admin here) may deactivate an admin; a write-only token may not.
    const pat = await owner.post('/api/v1/tokens', { name: 'w', scopes: ['read', 'write'] });
    const scoped = await owner
      .withToken(pat.body.token)
      .post(`/api/v1/users/${peerAdmin.client.userId}/deactivate`);
    expect(scoped.body.error.code).toBe('TOKEN_SCOPE_MISSING');
    expect((await owner.post(`/api/v1/users/${peerAdmin.client.userId}/deactivate`)).status).toBe(200);
    expect((await owner.post('/api/v1/users/nope/deactivate')).body.error.code).toBe('INVALID_ID');
    expect(
      (await owner.post(`/api/v1/users/${victim.client.userId}/deactivate`, { reason: 'x' })).body.error.code,
    ).toBe('VALIDATION_FAILED');
  });
});
