import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let admin: ApiClient;
let member: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  admin = await t.user(workspaceId, { name: 'Ada Admin', role: 'admin' });
  member = await t.user(workspaceId, { name: 'Mo Member' });
});
afterAll(() => t?.stop());

async function invite(by: ApiClient, body: Record<string, unknown> = {}) {
  const res = await by.post(`/api/v1/workspaces/${workspaceId}/invitations`, body);
  expect(res.status).toBe(201);
  return res.body as {
    token: string;
    url: string;
    invitation: { id: string; role: string; maxUses: number; uses: number; expiresAt: string };
  };
}

const newAccount = (tag: string) => ({
  email: `${tag}@example.com`,
  password: 'joiner-password-1',
  displayName: `Joiner ${tag}`,
});

describe('invitations', () => {
  it('an admin creates a link; anyone previews it; a newcomer accepts with a new account and is signed in', async () => {
    const inv = await invite(admin, { role: 'guest', expiresInHours: 48, maxUses: 2 });
    expect(inv.token).toMatch(/^enc_inv_/);
    expect(inv.url).toBe(`${t.url}/invite/${inv.token}`);
    expect(inv.invitation).toMatchObject({ role: 'guest', maxUses: 2, uses: 0 });
    const stored = await t.query(
      'directory',
      'SELECT count(*)::int AS n FROM invitations WHERE token_hash = sha256(convert_to($1, $2))',
      [inv.token, 'UTF8'],
    );
    expect(stored.rows[0].n).toBe(1);

    const visitor = t.anon();
    const preview = await visitor.get(`/api/v1/invitations/preview?token=${inv.token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      workspace: { id: workspaceId, name: 'Trust and Safety' },
      role: 'guest',
      expiresAt: inv.invitation.expiresAt,
    });

    const accepted = await visitor.post(
      `/api/v1/invitations/accept?token=${inv.token}`,
      newAccount('newbie'),
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({
      email: 'newbie@example.com',
      displayName: 'Joiner newbie',
      kind: 'human',
    });
    expect(accepted.body.workspace).toMatchObject({ id: workspaceId, role: 'guest' });
    expect(accepted.body.csrfToken).toEqual(expect.any(String));
    expect(
      accepted.headers.getSetCookie().some((c) => c.startsWith('enclave_session=') && /HttpOnly/i.test(c)),
    ).toBe(true);
    visitor.adopt(accepted);
    // A guest is not added to #general: guests see only channels they are invited to.
    expect((await visitor.get(`/api/v1/workspaces/${workspaceId}/channels`)).body.channels).toEqual([]);
    // The new session works, including a CSRF-protected write.
    expect((await visitor.patch('/api/v1/me', { displayName: 'Newbie' })).status).toBe(200);
    const members = await owner.get(`/api/v1/workspaces/${workspaceId}/members?limit=200`);
    expect(
      members.body.members.find((m: { user: { id: string } }) => m.user.id === visitor.userId)?.role,
    ).toBe('guest');
    const list = await admin.get(`/api/v1/workspaces/${workspaceId}/invitations`);
    expect(list.body.invitations.find((i: { id: string }) => i.id === inv.invitation.id)?.uses).toBe(1);
    const audit = await t.query(
      'directory',
      "SELECT actor_id FROM audit_events WHERE action = 'invitation.accepted' AND target_id = $1",
      [inv.invitation.id],
    );
    expect(audit.rows).toEqual([{ actor_id: visitor.userId }]);
  });

  it('a signed-in person accepts with an empty body and joins with the invited role', async () => {
    const other = await owner.post('/api/v1/workspaces', { name: 'Second Floor' });
    const stranger = await t.user(other.body.workspace.id, { name: 'Stranger' });
    const inv = await invite(owner, { role: 'admin' });
    const res = await stranger.post(`/api/v1/invitations/accept?token=${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: stranger.userId },
      workspace: { id: workspaceId, role: 'admin' },
      csrfToken: null,
    });
    expect((await stranger.get(`/api/v1/workspaces/${workspaceId}`)).body.workspace.role).toBe('admin');
    // Members (not guests) land in #general, as in Slack and Mattermost.
    const mine = await stranger.get(`/api/v1/workspaces/${workspaceId}/channels`);
    expect(mine.body.channels.map((c: { name: string }) => c.name)).toEqual(['general']);
    // A second accept by a member is refused, and does not use the link up.
    const again = await invite(owner);
    const dup = await member.post(`/api/v1/invitations/accept?token=${again.token}`, {});
    expect([dup.status, dup.body.error.code]).toEqual([409, 'ALREADY_MEMBER']);
    expect((await t.anon().get(`/api/v1/invitations/preview?token=${again.token}`)).status).toBe(200);
  });

  it('expired, revoked and used-up links are 404 INVITATION_NOT_FOUND for preview and accept', async () => {
    const expired = await invite(owner);
    await t.query(
      'directory',
      "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1",
      [expired.invitation.id],
    );
    const revoked = await invite(owner);
    expect(
      (await admin.delete(`/api/v1/workspaces/${workspaceId}/invitations/${revoked.invitation.id}`)).status,
    ).toBe(204);
    const used = await invite(owner, { maxUses: 1 });
    expect(
      (await t.anon().post(`/api/v1/invitations/accept?token=${used.token}`, newAccount('first'))).status,
    ).toBe(200);
    const forged = `enc_inv_${'x'.repeat(43)}`;
    for (const token of [expired.token, revoked.token, used.token, forged, 'garbage']) {
      const preview = await t.anon().get(`/api/v1/invitations/preview?token=${token}`);
      expect([preview.status, preview.body.error.code]).toEqual([404, 'INVITATION_NOT_FOUND']);
      const accept = await t
        .anon()
        .post(
          `/api/v1/invitations/accept?token=${token}`,
          newAccount(`late-${token.length}-${Math.random().toString(36).slice(2, 8)}`),
        );
      expect([accept.status, accept.body.error.code]).toEqual([404, 'INVITATION_NOT_FOUND']);
      const asMember = await (
        await t.user((await owner.post('/api/v1/workspaces', { name: 'Tmp' })).body.workspace.id)
      ).post(`/api/v1/invitations/accept?token=${token}`);
      expect(asMember.body.error.code).toBe('INVITATION_NOT_FOUND');
    }
    // Nothing was half-written by the refused accepts.
    const late = await t.query('directory', "SELECT count(*)::int AS n FROM users WHERE email LIKE 'late-%'");
    expect(late.rows[0].n).toBe(0);
    // Listing shows only usable invitations.
    const ids = (await owner.get(`/api/v1/workspaces/${workspaceId}/invitations`)).body.invitations.map(
      (i: { id: string }) => i.id,
    );
    expect(ids).not.toContain(expired.invitation.id);
    expect(ids).not.toContain(revoked.invitation.id);
    expect(ids).not.toContain(used.invitation.id);
    // Revoking twice, or an id from nowhere.
    expect(
      (await owner.delete(`/api/v1/workspaces/${workspaceId}/invitations/${revoked.invitation.id}`)).body
        .error.code,
    ).toBe('INVITATION_NOT_FOUND');
  });

  it('two concurrent accepts of a one-use link: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const inv = await invite(owner, { maxUses: 1 });
      const [a, b] = await Promise.all([
        t.anon().post(`/api/v1/invitations/accept?token=${inv.token}`, newAccount(`race-a-${round}`)),
        t.anon().post(`/api/v1/invitations/accept?token=${inv.token}`, newAccount(`race-b-${round}`)),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 404]);
      const row = await t.query('directory', 'SELECT uses FROM invitations WHERE id = $1', [
        inv.invitation.id,
      ]);
      expect(row.rows[0].uses).toBe(1);
      const joined = await t.query('directory', 'SELECT count(*)::int AS n FROM users WHERE email LIKE $1', [
        `race-%-${round}@example.com`,
      ]);
      expect(joined.rows[0].n).toBe(1);
    }
  });

  it('denies: members and guests cannot create, list or revoke; outsiders see no workspace; bad input is a 400', async () => {
    const inv = await invite(owner);
    for (const who of [member, await t.user(workspaceId, { role: 'guest' })]) {
      expect((await who.post(`/api/v1/workspaces/${workspaceId}/invitations`, {})).body.error.code).toBe(
        'FORBIDDEN',
      );
      expect((await who.get(`/api/v1/workspaces/${workspaceId}/invitations`)).body.error.code).toBe(
        'FORBIDDEN',
      );
      expect(
        (await who.delete(`/api/v1/workspaces/${workspaceId}/invitations/${inv.invitation.id}`)).body.error
          .code,
      ).toBe('FORBIDDEN');
    }
    const other = await owner.post('/api/v1/workspaces', { name: 'Third' });
    const outsider = await t.user(other.body.workspace.id);
    expect((await outsider.post(`/api/v1/workspaces/${workspaceId}/invitations`, {})).body.error.code).toBe(
      'WORKSPACE_NOT_FOUND',
    );
    expect((await outsider.get(`/api/v1/workspaces/${workspaceId}/invitations`)).status).toBe(404);
    expect(
      (await outsider.delete(`/api/v1/workspaces/${workspaceId}/invitations/${inv.invitation.id}`)).status,
    ).toBe(404);
    // An invitation of another workspace cannot be revoked through this one.
    const theirs = await owner.post(`/api/v1/workspaces/${other.body.workspace.id}/invitations`, {});
    expect(
      (await owner.delete(`/api/v1/workspaces/${workspaceId}/invitations/${theirs.body.invitation.id}`)).body
        .error.code,
    ).toBe('INVITATION_NOT_FOUND');
    expect((await owner.delete(`/api/v1/workspaces/${workspaceId}/invitations/nope`)).body.error.code).toBe(
      'INVALID_ID',
    );
    for (const bad of [
      { role: 'owner' },
      { role: 'king' },
      { maxUses: 0 },
      { expiresInHours: 0 },
      { expiresInHours: 24 * 31 },
      { extra: true },
    ]) {
      const res = await owner.post(`/api/v1/workspaces/${workspaceId}/invitations`, bad);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    // Accept: anonymous with no account details, a weak password, an unknown field, no token, a taken email.
    const anon = t.anon();
    expect((await anon.post(`/api/v1/invitations/accept?token=${inv.token}`)).body.error.code).toBe(
      'AUTH_REQUIRED',
    );
    expect(
      (
        await anon.post(`/api/v1/invitations/accept?token=${inv.token}`, {
          ...newAccount('weak'),
          password: 'short',
        })
      ).body.error.code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (
        await anon.post(`/api/v1/invitations/accept?token=${inv.token}`, {
          ...newAccount('x'),
          role: 'owner',
        })
      ).body.error.code,
    ).toBe('VALIDATION_FAILED');
    expect((await anon.post('/api/v1/invitations/accept', newAccount('nt'))).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await anon.get('/api/v1/invitations/preview')).body.error.code).toBe('VALIDATION_FAILED');
    const taken = await anon.post(`/api/v1/invitations/accept?token=${inv.token}`, {
      ...newAccount('x'),
      email: 'OWNER@example.com',
    });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'EMAIL_TAKEN']);
    // A signed-in accept is a cookie write: it needs the CSRF token.
    const csrf = await member.post(
      `/api/v1/invitations/accept?token=${inv.token}`,
      {},
      { 'x-csrf-token': 'wrong' },
    );
    expect(csrf.body.error.code).toBe('CSRF_FAILED');
    // None of the refusals used the link.
    expect(
      (await t.query('directory', 'SELECT uses FROM invitations WHERE id = $1', [inv.invitation.id])).rows[0]
        .uses,
    ).toBe(0);
  });
});
