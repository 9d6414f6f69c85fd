import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type SqlRunner, seed } from './fixture.ts';
import { HttpClient } from './http.ts';
import { measureIdle } from './idle.ts';
import { openLoadConnections } from './load.ts';
import { cpuMicrosOf, cpuSplitMicros, machineCpuMicros, rssBytes, selfCpuMicros } from './proc.ts';
import { type BenchReport, machineFacts, TARGETS, toMarkdown, writeReport } from './report.ts';
import {
  backendPids,
  createBenchDatabases,
  embeddedDirectoryUrl,
  freePort,
  type ServerProcess,
  spawnServer,
} from './server-process.ts';
import { round } from './stats.ts';

// The realtime benchmark (issue 2, "Performance, measured"). See bench/README.md.

const HELP = `npm run bench -- [options]

  --users N        connected users (default 1000)
  --channels N     channels; users are split evenly (default 50, so 20 members each)
  --rate N         messages per second offered (default 200)
  --duration S     seconds of sending (default 20)
  --drain S        seconds to wait for outstanding deliveries after the last send (default 10)
  --text-chars N   approximate message length (default 100)
  --idle N         idle connections for the memory-per-connection phase; 0 skips it (default 5000)
  --pg URL         PostgreSQL admin URL for the fresh bench database (default postgres://postgres@127.0.0.1:5432/postgres)
  --embedded       use the server's embedded PostgreSQL (in a temporary data dir) instead of --pg
  --wait-quiet S   before sending, wait up to S seconds for the machine to be quiet (under 0.25 busy cores
                   outside the bench), so other people's work does not skew the figures (default 0: don't wait)
  --cpu-prof DIR   run the load phase's server with --cpu-prof, writing the profile to DIR
  --out DIR        where results go (default bench/results)
  --name NAME      results file base name (default realtime-<date>, or realtime-<date>-custom for a non-default workload)
  --no-write       print the results only
  --help`;

