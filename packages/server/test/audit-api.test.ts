import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// docs/data-protection/audit.md AU-5 (denials recorded) and AU-10 (the
// auditor API): instance admins only, filters, paging, JSON-lines export,
// verification, and every read of the log is itself in the log.

let t: TestServer;
let owner: ApiClient;
let member: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  member = await t.user(workspaceId, { name: 'Mo Member', role: 'owner' });
  await t.anon().post('/api/v1/auth/login', { email: 'owner@example.com', password: 'not-the-password' });
  await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'audit-us', region: 'us' });
  await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'audit-eu', region: 'eu' });
});
afterAll(() => t?.stop());

async function mint(scopes: string[]): Promise<string> {
  const r = await owner.post('/api/v1/tokens', { name: `t-${scopes.join('-')}`, scopes });
  expect(r.status).toBe(201);
  return r.body.token;
}

async function lastEntry(action: string) {
  const r = await t.query(
    'directory',
    'SELECT actor_id, outcome, target_id, details FROM audit_events WHERE action = $1 ORDER BY seq DESC LIMIT 1',
    [action],
  );
  return r.rows[0];
}

describe('AU-10: reading the log', () => {
  it('lists directory entries newest first, with filters', async () => {
    const all = await owner.get('/api/v1/audit/events');
    expect(all.status).toBe(200);
    const seqs = all.body.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.body.events[0]).toMatchObject({
      store: 'directory',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const failed = await owner.get('/api/v1/audit/events?action=auth.login_failed&outcome=denied');
    expect(failed.body.events).toHaveLength(1);
    expect(failed.body.events[0]).toMatchObject({
      action: 'auth.login_failed',
      outcome: 'denied',
      targetType: 'user',
    });

    const mine = await owner.get(`/api/v1/audit/events?actor=${member.userId}&action=auth.login`);
    expect(mine.body.events.map((e: { actorId: string }) => e.actorId)).toEqual([member.userId]);

    const future = await owner.get(`/api/v1/audit/events?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`);
    expect(future.body.events).toEqual([]);
  });

  it('pages with a cursor in either order', async () => {
    const p1 = await owner.get('/api/v1/audit/events?order=asc&limit=2');
    expect(p1.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(p1.body.events[1].prevHash).toBe(p1.body.events[0].hash);
    const p2 = await owner.get(`/api/v1/audit/events?order=asc&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.events.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
  });

  it('reads a region chain, with channel scope', async () => {
    const us = await owner.get('/api/v1/audit/events?store=us&action=channel.created&targetType=channel');
    expect(us.status).toBe(200);
    expect(us.body.events.length).toBeGreaterThanOrEqual(2);
    for (const e of us.body.events) {
      expect(e).toMatchObject({ store: 'us', workspaceId: null, channelId: e.targetId });
    }
    const one = await owner.get(`/api/v1/audit/events?store=us&targetId=${us.body.events[0].targetId}`);
    expect(
      one.body.events.every((e: { targetId: string }) => e.targetId === us.body.events[0].targetId),
    ).toBe(true);
  });

  it('exports JSON lines in sequence order, with the same filters', async () => {
    const res = await fetch(`${t.url}/api/v1/audit/export?store=eu`, { headers: owner.headers() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    for (let i = 1; i < lines.length; i++) expect(lines[i].prevHash).toBe(lines[i - 1].hash);
    const filtered = await fetch(`${t.url}/api/v1/audit/export?action=auth.login_failed`, {
      headers: owner.headers(),
    });
    const flines = (await filtered.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(flines.map((e) => e.action)).toEqual(['auth.login_failed']);
  });

  it('verifies every store, or one', async () => {
    const all = await owner.post('/api/v1/audit/verify', {});
    expect(all.status).toBe(200);
    expect(all.body.intact).toBe(true);
    expect(all.body.reports.map((r: { store: string }) => r.store)).toEqual(['directory', 'us', 'eu']);
    expect(all.body.reports[0]).toMatchObject({ intact: true, keySource: 'trusted', firstProblem: null });
    const us = await owner.post('/api/v1/audit/verify', { store: 'us' });
    expect(us.body.reports).toHaveLength(1);
  });

  it('records every read, export and verification in the directory chain', async () => {
    await owner.get('/api/v1/audit/events?store=eu&action=channel.created');
    expect(await lastEntry('audit.read')).toMatchObject({
      actor_id: owner.userId,
      outcome: 'allowed',
      target_id: 'eu',
      details: { filters: ['action'], returned: 1 },
    });
    expect(await lastEntry('audit.exported')).toMatchObject({
      actor_id: owner.userId,
      target_id: 'directory',
    });
    expect(await lastEntry('audit.verified')).toMatchObject({
      actor_id: owner.userId,
      details: { intact: true },
    });
  });
});

describe('AU-10 deny paths (and AU-5: denials are recorded)', () => {
  it('refuses anyone who is not an instance admin, and records the attempt', async () => {
    // A workspace owner is not an instance administrator.
    for (const [method, path, action] of [
      ['GET', '/api/v1/audit/events', 'audit.read'],
      ['GET', '/api/v1/audit/export', 'audit.export'],
      ['POST', '/api/v1/audit/verify', 'audit.verify'],
      ['GET', '/api/v1/audit/keys', 'audit.keys'],
    ] as const) {
      const r = await member.request(method, path, method === 'POST' ? {} : undefined);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
      expect(await lastEntry(action!)).toMatchObject({ actor_id: member.userId, outcome: 'denied' });
    }
    expect((await t.anon().get('/api/v1/audit/events')).status).toBe(401);
  });

  it('needs the admin scope on a token; a missing scope is recorded', async () => {
    const read = owner.withToken(await mint(['read']));
    const r = await read.get('/api/v1/audit/events');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('TOKEN_SCOPE_MISSING');
    expect(await lastEntry('auth.scope_denied')).toMatchObject({
      actor_id: owner.userId,
      outcome: 'denied',
      details: { method: 'GET', route: '/api/v1/audit/events', needed: 'admin' },
    });
    const admin = owner.withToken(await mint(['read', 'admin']));
    expect((await admin.get('/api/v1/audit/events?limit=1')).status).toBe(200);
  });

  it('records a CSRF failure without the token', async () => {
    const r = await owner.post('/api/v1/audit/verify', {}, { 'x-csrf-token': 'forged' });
    expect(r.body.error.code).toBe('CSRF_FAILED');
    const e = await lastEntry('auth.csrf_failed');
    expect(e).toMatchObject({ actor_id: owner.userId, outcome: 'denied', details: { tokenSent: true } });
    expect(JSON.stringify(e)).not.toContain('forged');
  });

  it('rejects bad input with catalogue codes', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/audit/events?store=mars', 'VALIDATION_FAILED'],
      ['/api/v1/audit/events?store=Bad!', 'VALIDATION_FAILED'],
      ['/api/v1/audit/events?actor=not-a-uuid', 'VALIDATION_FAILED'],
      ['/api/v1/audit/events?outcome=maybe', 'VALIDATION_FAILED'],
      ['/api/v1/audit/events?surprise=1', 'VALIDATION_FAILED'],
      ['/api/v1/audit/events?cursor=abc', 'INVALID_CURSOR'],
      ['/api/v1/audit/export?store=mars', 'VALIDATION_FAILED'],
    ];
    for (const [path, code] of cases) {
      const r = await owner.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code, path).toBe(code);
    }
    const body = await owner.post('/api/v1/audit/verify', { store: 'mars' });
    expect(body.body.error.code).toBe('VALIDATION_FAILED');
    const extra = await owner.post('/api/v1/audit/verify', { store: 'us', deep: true });
    expect(extra.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('the chains stay intact after all of the above', async () => {
    const r = await owner.post('/api/v1/audit/verify', {});
    expect(r.body.intact).toBe(true);
  });
});
