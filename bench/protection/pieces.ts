import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RunningServer } from '@enclave/server';
import { type KyselyPlugin, sql } from 'kysely';
import { auditDecision } from '../../packages/server/src/actions/screening.ts';
import { inRegionTx } from '../../packages/server/src/actions/transaction.ts';
import { activePolicy, decide } from '../../packages/server/src/protection/policy/index.ts';
import { detector, type ScreenTarget, screenContent } from '../../packages/server/src/protection/screen.ts';
import { vaultFindings } from '../../packages/server/src/protection/vault/index.ts';
import { type LatencySummary, summarise } from '../realtime/stats.ts';
import { personalText, plainText } from './texts.ts';

// Where B's extra time goes: the protection steps called directly, in this
// process, on fresh texts of the same two kinds, each timed on its own with
// performance.now(). The database steps (vault, audit) run inside a region
// transaction that is rolled back, as the send's own transaction would hold
// them; BEGIN/ROLLBACK themselves are not counted.

export interface Pieces {
  count: number;
  /** Milliseconds per call. */
  scanA: LatencySummary;
  scanB: LatencySummary;
  /** decide() alone on B's findings (the compiled policy is cached). */
  decideB: LatencySummary;
  /** screenContent() on B: active policy + decide + the findings to tokenise. */
  screenB: LatencySummary;
  /** vaultFindings() on B: subject keys, three sealed values, three inserts. */
  vaultB: LatencySummary;
  /** The policy.decided row in the region's hash-chained audit log. */
  auditB: LatencySummary;
  /** One `SELECT 1` in the same transaction: the price of a database round trip. */
  roundTrip: LatencySummary;
  /** SQL statements (round trips) per call, from a counting Kysely plugin. */
  statements: { vault: number; audit: number };
}

/** Counts the statements a step sends through a Kysely handle. */
function counting() {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      n++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { plugin, take: () => n };
}

class Rollback extends Error {}

export async function measurePieces(
  server: RunningServer,
  target: { channelId: string; region: string; actorId: string; label: string },
  count: number,
  firstN: number,
): Promise<Pieces> {
  const services = server.app.services;
  const scan = detector();
  const screenTarget: ScreenTarget = {
    region: target.region,
    channelId: target.channelId,
    label: target.label,
    workspaceRole: 'member',
    channelRole: 'owner',
  };
  const t = {
    scanA: new Float64Array(count),
    scanB: new Float64Array(count),
    decideB: new Float64Array(count),
    screenB: new Float64Array(count),
    vaultB: new Float64Array(count),
    auditB: new Float64Array(count),
    roundTrip: new Float64Array(count),
  };
  const statements = { vault: 0, audit: 0 };
  for (let i = 0; i < count; i++) {
    const a = plainText(firstN + i);
    const b = personalText(firstN + i).text;
    let t0 = performance.now();
    const none = scan.scan(a);
    t.scanA[i] = performance.now() - t0;
    t0 = performance.now();
    const findings = scan.scan(b);
    t.scanB[i] = performance.now() - t0;
    if (none.length !== 0 || findings.length !== 3)
      throw new Error('the bench texts no longer scan as 0 and 3 findings');

    const policy = await activePolicy(services);
    t0 = performance.now();
    const decision = decide(policy, target.label, findings);
    t.decideB[i] = performance.now() - t0;
    if (decision.action !== 'tokenise')
      throw new Error(`the policy decided ${decision.action}, not tokenise`);

    t0 = performance.now();
    const screened = await screenContent(services, screenTarget, target.actorId, b, undefined, findings);
    t.screenB[i] = performance.now() - t0;

    await inRegionTx(services, target.region, async (tx) => {
      const messageId = randomUUID();
      t0 = performance.now();
      await sql`SELECT 1`.execute(tx.db);
      t.roundTrip[i] = performance.now() - t0;
      const vaultCount = counting();
      t0 = performance.now();
      const vaulted = await vaultFindings(
        { ...tx, db: tx.db.withPlugin(vaultCount.plugin) },
        {
          keys: services.vault.keys,
          channelId: target.channelId,
          messageId,
          text: b,
          findings: screened.toTokenise,
        },
      );
      t.vaultB[i] = performance.now() - t0;
      if (vaulted.tokens.length !== 3) throw new Error('the vault stored fewer than three values');
      const auditCount = counting();
      t0 = performance.now();
      await auditDecision(
        { ...tx, db: tx.db.withPlugin(auditCount.plugin) },
        target.actorId,
        target.channelId,
        messageId,
        screened,
        vaulted.tokens.length,
      );
      t.auditB[i] = performance.now() - t0;
      statements.vault = Math.max(statements.vault, vaultCount.take());
      statements.audit = Math.max(statements.audit, auditCount.take());
      throw new Rollback();
    }).catch((err) => {
      if (!(err instanceof Rollback)) throw err;
    });
  }
  return {
    count,
    scanA: summarise(t.scanA),
    scanB: summarise(t.scanB),
    decideB: summarise(t.decideB),
    screenB: summarise(t.screenB),
    vaultB: summarise(t.vaultB),
    auditB: summarise(t.auditB),
    roundTrip: summarise(t.roundTrip),
    statements,
  };
}
