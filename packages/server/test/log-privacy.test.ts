import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { captureLogs: true });
});
afterAll(() => t?.stop());

describe('logs', () => {
  it('record every request with its id, and never bodies, message text, search terms, credentials or emails', async () => {
    const { owner, workspaceId, generalId } = await t.setupOwner();
    const marker = 'zebra-sentinel-9137';
    const sent = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'log-1',
      text: `case note ${marker}`,
    });
    expect(sent.status).toBe(201);
    await owner.get(`/api/v1/workspaces/${workspaceId}/search?q=${marker}`);
    await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'log-2',
      text: 'x'.repeat(9000),
    });
    await t.anon().post('/api/v1/auth/login', { email: 'owner@example.com', password: 'wrong-password-xyz' });
    const ws = await owner.connect();
    ws.close();

    const lines = t.logs();
    const all = lines.join('\n');
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    expect(requests.length).toBeGreaterThan(5);
    for (const r of requests) {
      expect(r.reqId).toBeTruthy();
      expect(r.req.path).not.toContain('?');
    }
    const secrets = [
      marker,
      'owner-password-123',
      'wrong-password-xyz',
      'owner@example.com',
      owner.cookie!.split('=')[1]!,
      owner.csrfToken!,
    ];
    for (const s of secrets) expect(all, `logs contain ${s.slice(0, 12)}…`).not.toContain(s);
  });
});