const { values: a } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    channels: { type: 'string', default: '50' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '20' },
    drain: { type: 'string', default: '10' },
    'text-chars': { type: 'string', default: '100' },
    idle: { type: 'string', default: '5000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    embedded: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'wait-quiet': { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/results' },
    name: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: --${name} must be an integer >= ${min} (got "${v}")`);
    process.exit(2);
  }
  return n;
}
const users = int('users', a.users, 1);
const channels = int('channels', a.channels, 1);
const rate = int('rate', a.rate, 1);
const durationSec = int('duration', a.duration, 1);
const drainSec = int('drain', a.drain, 0);
const textChars = int('text-chars', a['text-chars'], 30);
const idle = int('idle', a.idle, 0);
const waitQuietSec = int('wait-quiet', a['wait-quiet'], 0);
if (users % channels !== 0) {
  console.error(`bench: --users (${users}) must be a multiple of --channels (${channels})`);
  process.exit(2);
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = new Date().toISOString();
const isDefault = users === 1000 && channels === 50 && rate === 200 && durationSec === 20 && idle === 5000;
const base = a.name ?? `realtime-${stamp.slice(0, 10)}${isDefault ? '' : '-custom'}`;

interface CpuSample {
  serverCores: number;
  machineCores: number;
}

/** Server and machine-wide busy cores for each second of the send window. */
function startSampler(pid: number): { stop(): CpuSample[] } {
  const out: CpuSample[] = [];
  let s0 = cpuSplitMicros(pid);
  let m0 = machineCpuMicros();
  const timer = setInterval(() => {
    const s1 = cpuSplitMicros(pid);
    const m1 = machineCpuMicros();
    if (s0 && s1)
      out.push({
        serverCores: (s1.user + s1.system - s0.user - s0.system) / 1e6,
        machineCores: (m1.busy - m0.busy) / 1e6,
      });
    s0 = s1;
    m0 = m1;
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      return out;
    },
  };
}

/** Samples machine-wide busy cores each second until under 0.25 (the bench itself is idle here) or the time is up. */
async function waitForQuiet(maxSec: number): Promise<{ ok: boolean; cores: number }> {
  const deadline = Date.now() + maxSec * 1000;
  let cores = 0;
  do {
    const m0 = machineCpuMicros();
    await sleep(1000);
    const m1 = machineCpuMicros();
    cores = (m1.busy - m0.busy) / 1e6;
    if (cores < 0.25) return { ok: true, cores };
  } while (Date.now() < deadline);
  return { ok: maxSec === 0, cores };
}

async function main(): Promise<void> {
  // --- databases
  let directoryUrl: string;
  let dropDatabases: () => Promise<void>;
  let dbNames: string[];
  let dataDir: string | null = null;
  let embeddedPgPort = 0;
  if (a.embedded) {
    dataDir = mkdtempSync(join(tmpdir(), 'enclave-bench-'));
    embeddedPgPort = await freePort();
    directoryUrl = '';
    dbNames = ['enclave', 'enclave_region_us'];
    dropDatabases = async () => rmSync(dataDir!, { recursive: true, force: true });
  } else {
    const name = `enclave_bench_${stamp.replace(/\D/g, '').slice(0, 14)}`;
    const dbs = await createBenchDatabases(a.pg, name);
    directoryUrl = dbs.directoryUrl;
    dbNames = [name, `${name}_region_us`];
    dropDatabases = dbs.drop;
    log(`created database ${name} (and ${name}_region_us)`);
  }
  const serverOpts = () => ({
    port: 0,
    ...(a.embedded ? { dataDir: dataDir!, embeddedPgPort } : { databaseUrl: directoryUrl }),
  });

  let server: ServerProcess | null = null;
  let pool: pg.Pool | null = null;
  try {
    server = await spawnServer({
      ...serverOpts(),
      port: await freePort(),
      ...(a['cpu-prof'] ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${resolve(a['cpu-prof'])}`] } : {}),
    });
    log(`server pid ${server.pid} at ${server.url}`);
    if (!server.setupUrl) throw new Error('the server printed no setup link: the database is not fresh');
    if (a.embedded) directoryUrl = embeddedDirectoryUrl(dataDir!, embeddedPgPort);
    pool = new pg.Pool({ connectionString: directoryUrl, max: 4 });
    const sql: SqlRunner = (text, values) => pool!.query(text, values);
    const pgVersion = (await sql('SELECT version() AS v')).rows[0].v as string;
    const machine = machineFacts(pgVersion.split(' on ')[0]!);

    // --- seed
    const client = new HttpClient(server.url);
    let t = Date.now();
    const fixture = await seed(client, sql, server.setupUrl, { users, channels });
    const seedSec = (Date.now() - t) / 1000;
    log(`seeded ${users} users, ${channels} channels in ${seedSec.toFixed(1)} s`);

    // --- connect
    t = Date.now();
    const conns = await openLoadConnections(server.url, fixture, { rate, durationSec });
    log(`${conns.sockets.length} connections live in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await sleep(2000);
    const rssAfterConnect = rssBytes(server.pid);
    const quiet = await waitForQuiet(waitQuietSec);
    if (waitQuietSec > 0)
      log(
        quiet.ok
          ? `machine quiet (${quiet.cores.toFixed(2)} busy cores)`
          : `machine still busy after ${waitQuietSec} s (${quiet.cores.toFixed(2)} cores): running anyway`,
      );

    // --- load
    const serverPid = server.pid;
    let cpu0 = { user: 0, system: 0 };
    let cpu1 = { user: 0, system: 0 };
    let m0 = { busy: 0, total: 0 };
    let m1 = { busy: 0, total: 0 };
    let gen0 = 0;
    let gen1 = 0;
    let pgPids: number[] = await backendPids(sql, dbNames);
    let pg0 = new Map<number, number>();
    let pg1 = new Map<number, number>();
    let sampler: ReturnType<typeof startSampler> | null = null;
    let samples: CpuSample[] = [];
    let w0 = 0;
    let w1 = 0;
    log(`sending ${rate} msg/s for ${durationSec} s`);
    const load = await conns.run(client, {
      rate,
      durationSec,
      drainMs: drainSec * 1000,
      textChars,
      onWindowStart: () => {
        sampler = startSampler(serverPid);
        w0 = performance.now();
        cpu0 = cpuSplitMicros(serverPid) ?? cpu0;
        m0 = machineCpuMicros();
        gen0 = selfCpuMicros();
        pg0 = cpuMicrosOf(pgPids);
      },
      onWindowEnd: () => {
        samples = sampler?.stop() ?? [];
        w1 = performance.now();
        cpu1 = cpuSplitMicros(serverPid) ?? cpu1;
        m1 = machineCpuMicros();
        gen1 = selfCpuMicros();
      },
    });
    // Backends may have been opened during the window: count those whole (they are young).
    pgPids = [...new Set([...pgPids, ...(await backendPids(sql, dbNames))])];
    pg1 = cpuMicrosOf(pgPids);
    let pgMicros = 0;
    for (const [pid, v] of pg1) pgMicros += v - (pg0.get(pid) ?? 0);
    const rssAfterLoad = rssBytes(server.pid);
    await conns.close();
    client.close();
    await server.stop();
    server = null;

    // --- idle
    // A failing idle phase (e.g. the tree changed under a second server start) must not lose the load figures.
    let idleResult = null;
    let idleError: string | null = null;
    if (idle > 0) {
      try {
        server = await spawnServer({ ...serverOpts(), port: await freePort() });
        log(`idle phase: ${idle} connections on a fresh server process (pid ${server.pid})`);
        idleResult = await measureIdle(server.url, fixture, server.pid, idle);
      } catch (err) {
        idleError = (err as Error).message.split('\n')[0]!;
        log(`idle phase failed: ${idleError}`);
      } finally {
        await server?.stop();
        server = null;
      }
    }

    const deliveries = Math.max(1, load.deliveriesReceived);
    const windowSec = (w1 - w0) / 1000;
    const serverUser = cpu1.user - cpu0.user;
    const serverSystem = cpu1.system - cpu0.system;
    const serverMicros = serverUser + serverSystem;
    const generatorMicros = gen1 - gen0;
    const machineBusy = m1.busy - m0.busy;
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const notes: string[] = [];
    if (load.sendErrors)
      notes.push(`send errors (first ${load.sendErrorSamples.length}): ${load.sendErrorSamples.join('; ')}`);
    if (!isDefault)
      notes.push(
        'Not the issue-2 workload (1,000 users, 50 channels, 200 msg/s, 20 s, 5,000 idle): a quick or custom run.',
      );
    const report: BenchReport = {
      date: stamp,
      command,
      machine,
      params: {
        users,
        channels,
        membersPerChannel: users / channels,
        rate,
        durationSec,
        drainSec,
        textChars,
        idle,
        database: a.embedded
          ? 'embedded PostgreSQL (temporary data dir)'
          : `fresh database on ${new URL(a.pg).host}`,
      },
      seedSec,
      serverRssAfterConnectBytes: rssAfterConnect,
      serverRssAfterLoadBytes: rssAfterLoad,
      load,
      cpu: {
        windowSec,
        serverMicros,
        serverMicrosPerDelivery: serverMicros / deliveries,
        serverMicrosPerMessage: serverMicros / Math.max(1, load.sendsAccepted),
        serverUserMicros: serverUser,
        serverSystemMicros: serverSystem,
        serverCoresUsed: serverMicros / 1e6 / windowSec,
        machineCoresBusy: machineBusy / 1e6 / windowSec,
        // Whatever else ran on the machine meanwhile (other people's work): none of it is the bench's.
        otherCoresBusy:
          Math.max(0, machineBusy - serverMicros - pgMicros - generatorMicros) / 1e6 / windowSec,
        postgresMicros: pgMicros,
        postgresMicrosPerDelivery: pgMicros / deliveries,
        generatorMicros,
        generatorMicrosPerDelivery: generatorMicros / deliveries,
      },
      idle: idleResult,
      timeline: load.perSecond.map((p, i) => ({
        ...p,
        serverCores: samples[i]?.serverCores ?? null,
        machineCores: samples[i]?.machineCores ?? null,
      })),
      targets: {
        zeroLoss: load.deliveriesLost === TARGETS.lost && load.sendErrors === 0,
        p99: load.latencyMs.p99 <= TARGETS.p99Ms,
        cpu: serverMicros / deliveries <= TARGETS.cpuMicrosPerDelivery,
      },
      notes,
    };
    process.stdout.write(toMarkdown(report));
    if (!a['no-write']) {
      const files = writeReport(resolve(a.out), base, report);
      log(`wrote ${files.md} and ${files.json}`);
    }
    log(
      `server CPU ${round(report.cpu.serverMicrosPerDelivery, 1)} µs/delivery, p99 ${round(load.latencyMs.p99, 1)} ms, lost ${load.deliveriesLost}`,
    );
  } finally {
    await pool?.end();
    await server?.stop();
    await dropDatabases();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench: failed: ${err.message}`);
    process.exit(1);
  },
);
