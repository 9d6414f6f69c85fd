import { generateKeyPairSync, sign } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { checkpointMessage, entryHash } from '../src/audit/canonical.ts';
import { auditDirectory, auditRegion } from '../src/audit/record.ts';
import { keyIdOf, keyPath } from '../src/audit/signing-keys.ts';
import { verifyServerStores } from '../src/audit/start.ts';

// docs/data-protection/audit.md: the chain itself (AU-1..AU-9), exercised
// through real requests and real PostgreSQL. Tampering is done the way an
// attacker with database access would: raw SQL with our trigger disabled.

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;

beforeAll(async () => {
  // Small checkpoint interval so a handful of entries is signed (AU-7).
  t = await startTestServer({ auditCheckpointEvery: 5 });
  ({ owner, workspaceId } = await t.setupOwner());
});
afterAll(() => t?.stop());

const verify = async (store: string) => (await verifyServerStores(t.server.app.services, store))[0]!;

/** Runs SQL on one store with the append-only triggers off, as a superuser could. */
async function tamper(store: string, statements: string[], values: unknown[][] = []) {
  await t.query(store, 'ALTER TABLE audit_events DISABLE TRIGGER USER');
  await t.query(store, 'ALTER TABLE audit_checkpoints DISABLE TRIGGER USER');
  try {
    for (const [i, s] of statements.entries()) await t.query(store, s, values[i] ?? []);
  } finally {
    await t.query(store, 'ALTER TABLE audit_events ENABLE TRIGGER USER');
    await t.query(store, 'ALTER TABLE audit_checkpoints ENABLE TRIGGER USER');
  }
}

async function row(store: string, seq: number) {
  return (await t.query(store, 'SELECT * FROM audit_events WHERE seq = $1', [seq])).rows[0];
}

