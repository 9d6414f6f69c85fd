import { parseTokens } from '@enclave/protocol';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/server.ts';
import { type Seeded, type SentCheck, seed, sendRound, serverClock } from './harness.ts';
import { measurePieces } from './pieces.ts';

// CI check for bench/protection: the bench's seeding, its four kinds of send and
// its in-process step timings still work, and a B message really is stored
// tokenised. Asserts no timing figure.

let t: TestServer;
let s: Seeded;

beforeAll(async () => {
  t = await startTestServer();
  s = await seed(t.server);
});

afterAll(async () => {
  s?.client.close();
  await t?.stop();
});

test('20 sends of each kind: A kinds stored as written, B kinds with vault tokens instead of the values', async () => {
  expect(s.label).toBe('internal');
  const clock = serverClock(t.server, s.channelId);
  const sent: SentCheck[] = [];
  const samples = await sendRound(s, clock, 20, (c) => sent.push(c));
  clock.stop();

  expect(samples).toHaveLength(80);
  for (const x of samples) {
    expect(x.clientMs).toBeGreaterThan(0);
    expect(x.serverMs).toBeGreaterThan(0);
    expect(x.serverMs).toBeLessThanOrEqual(x.clientMs);
  }
  for (const c of sent) {
    if (c.kind.startsWith('A')) {
      expect(c.action).toBeNull();
      expect(parseTokens(c.stored)).toHaveLength(0);
      continue;
    }
    expect(c.action).toBe('tokenise');
    expect(
      parseTokens(c.stored)
        .map((tok) => tok.type)
        .sort(),
    ).toEqual(['EMAIL_ADDRESS', 'IP_ADDRESS', 'PHONE_NUMBER']);
    for (const v of c.values!) expect(c.stored).not.toContain(v);
  }

  // What the database holds, not only what the API answered: 40 B messages, three vaulted values each, no value in clear.
  const values = sent.filter((c) => c.kind.startsWith('B')).flatMap((c) => c.values!);
  const vaulted = await t.query('us', `SELECT count(*)::int AS n FROM vault_values WHERE channel_id = $1`, [
    s.channelId,
  ]);
  expect(vaulted.rows[0].n).toBe(120);
  const stored = await t.query('us', `SELECT text FROM messages WHERE channel_id = $1`, [s.channelId]);
  expect(stored.rows).toHaveLength(80);
  const all = stored.rows.map((r) => r.text as string).join('\n');
  for (const v of values) expect(all).not.toContain(v);
});

test('the in-process step timings run, and roll back what they vaulted', async () => {
  const before = await t.query('us', 'SELECT count(*)::int AS n FROM vault_values');
  const p = await measurePieces(
    t.server,
    { channelId: s.channelId, region: 'us', actorId: s.users[0]!.id, label: s.label },
    5,
    9_000_000,
  );
  expect(p.count).toBe(5);
  expect(p.vaultB.p50).toBeGreaterThan(0);
  const after = await t.query('us', 'SELECT count(*)::int AS n FROM vault_values');
  expect(after.rows[0].n).toBe(before.rows[0].n);
});
