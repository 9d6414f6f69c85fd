import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { IdleResult } from './idle.ts';
import type { LoadResult } from './load.ts';
import { round } from './stats.ts';

// Results as JSON (for tools) and Markdown (for people), both with the command that reproduces them.

export const TARGETS = { p99Ms: 50, cpuMicrosPerDelivery: 60, lost: 0 } as const;

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  loadAverageAtStart: number[];
  kernel: string;
}

export function machineFacts(postgres: string): Machine {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  let kernel = '';
  try {
    kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  } catch {}
  return {
    nproc: cpus().length,
    cpuModel: model ? model[1]!.trim() : (cpus()[0]?.model ?? 'unknown'),
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres,
    loadAverageAtStart: loadavg().map((v) => round(v, 2)),
    kernel,
  };
}

export interface BenchReport {
  date: string;
  command: string;
  machine: Machine;
  params: {
    users: number;
    channels: number;
    membersPerChannel: number;
    rate: number;
    durationSec: number;
    drainSec: number;
    textChars: number;
    idle: number;
    database: string;
  };
  seedSec: number;
  serverRssAfterConnectBytes: number | null;
  serverRssAfterLoadBytes: number | null;
  load: LoadResult;
  cpu: {
    windowSec: number;
    serverMicros: number;
    serverMicrosPerDelivery: number;
    serverMicrosPerMessage: number;
    serverUserMicros: number;
    serverSystemMicros: number;
    serverCoresUsed: number;
    machineCoresBusy: number;
    otherCoresBusy: number;
    postgresMicros: number;
    postgresMicrosPerDelivery: number;
    generatorMicros: number;
    generatorMicrosPerDelivery: number;
  };
  idle: IdleResult | null;
  /** Per second of the send window: latency of the messages planned in it, and CPU busy (cores). */
  timeline: {
    second: number;
    p50: number;
    p99: number;
    serverCores: number | null;
    machineCores: number | null;
  }[];
  targets: { zeroLoss: boolean; p99: boolean; cpu: boolean };
  notes: string[];
}

const mb = (b: number | null) => (b === null ? 'n/a' : `${round(b / 2 ** 20, 1)} MiB`);
const ms = (v: number) => `${round(v, 2)} ms`;
const ok = (b: boolean) => (b ? 'met' : '**missed**');

