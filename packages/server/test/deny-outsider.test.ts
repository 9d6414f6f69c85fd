import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { ROUTES } from '../src/http/routes/index.ts';

// Every route that names a workspace, channel, message, person or credential
// is called by someone from another workspace with the real ids of this one.
// Each must answer 403 or 404 (never 2xx) and change nothing.

let t: TestServer;
let owner: ApiClient;
let outsider: ApiClient;
const ids: Record<string, string> = {};

const BODIES: Record<string, unknown> = {
  'POST /api/v1/workspaces/:workspaceId/bots': { displayName: 'Sneaky', scopes: ['read'] },
  'POST /api/v1/workspaces/:workspaceId/invitations': {},
  'PATCH /api/v1/workspaces/:workspaceId/members/:userId': { role: 'member' },
  'POST /api/v1/workspaces/:workspaceId/channels': { name: 'outsider-made' },
  'PATCH /api/v1/channels/:channelId': { topic: 'taken over' },
  'POST /api/v1/channels/:channelId/messages': { clientMsgId: 'out-1', text: 'hello from outside' },
  'PATCH /api/v1/channels/:channelId/messages/:messageId': { text: 'rewritten' },
  'POST /api/v1/channels/:channelId/messages/:messageId/reactions': { emoji: 'thumbsup' },
  'PUT /api/v1/channels/:channelId/messages/:messageId/follow': { following: true },
  'POST /api/v1/channels/:channelId/messages/:messageId/read': { seq: 1 },
  'POST /api/v1/channels/:channelId/read': { seq: 1 },
};
const QUERIES: Record<string, string> = { 'GET /api/v1/workspaces/:workspaceId/search': '?q=secret' };

async function fingerprint(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const store of ['directory', 'us', 'eu']) {
    const tables = await t.query(
      store,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'enclave_migrations%'",
    );
    for (const { tablename } of tables.rows) {
      const r = await t.query(store, `SELECT count(*)::int AS n FROM "${tablename}"`);
      out[`${store}.${tablename}`] = r.rows[0].n;
    }
  }
  return out;
}

beforeAll(async () => {
  t = await startTestServer();
  const a = await t.setupOwner();
  owner = a.owner;
  ids.workspaceId = a.workspaceId;
  const priv = await owner.post(`/api/v1/workspaces/${a.workspaceId}/channels`, {
    name: 'appeals',
    kind: 'private',
    region: 'eu',
  });
  ids.channelId = priv.body.channel.id;
  const msg = await owner.post(`/api/v1/channels/${ids.channelId}/messages`, {
    clientMsgId: 'm1',
    text: 'secret appeal notes',
  });
  ids.messageId = msg.body.message.id;
  await owner.post(`/api/v1/channels/${ids.channelId}/messages/${ids.messageId}/reactions`, {
    emoji: 'thumbsup',
  });
  await owner.put(`/api/v1/channels/${ids.channelId}/messages/${ids.messageId}/pin`);
  ids.userId = owner.userId!;
  ids.sessionId = (await owner.get('/api/v1/auth/session')).body.session.id;
  ids.tokenId = (await owner.post('/api/v1/tokens', { name: 'ci', scopes: ['read'] })).body.accessToken.id;
  ids.invitationId = (
    await owner.post(`/api/v1/workspaces/${a.workspaceId}/invitations`, {})
  ).body.invitation.id;
  ids.botId = (
    await owner.post(`/api/v1/workspaces/${a.workspaceId}/bots`, { displayName: 'Helper', scopes: ['read'] })
  ).body.user.id;
  ids.emoji = 'thumbsup';
  const other = await owner.post('/api/v1/workspaces', { name: 'Elsewhere' });
  outsider = await t.user(other.body.workspace.id, { name: 'Outsider' });
  // The owner belongs to both workspaces; the outsider only to the other one.
  for (const v of Object.values(ids)) expect(v).toBeTruthy();
});
afterAll(() => t?.stop());

describe('someone from another workspace', () => {
  it('gets 403 or 404 from every route that names this workspace, and changes nothing', async () => {
    const before = await fingerprint();
    const targeted = ROUTES.filter(
      (r) =>
        r.auth !== 'none' &&
        /:(workspaceId|channelId|messageId|userId|sessionId|tokenId|invitationId|botId)/.test(r.url),
    );
    expect(targeted.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    for (const r of targeted) {
      const key = `${r.method} ${r.url}`;
      // Users shared through a workspace are visible; the owner is in both, so ask about the bot instead.
      const url = r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
        r.url.startsWith('/api/v1/users/') && name === 'userId' ? ids.botId! : ids[name]!,
      );
      const body = r.body ? (BODIES[key] ?? {}) : undefined;
      const res = await outsider.request(r.method, url + (QUERIES[key] ?? ''), body);
      const strict = !r.body || key in BODIES;
      const ok = strict ? [403, 404].includes(res.status) : [400, 403, 404].includes(res.status);
      if (!ok) leaks.push(`${key} -> ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      expect(JSON.stringify(res.body ?? '')).not.toContain('secret appeal');
    }
    expect(leaks).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });
});

describe('access changes take effect on the next request (nothing cached outlives them)', () => {
  it('a member demoted to guest loses public channels they are not in; one who leaves loses everything', async () => {
    const workspaceId = ids.workspaceId!;
    const pub = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'town-hall',
      kind: 'public',
    });
    const hall = pub.body.channel.id;
    const mia = await t.user(workspaceId, { name: 'Mia' });
    // Read twice so the route is surely cached.
    for (let i = 0; i < 2; i++) expect((await mia.get(`/api/v1/channels/${hall}/messages`)).status).toBe(200);
    expect(
      (await owner.patch(`/api/v1/workspaces/${workspaceId}/members/${mia.userId}`, { role: 'guest' }))
        .status,
    ).toBe(200);
    expect((await mia.get(`/api/v1/channels/${hall}/messages`)).body.error.code).toBe('CHANNEL_NOT_FOUND');

    const noah = await t.user(workspaceId, { name: 'Noah' });
    await noah.post(`/api/v1/channels/${hall}/join`);
    for (let i = 0; i < 2; i++) expect((await noah.get(`/api/v1/channels/${hall}`)).status).toBe(200);
    expect((await noah.post(`/api/v1/workspaces/${workspaceId}/leave`)).status).toBe(204);
    expect((await noah.get(`/api/v1/channels/${hall}`)).body.error.code).toBe('CHANNEL_NOT_FOUND');
    const post = await noah.post(`/api/v1/channels/${hall}/messages`, {
      clientMsgId: 'gone',
      text: 'still here?',
    });
    expect(post.body.error.code).toBe('CHANNEL_NOT_FOUND');
  });
});
