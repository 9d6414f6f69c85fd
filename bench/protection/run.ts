import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, loadConfig, type RunningServer, startServer } from '@enclave/server';
import { sql } from 'kysely';
import { machineFacts } from '../realtime/report.ts';
import { createBenchDatabases, freePort } from '../realtime/server-process.ts';
import { round } from '../realtime/stats.ts';
import { type Sample, seed, sendRound, serverClock } from './harness.ts';
import { measurePieces } from './pieces.ts';
import { deltas, figuresOf, type ProtectionReport, TARGETS, toMarkdown, writeReport } from './report.ts';

// The protection pipeline benchmark (issue 4, "Performance"). See bench/README.md.

const HELP = `npm run bench:protection -- [options]

  --per-kind N     measured sends of each kind per round (default 2000)
  --warmup N       unmeasured sends of each kind first (default 200)
  --rounds N       rounds; each comparison is taken per round, the median is reported (default 3)
  --pieces N       texts for the in-process step timings (default 1000)
  --pg URL         PostgreSQL admin URL for the fresh bench database (default postgres://postgres@127.0.0.1:5432/postgres)
  --embedded       use the server's embedded PostgreSQL in a temporary directory instead
  --no-write       print the results, write no file
  -h, --help`;

const { values: a } = parseArgs({
  options: {
    'per-kind': { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    pieces: { type: 'string', default: '1000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    embedded: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}
const int = (name: string, v: string | undefined, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
};
const perKind = int('per-kind', a['per-kind'], 1);
const warmup = int('warmup', a.warmup, 0);
const rounds = int('rounds', a.rounds, 1);
const piecesCount = int('pieces', a.pieces, 1);
const isDefault = perKind === 2000 && warmup === 200 && rounds === 3 && piecesCount === 1000;

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const loadAtStart = loadavg().map((v) => round(v, 2));
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-protection-bench-'));
  let drop: (() => Promise<void>) | null = null;
  let server: RunningServer | null = null;
  try {
    const base: Partial<Config> = { port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn' };
    let database: string;
    if (a.embedded) {
      database = 'embedded PostgreSQL (temporary directory)';
      server = await startServer(loadConfig({}, { ...base, embeddedPostgresPort: await freePort() }));
    } else {
      const name = `enclave_bench_protection_${Date.now()}`;
      const dbs = await createBenchDatabases(a.pg!, name);
      drop = dbs.drop;
      database = `fresh database ${name} on ${new URL(a.pg!).host} (dropped afterwards)`;
      server = await startServer(loadConfig({}, { ...base, databaseUrl: dbs.directoryUrl }));
    }
    const services = server.app.services;
    const { rows } = await sql<{ v: string }>`SELECT version() AS v`.execute(services.stores.directory);
    const postgres = (rows[0]?.v ?? 'PostgreSQL').split(' on ')[0]!;
    const s = await seed(server);
    if (s.label !== 'internal')
      throw new Error(`a public channel got label ${s.label}, the bench expects internal`);
    const clock = serverClock(server, s.channelId);
    log(`warm-up: ${warmup} of each kind`);
    await sendRound(s, clock, warmup);
    const samples: Sample[][] = [];
    for (let r = 0; r < rounds; r++) {
      log(`round ${r + 1}/${rounds}: ${perKind} of each kind, load ${loadavg()[0]!.toFixed(2)}`);
      samples.push(await sendRound(s, clock, perKind));
    }
    clock.stop();
    log(`pieces: ${piecesCount} texts in-process`);
    const pieces = await measurePieces(
      server,
      {
        channelId: s.channelId,
        region: services.config.defaultRegion,
        actorId: s.users[0]!.id,
        label: s.label,
      },
      piecesCount,
      10_000_000 - piecesCount - 1,
    );
    s.client.close();
    const roundFigures = samples.map(figuresOf);
    const d = deltas(roundFigures);
    const args = process.argv.slice(2).join(' ');
    const report: ProtectionReport = {
      date: new Date().toISOString().slice(0, 10),
      command: `npm run bench:protection${args ? ` -- ${args}` : ''}`,
      machine: {
        ...machineFacts(postgres),
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadavg().map((v) => round(v, 2)),
      },
      params: { perKind, warmup, rounds, pieces: piecesCount, database, label: s.label },
      rounds: roundFigures,
      pooled: figuresOf(samples.flat()),
      deltas: d,
      pieces,
      verdict: {
        p50: d.median[0]!.server.p50 <= TARGETS.p50Ms,
        p99: d.median[0]!.server.p99 <= TARGETS.p99Ms,
      },
    };
    const md = toMarkdown(report);
    process.stdout.write(md);
    if (!a['no-write']) {
      const base = `protection-${report.date}${isDefault ? '' : '-custom'}`;
      const files = writeReport(resolve(import.meta.dirname, '../results'), base, report);
      log(`wrote ${files.md} and ${files.json}`);
    }
  } finally {
    await server?.stop();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
