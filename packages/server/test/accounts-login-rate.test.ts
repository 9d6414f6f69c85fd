import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ loginRateLimitPerMinute: 3 });
  await t.setupOwner();
});
afterAll(() => t?.stop());

describe('login rate limiting', () => {
  it('the 4th attempt in a minute from one address gets 429 RATE_LIMITED in our error shape, even with the right password', async () => {
    const anon = t.anon();
    for (let i = 0; i < 3; i++) {
      const res = await anon.post('/api/v1/auth/login', {
        email: 'owner@example.com',
        password: `wrong-guess-${i}`,
      });
      expect([res.status, res.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    }
    const fourth = await anon.post('/api/v1/auth/login', {
      email: 'owner@example.com',
      password: 'owner-password-123',
    });
    expect(fourth.status).toBe(429);
    expect(fourth.body).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: expect.any(String),
        requestId: fourth.headers.get('x-request-id'),
      },
    });
    expect(fourth.headers.get('set-cookie')).toBeNull();
    // Other endpoints are not affected by the login budget.
    expect((await anon.get('/api/v1/setup')).status).toBe(200);
  });
});
