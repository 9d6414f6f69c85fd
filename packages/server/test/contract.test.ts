import { readFileSync } from 'node:fs';
import { ERROR_CATALOGUE } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { ROUTES } from '../src/http/routes/index.ts';

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer({ maxBodyBytes: 64 * 1024 });
  ({ owner, workspaceId, generalId } = await t.setupOwner());
});
afterAll(() => t?.stop());

const FAKE_ID = '01a20000-0000-7000-8000-000000000000';
const fill = (url: string) => url.replace(/:[A-Za-z]+/g, FAKE_ID);

describe('the error contract', () => {
  it('every error body has the one shape, with a catalogue code and the request id', async () => {
    const res = await owner.get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: expect.any(String),
        requestId: res.headers.get('x-request-id'),
      },
    });
  });

  it('unknown fields are refused, naming the field but never echoing values', async () => {
    const res = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'x1',
      text: 'hi',
      secretField: 'SSN 078-05-1120',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toContain('secretField');
    expect(JSON.stringify(res.body)).not.toContain('078-05-1120');
  });

  it('wrong types, bad ids, bad JSON, wrong media type and oversize bodies each get their code', async () => {
    const wrongType = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 5,
      text: 'x',
    });
    expect([wrongType.status, wrongType.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(wrongType.body.error.issues[0].path).toBe('body.clientMsgId');

    const badId = await owner.get('/api/v1/channels/not-a-uuid/messages');
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID']);

    const badJson = await owner.post(`/api/v1/channels/${generalId}/messages`, '{"clientMsgId": ');
    expect([badJson.status, badJson.body.error.code]).toEqual([400, 'INVALID_JSON']);

    const media = await owner.post(`/api/v1/channels/${generalId}/messages`, 'text=hi', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([media.status, media.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);

    const big = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'big',
      text: 'a'.repeat(70 * 1024),
    });
    expect([big.status, big.body.error.code]).toEqual([413, 'BODY_TOO_LARGE']);

    const badQuery = await owner.get(`/api/v1/channels/${generalId}/messages?limit=0`);
    expect([badQuery.status, badQuery.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const twoCursors = await owner.get(`/api/v1/channels/${generalId}/messages?before=5&after=2`);
    expect([twoCursors.status, twoCursors.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('a too-long or empty message is refused and nothing is written', async () => {
    const before = await t.query('us', 'SELECT count(*)::int AS n FROM messages');
    const long = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'long',
      text: 'a'.repeat(8001),
    });
    expect([long.status, long.body.error.code]).toEqual([400, 'MESSAGE_TOO_LONG']);
    expect(long.body.error.details).toEqual({ maxLength: 8000, length: 8001 });
    const empty = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'empty',
      text: '  \n ',
    });
    expect([empty.status, empty.body.error.code]).toEqual([400, 'MESSAGE_EMPTY']);
    const after = await t.query('us', 'SELECT count(*)::int AS n FROM messages');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const seq = await t.query('us', 'SELECT last_seq FROM channels WHERE id = $1', [generalId]);
    const events = await t.query(
      'us',
      'SELECT max(seq)::int AS m FROM channel_events WHERE channel_id = $1',
      [generalId],
    );
    expect(seq.rows[0].last_seq).toBe(events.rows[0].m);
  });

  it('sessions: a missing CSRF token, an expired session and a garbage token are refused', async () => {
    const noCsrf = await owner.post(
      `/api/v1/channels/${generalId}/messages`,
      { clientMsgId: 'c', text: 'x' },
      { 'x-csrf-token': 'wrong' },
    );
    expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, 'CSRF_FAILED']);

    const bob = await t.user(workspaceId);
    await t.query(
      'directory',
      "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1",
      [bob.userId],
    );
    const expired = await bob.get('/api/v1/workspaces');
    expect([expired.status, expired.body.error.code]).toEqual([401, 'SESSION_EXPIRED']);
    expect(expired.headers.get('set-cookie')).toMatch(/enclave_session=;/);

    const garbage = await t.anon().withToken('enc_pat_garbage').get('/api/v1/workspaces');
    expect([garbage.status, garbage.body.error.code]).toEqual([401, 'INVALID_TOKEN']);
  });

  it('every authenticated endpoint refuses an anonymous request with 401 AUTH_REQUIRED', async () => {
    const anon = t.anon();
    const user = ROUTES.filter((r) => r.auth === 'user');
    expect(user.length).toBeGreaterThan(10);
    for (const r of user) {
      const res = await anon.request(
        r.method,
        fill(r.url),
        r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      );
      expect({ route: `${r.method} ${r.url}`, status: res.status, code: res.body?.error?.code }).toEqual({
        route: `${r.method} ${r.url}`,
        status: 401,
        code: 'AUTH_REQUIRED',
      });
    }
  });

  it('responses carry security headers and never let API responses be cached', async () => {
    const res = await owner.get('/api/v1/workspaces');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('the published contract', () => {
  it('the OpenAPI document lists every route with its method', async () => {
    const res = await t.anon().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.0.3');
    for (const r of ROUTES) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(res.body.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined();
    }
    expect(res.body.components.schemas.Error.properties.error.properties.code.enum).toEqual(
      Object.keys(ERROR_CATALOGUE),
    );
  });

  it('docs/errors.md lists exactly the codes of the catalogue, with their statuses', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(Object.entries(ERROR_CATALOGUE).map(([code, spec]) => [code, spec.status]));
  });
});

describe('health', () => {
  it('/healthz and /readyz answer without authentication', async () => {
    expect((await t.anon().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.anon().get('/readyz')).body).toEqual({ status: 'ready' });
  });
});