/** Puts a row back exactly as it was (so each tamper case starts from an intact chain). */
async function restore(store: string, r: Record<string, unknown>) {
  await tamper(
    store,
    [
      'DELETE FROM audit_events WHERE id = $1 OR seq = $2',
      `INSERT INTO audit_events (id, seq, at, actor_id, action, target_type, target_id, channel_id, outcome, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    ],
    [
      [r.id, r.seq],
      [
        r.id,
        r.seq,
        r.at,
        r.actor_id,
        r.action,
        r.target_type,
        r.target_id,
        r.channel_id,
        r.outcome,
        r.details,
        r.prev_hash,
        r.hash,
      ],
    ],
  );
}

describe('AU-1/AU-2: one gap-free chain per store, written with the action', () => {
  it('parallel requests that audit leave every chain intact and gap-free', async () => {
    const countCreated = async () =>
      (await t.query('us', "SELECT count(*)::int AS n FROM audit_events WHERE action = 'channel.created'"))
        .rows[0].n;
    const createdBefore = await countCreated();
    const people = await Promise.all([1, 2, 3, 4].map((i) => t.user(workspaceId, { name: `Writer ${i}` })));
    const writes: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 12; i++) {
      const who = people[i % people.length]!;
      writes.push(who.patch('/api/v1/me', { displayName: `Writer ${i}` })); // directory
      writes.push(
        owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: `par-${i}`, region: 'us' }), // us
      );
      writes.push(
        t.anon().post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong-password-1' }),
      );
    }
    const results = await Promise.all(writes);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    for (const store of ['directory', 'us']) {
      const seqs = await t.query(store, 'SELECT seq FROM audit_events ORDER BY seq');
      const list = seqs.rows.map((r) => Number(r.seq));
      expect(list).toEqual(list.map((_, i) => i + 1));
      const head = await t.query(store, 'SELECT seq FROM audit_chain_head');
      expect(Number(head.rows[0].seq)).toBe(list.length);
      const report = await verify(store);
      expect(report).toMatchObject({ intact: true, entries: list.length, keySource: 'trusted' });
    }
    expect(await countCreated()).toBe(createdBefore + 12);
    const failed = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login_failed' AND outcome = 'denied'",
    );
    expect(failed.rows[0].n).toBe(12);
  });

  it('an action that rolls back leaves no entry and no hole in the sequence', async () => {
    const before = (await t.query('directory', 'SELECT seq FROM audit_chain_head')).rows[0].seq;
    const dir = t.server.app.services.stores.directory;
    await expect(
      dir.transaction().execute(async (tx) => {
        await auditDirectory(tx, { actorId: null, action: 'test.rolled_back', targetType: 'test' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await t.query('directory', 'SELECT seq FROM audit_chain_head')).rows[0].seq).toBe(before);
    const n = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'test.rolled_back'",
    );
    expect(n.rows[0].n).toBe(0);
  });
});

describe('AU-4: details never carry raw values', () => {
  it('refuses long strings and anything the PII detector recognises, naming the path not the value', async () => {
    const region = t.server.app.services.stores.region('us');
    const cases: Record<string, unknown>[] = [
      { note: 'x'.repeat(201) },
      { contact: 'jane.doe@example.org' },
      { nested: { ssn: '123-45-6789' } },
      { list: ['ok', '+1 415 555 0100'] },
    ];
    for (const details of cases) {
      const err = await auditRegion(region, {
        actorId: null,
        action: 'test.leak',
        targetType: 'test',
        details,
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^details/);
      expect((err as Error).message).not.toMatch(/jane|123-45|555 0100|xxxxx/);
    }
    const n = await t.query('us', "SELECT count(*)::int AS n FROM audit_events WHERE action = 'test.leak'");
    expect(n.rows[0].n).toBe(0);
    // Ids, roles, counts and field names are fine.
    await auditRegion(region, {
      actorId: owner.userId,
      action: 'test.safe',
      targetType: 'test',
      details: { userId: owner.userId, role: 'member', count: 3, fields: ['topic'] },
    });
  });
});

describe('AU-6: append-only in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE; the maintenance switch is the only way round', async () => {
    for (const s of [
      'UPDATE audit_events SET action = $1 WHERE seq = 1',
      'DELETE FROM audit_events WHERE seq = 1',
      'TRUNCATE audit_events',
      'DELETE FROM audit_checkpoints',
    ]) {
      const err = await t.query('us', s, s.includes('$1') ? ['x'] : []).catch((e: Error) => e);
      expect(String(err), s).toMatch(/append-only/);
    }
    // The documented bypass works only inside one transaction (SET LOCAL).
    const pool = t.query.bind(t);
    const r = await pool(
      'us',
      "BEGIN; SET LOCAL enclave.audit_maintenance = 'on'; UPDATE audit_events SET details = details WHERE seq = 1; COMMIT;",
    );
    expect(r).toBeTruthy();
    expect((await verify('us')).intact).toBe(true);
  });
});

describe('AU-9: verify finds the first broken entry', () => {
  it('detects a changed entry at its seq', async () => {
    const original = await row('us', 3);
    await tamper('us', ['UPDATE audit_events SET details = \'{"kind":"private"}\' WHERE seq = 3']);
    const r = await verify('us');
    expect(r.intact).toBe(false);
    expect(r.firstProblem).toMatchObject({ seq: 3, kind: 'hash_mismatch' });
    await restore('us', original);
    expect((await verify('us')).intact).toBe(true);
  });

  it('detects a changed actor, time or outcome too (every field is hashed)', async () => {
    const original = await row('us', 4);
    for (const change of [
      'actor_id = NULL',
      "at = at + interval '1 second'",
      "outcome = 'denied'",
      "target_id = 'someone-else'",
    ]) {
      await tamper('us', [`UPDATE audit_events SET ${change} WHERE seq = 4`]);
      expect((await verify('us')).firstProblem, change).toMatchObject({ seq: 4, kind: 'hash_mismatch' });
      await restore('us', original);
    }
  });

  it('detects a deleted entry as a gap at its seq', async () => {
    const original = await row('us', 6);
    await tamper('us', ['DELETE FROM audit_events WHERE seq = 6']);
    expect((await verify('us')).firstProblem).toMatchObject({ seq: 6, kind: 'gap' });
    await restore('us', original);
    expect((await verify('us')).intact).toBe(true);
  });

  it('detects entries removed from the end (the head and checkpoints remember)', async () => {
    const last = Number((await t.query('us', 'SELECT seq FROM audit_chain_head')).rows[0].seq);
    const original = await row('us', last);
    await tamper('us', ['DELETE FROM audit_events WHERE seq = $1'], [[last]]);
    expect((await verify('us')).firstProblem).toMatchObject({ seq: last, kind: 'truncated' });
    await restore('us', original);
  });

  it('detects reordered entries', async () => {
    const a = await row('us', 7);
    const b = await row('us', 8);
    // Swap their positions in the sequence.
    await tamper('us', [
      'UPDATE audit_events SET seq = -1 WHERE seq = 7',
      'UPDATE audit_events SET seq = 7 WHERE seq = 8',
      'UPDATE audit_events SET seq = 8 WHERE seq = -1',
    ]);
    expect((await verify('us')).firstProblem).toMatchObject({ seq: 7, kind: 'reordered' });
    await restore('us', a);
    await restore('us', b);
    expect((await verify('us')).intact).toBe(true);
  });

  it('a rewrite with every hash recomputed is caught by the signed checkpoint (AU-7)', async () => {
    const cps = await t.query('us', 'SELECT seq FROM audit_checkpoints ORDER BY seq');
    expect(cps.rows.length).toBeGreaterThanOrEqual(2);
    const all = (await t.query('us', 'SELECT * FROM audit_events ORDER BY seq')).rows;
    // Change entry 2 and re-chain everything after it, head included.
    const forged = all.map((r) => ({ ...r }));
    forged[1]!.details = { kind: 'public', members: 99 };
    for (let i = 1; i < forged.length; i++) {
      const r = forged[i]!;
      r.prev_hash = forged[i - 1]!.hash;
      r.hash = entryHash({
        seq: Number(r.seq),
        at: r.at,
        actorId: r.actor_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        scopeId: r.channel_id,
        outcome: r.outcome,
        details: r.details,
        prevHash: r.prev_hash,
      });
    }
    const writeAll = async (rows: typeof all) => {
      const stmts: string[] = [];
      const vals: unknown[][] = [];
      for (const r of rows) {
        stmts.push('UPDATE audit_events SET details = $1, prev_hash = $2, hash = $3 WHERE id = $4');
        vals.push([JSON.stringify(r.details), r.prev_hash, r.hash, r.id]);
      }
      stmts.push('UPDATE audit_chain_head SET hash = $1');
      vals.push([rows.at(-1)!.hash]);
      await tamper('us', stmts, vals);
    };
    await writeAll(forged);
    const r = await verify('us');
    expect(r.intact).toBe(false);
    // Every link checks out; only the first signed checkpoint at or after seq 2 contradicts it.
    expect(r.firstProblem).toMatchObject({ seq: Number(cps.rows[0].seq), kind: 'checkpoint_mismatch' });
    await writeAll(all);
    expect((await verify('us')).intact).toBe(true);
  });
});

describe('AU-7/AU-8: signed checkpoints', () => {
  it('are written every N entries, signed by a 0600 key file, and verify with its public key', async () => {
    const cps = (await t.query('us', 'SELECT * FROM audit_checkpoints ORDER BY seq')).rows;
    expect(cps.map((c) => Number(c.seq)).slice(0, 2)).toEqual([5, 10]);
    const path = keyPath(t.config.dataDir, 'us');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const keys = (await owner.get('/api/v1/audit/keys')).body.keys as Array<{ store: string; keyId: string }>;
    expect(keys.map((k) => k.store).sort()).toEqual(['directory', 'eu', 'us']);
    expect(cps[0].key_id).toBe(keys.find((k) => k.store === 'us')!.keyId);
    const report = await verify('us');
    expect(report).toMatchObject({ intact: true, keySource: 'trusted' });
    expect(report.checkpoints).toBe(cps.length);
  });

  it('detects a forged signature and a checkpoint signed by a key it was not given', async () => {
    const first = (await t.query('us', 'SELECT * FROM audit_checkpoints ORDER BY seq LIMIT 1')).rows[0];
    const flipped = Buffer.from(first.signature);
    flipped[0] = flipped[0]! ^ 0xff;
    await tamper(
      'us',
      ['UPDATE audit_checkpoints SET signature = $1 WHERE seq = $2'],
      [[flipped, first.seq]],
    );
    expect((await verify('us')).firstProblem).toMatchObject({
      seq: Number(first.seq),
      kind: 'bad_signature',
    });
    await tamper(
      'us',
      ['UPDATE audit_checkpoints SET signature = $1 WHERE seq = $2'],
      [[first.signature, first.seq]],
    );

    // An attacker re-signs a checkpoint with their own key (and records their public key beside it).
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyId = keyIdOf(publicKey);
    const at = new Date(first.at);
    const sig = sign(
      null,
      checkpointMessage({ store: 'us', seq: Number(first.seq), hash: first.hash, at, keyId }),
      privateKey,
    );
    await tamper(
      'us',
      [
        'UPDATE audit_checkpoints SET key_id = $1, signature = $2 WHERE seq = $3',
        'INSERT INTO audit_signing_keys (key_id, store, public_key) VALUES ($1, $2, $3)',
      ],
      [
        [keyId, sig, first.seq],
        [keyId, 'us', publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      ],
    );
    expect((await verify('us')).firstProblem).toMatchObject({ seq: Number(first.seq), kind: 'unknown_key' });
    await tamper(
      'us',
      [
        'UPDATE audit_checkpoints SET key_id = $1, signature = $2 WHERE seq = $3',
        'DELETE FROM audit_signing_keys WHERE key_id = $1',
      ],
      [[first.key_id, first.signature, first.seq], [keyId]],
    );
    expect((await verify('us')).intact).toBe(true);
  });
});
