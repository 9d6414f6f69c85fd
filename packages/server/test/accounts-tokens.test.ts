import { CLOSE_CODES } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let generalId: string;
let workspaceId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  bob = await t.user(workspaceId, { name: 'Bob' });
  expect((await owner.post(`/api/v1/channels/${generalId}/members`, { userIds: [bob.userId] })).status).toBe(
    200,
  );
});
afterAll(() => t?.stop());

async function mint(client: ApiClient, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/v1/tokens', { name: `t-${scopes.join('-')}`, scopes, ...extra });
  expect(res.status).toBe(201);
  return res.body as {
    token: string;
    accessToken: { id: string; scopes: string[]; expiresAt: string | null };
  };
}

describe('personal access tokens', () => {
  it('shows the secret once, stores only its digest, and lists metadata', async () => {
    const { token, accessToken } = await mint(bob, ['read', 'write'], { expiresInDays: 30 });
    expect(token).toMatch(/^enc_pat_[A-Za-z0-9_-]{40,}$/);
    expect(accessToken.scopes).toEqual(['read', 'write']);
    expect(new Date(accessToken.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const stored = await t.query(
      'directory',
      'SELECT token_hash, encode(sha256($2::bytea), $3) AS expect FROM access_tokens WHERE id = $1',
      [accessToken.id, token, 'hex'],
    );
    expect(stored.rows[0].token_hash.toString('hex')).toBe(stored.rows[0].expect);
    // The secret itself is nowhere: not in any token row, not in the audit log.
    const raw = await t.query(
      'directory',
      `SELECT (SELECT count(*)::int FROM access_tokens a WHERE strpos(a::text, $1) > 0)
            + (SELECT count(*)::int FROM audit_events e WHERE strpos(e::text, $1) > 0) AS n`,
      [token.slice(8)],
    );
    expect(raw.rows[0].n).toBe(0);
    const list = await bob.get('/api/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.body.tokens.map((x: { id: string }) => x.id)).toContain(accessToken.id);
    expect(JSON.stringify(list.body)).not.toContain(token);
    // Someone else's tokens are not in your list.
    expect((await owner.get('/api/v1/tokens')).body.tokens.map((x: { id: string }) => x.id)).not.toContain(
      accessToken.id,
    );
    const audit = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'token.created' AND target_id = $1",
      [accessToken.id],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('posts with a write token and needs no CSRF header', async () => {
    const { token } = await mint(bob, ['read', 'write']);
    const api = bob.withToken(token);
    const sent = await api.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'pat-1',
      text: 'from a script',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message.authorId).toBe(bob.userId);
    // A cookie write without the CSRF header is refused, the same write with a token is not.
    const noCsrf = await bob.post(
      `/api/v1/channels/${generalId}/messages`,
      { clientMsgId: 'pat-2', text: 'x' },
      { 'x-csrf-token': '' },
    );
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF_FAILED');
  });

  it('refuses a write with a read-only token (403 TOKEN_SCOPE_MISSING) but allows reads', async () => {
    const { token } = await mint(bob, ['read']);
    const api = bob.withToken(token);
    expect((await api.get(`/api/v1/channels/${generalId}/messages`)).status).toBe(200);
    const res = await api.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'ro-1',
      text: 'nope',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('TOKEN_SCOPE_MISSING');
    // Admin-scoped operations need the admin scope, which a write token lacks.
    const { token: w } = await mint(owner, ['read', 'write']);
    const inv = await owner.withToken(w).post(`/api/v1/workspaces/${workspaceId}/invitations`, {});
    expect(inv.body.error.code).toBe('TOKEN_SCOPE_MISSING');
    const count = await t.query('directory', 'SELECT count(*)::int AS n FROM invitations');
    expect(count.rows[0].n).toBe(0);
  });

  it('rejects a revoked token at once with 401 INVALID_TOKEN', async () => {
    const { token, accessToken } = await mint(bob, ['read', 'write']);
    const api = bob.withToken(token);
    expect((await api.get('/api/v1/me')).status).toBe(200);
    const viaToken = await api.connect();
    const viaSession = await bob.connect();
    expect((await bob.delete(`/api/v1/tokens/${accessToken.id}`)).status).toBe(204);
    // RT-17: the token's live connection closes at once; the browser session's stays open.
    expect(await viaToken.closed()).toBe(CLOSE_CODES.SESSION_REVOKED);
    viaSession.send({ type: 'ping', nonce: 'still-here' });
    expect((await viaSession.next((f) => f.type === 'pong')).nonce).toBe('still-here');
    viaSession.close();
    const res = await api.get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
    expect((await bob.get('/api/v1/tokens')).body.tokens.map((x: { id: string }) => x.id)).not.toContain(
      accessToken.id,
    );
    // Revoking twice: there is no such active token any more.
    expect((await bob.delete(`/api/v1/tokens/${accessToken.id}`)).body.error.code).toBe('NOT_FOUND');
  });

  it('rejects an expired token with 401 INVALID_TOKEN', async () => {
    const { token, accessToken } = await mint(bob, ['read'], { expiresInDays: 1 });
    await t.query(
      'directory',
      "UPDATE access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1",
      [accessToken.id],
    );
    const res = await bob.withToken(token).get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
  });

  it('rejects malformed and unknown tokens with 401 INVALID_TOKEN', async () => {
    for (const bad of ['nope', 'enc_pat_short', `enc_pat_${'A'.repeat(43)}`]) {
      const res = await t.anon().withToken(bad).get('/api/v1/me');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_TOKEN');
    }
  });

  it('denies: tokens cannot mint tokens, others cannot revoke yours, bad input is a 400', async () => {
    const { token, accessToken } = await mint(bob, ['read', 'write', 'admin']);
    const viaToken = await bob.withToken(token).post('/api/v1/tokens', { name: 'child', scopes: ['admin'] });
    expect(viaToken.status).toBe(403);
    expect(viaToken.body.error.code).toBe('FORBIDDEN');
    const stolen = await owner.delete(`/api/v1/tokens/${accessToken.id}`);
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe('NOT_FOUND');
    expect((await bob.withToken(token).get('/api/v1/me')).status).toBe(200);
    expect((await bob.delete('/api/v1/tokens/not-a-uuid')).body.error.code).toBe('INVALID_ID');
    for (const body of [
      { name: 'x', scopes: ['root'] },
      { name: 'x', scopes: [] },
      { name: '', scopes: ['read'] },
      { name: 'x', scopes: ['read'], extra: 1 },
      { name: 'x', scopes: ['read'], expiresInDays: 0 },
    ]) {
      const res = await bob.post('/api/v1/tokens', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.anon().get('/api/v1/tokens')).body.error.code).toBe('AUTH_REQUIRED');
    expect((await t.anon().post('/api/v1/tokens', { name: 'x', scopes: ['read'] })).status).toBe(401);
  });
});
