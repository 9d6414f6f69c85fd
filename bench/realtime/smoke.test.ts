import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/server.ts';
import { seed } from './fixture.ts';
import { HttpClient } from './http.ts';
import { openLoadConnections } from './load.ts';

// Proves the benchmark still works end to end (seeding, the WebSocket protocol,
// the open-loop sender, loss accounting) at a tiny scale, against an in-process
// server. Figures are not asserted beyond zero loss: CI machines vary.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

test('the realtime bench delivers every message to every member at a small scale', async () => {
  const client = new HttpClient(t.url);
  try {
    const fixture = await seed(
      client,
      (text, values) => t.query('directory', text, values),
      t.server.setupUrl!,
      { users: 20, channels: 2 },
    );
    expect(fixture.channels.map((c) => c.members.length)).toEqual([10, 10]);
    const conns = await openLoadConnections(t.url, fixture, { rate: 20, durationSec: 1 });
    try {
      const result = await conns.run(client, { rate: 20, durationSec: 1, drainMs: 5000, textChars: 60 });
      expect(result.sendErrors).toBe(0);
      expect(result.sendsAccepted).toBe(20);
      expect(result.deliveriesExpected).toBe(200);
      expect(result.deliveriesLost).toBe(0);
      expect(result.duplicates).toBe(0);
      expect(result.unexpectedCloses).toBe(0);
      expect(result.latencyMs.count).toBe(200);
      expect(result.latencyMs.max).toBeGreaterThan(0);
    } finally {
      await conns.close();
    }
  } finally {
    client.close();
  }
});