export function toMarkdown(r: BenchReport): string {
  const l = r.load;
  const p = r.params;
  const lines = [
    `# Realtime benchmark, ${r.date}`,
    '',
    `Workload: ${p.users} connected users in ${p.channels} channels of ${p.membersPerChannel}; ${p.rate} messages/s offered for ${p.durationSec} s (open loop), each delivered to all ${p.membersPerChannel} members **including the sender's own connection** (expected deliveries = messages × ${p.membersPerChannel}). Messages are ~${p.textChars} characters. Database: ${p.database}.`,
    '',
    'Rerun:',
    '',
    '```sh',
    r.command,
    '```',
    '',
    '## Machine',
    '',
    `- nproc: ${r.machine.nproc}; CPU: ${r.machine.cpuModel}; memory ${r.machine.memoryGiB} GiB; ${r.machine.kernel}`,
    `- Node ${r.machine.node}; ${r.machine.postgres}`,
    `- load average at start: ${r.machine.loadAverageAtStart.join(', ')} (the machine is shared; other work running at the same time inflates CPU and latency)`,
    '- The server, PostgreSQL and the load generator all share the same cores.',
    '',
    '## Results',
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| messages sent (HTTP 201) | ${l.sendsAccepted} of ${l.messagesPlanned} planned (${l.sendErrors} errors) | |`,
    `| deliveries received / expected | ${l.deliveriesReceived} / ${l.deliveriesExpected} | |`,
    `| loss | ${l.deliveriesLost} (duplicates ${l.duplicates}, connections lost ${l.unexpectedCloses}) | 0: ${ok(r.targets.zeroLoss)} |`,
    `| delivered messages/s | ${round(l.messagesPerSec, 1)} (deliveries/s ${round(l.deliveriesPerSec, 0)}) | |`,
    `| latency p50 / p95 / p99 / max | ${ms(l.latencyMs.p50)} / ${ms(l.latencyMs.p95)} / ${ms(l.latencyMs.p99)} / ${ms(l.latencyMs.max)} | p99 ≤ ${TARGETS.p99Ms} ms: ${ok(r.targets.p99)} |`,
    `| server CPU per delivery | ${round(r.cpu.serverMicrosPerDelivery, 1)} µs (${round(r.cpu.serverMicrosPerMessage, 0)} µs per message; user ${round(r.cpu.serverUserMicros / Math.max(1, r.load.deliveriesReceived), 1)} + system ${round(r.cpu.serverSystemMicros / Math.max(1, r.load.deliveriesReceived), 1)} µs; ${round(r.cpu.serverCoresUsed, 2)} cores busy) | ≤ ${TARGETS.cpuMicrosPerDelivery} µs: ${ok(r.targets.cpu)} |`,
    `| server RSS after connect | ${mb(r.serverRssAfterConnectBytes)} (after load: ${mb(r.serverRssAfterLoadBytes)}) | |`,
    `| PostgreSQL backends' CPU per delivery (context) | ${round(r.cpu.postgresMicrosPerDelivery, 1)} µs | |`,
    `| load generator CPU per delivery (context) | ${round(r.cpu.generatorMicrosPerDelivery, 1)} µs | |`,
    `| machine CPU busy during the window | ${round(r.cpu.machineCoresBusy, 2)} of ${r.machine.nproc} cores, of which ${round(r.cpu.otherCoresBusy, 2)} by processes outside the bench | |`,
    `| HTTP send round trip p50 / p99 | ${ms(l.sendRoundTripMs.p50)} / ${ms(l.sendRoundTripMs.p99)} | |`,
    `| generator schedule lag p99 / max | ${ms(l.scheduleLagMs.p99)} / ${ms(l.scheduleLagMs.max)} | |`,
  ];
  if (r.idle) {
    const i = r.idle;
    lines.push(
      `| memory per idle connection (${i.connections} idle) | ${round(i.bytesPerConnection / 1024, 1)} KiB (RSS ${mb(i.rssBeforeBytes)} → ${mb(i.rssAfterBytes)}; connected in ${round(i.connectSec, 1)} s) | |`,
    );
  }
  if (r.timeline.length) {
    const c = (v: number | null) => (v === null ? 'n/a' : round(v, 2));
    lines.push(
      '',
      '## Second by second',
      '',
      'Latency of the messages planned in each second, beside how busy the server and the whole machine were (cores, of ' +
        `${r.machine.nproc}). When the machine column nears ${r.machine.nproc} while the server column stays flat, something outside the bench was taking the CPU.`,
      '',
      '| s | p50 ms | p99 ms | server cores | machine cores |',
      '|---|---|---|---|---|',
      ...r.timeline.map(
        (t) =>
          `| ${t.second} | ${round(t.p50, 1)} | ${round(t.p99, 1)} | ${c(t.serverCores)} | ${c(t.machineCores)} |`,
      ),
    );
  }
  lines.push(
    '',
    '## How it is measured',
    '',
    '- The server runs as its own process (`node --import tsx packages/cli/src/bin.ts serve`, LOG_LEVEL=warn) on a fresh database, dropped afterwards.',
    '- Seeding: first-run setup through the one-time link the server prints, channels and memberships through the HTTP API. **Bench fixture:** the users, their workspace memberships and their personal access tokens are inserted with SQL into the directory database, because account creation through the API needs invitations, which are not built yet (`bench/realtime/fixture.ts`).',
    "- Every user holds one WebSocket (`/api/v1/ws`, bearer token on the upgrade): `hello`, `resume` with no cursors, `resumed`, then `event` frames. Messages are sent with `POST /api/v1/channels/:id/messages` over keep-alive HTTP with each sender's token, round-robin over channels and over the members of each channel.",
    '- Latency is receive time − *planned* send time for each (message, recipient), on one monotonic clock (the generator sends and receives), so a late generator shows up as latency rather than hiding it.',
    "- Server CPU = utime + stime of the server process (`/proc/<pid>/stat`) from the first send to the last delivery, divided by deliveries received. It covers the whole path: HTTP parsing, authentication, the database transaction, and the WebSocket fan-out. PostgreSQL's own CPU is reported separately.",
    '- RSS is VmRSS from `/proc/<pid>/status`. The idle figure comes from a fresh server process on the same database: RSS before and after opening the idle connections (authenticated and resumed, spread over the users), after a warm-up and a settle pause.',
  );
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

export function writeReport(dir: string, base: string, r: BenchReport): { md: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, `${base}.md`);
  const json = join(dir, `${base}.json`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, toMarkdown(r));
  return { md, json };
}
