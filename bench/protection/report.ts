import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from '../realtime/report.ts';
import { type LatencySummary, round, summarise } from '../realtime/stats.ts';
import type { Kind, Sample } from './harness.ts';
import type { Pieces } from './pieces.ts';

/** Issue 4, "Performance": what scanning, deciding and vaulting may add to a send. */
export const TARGETS = { p50Ms: 1, p99Ms: 3 } as const;

export interface KindFigures {
  client: LatencySummary;
  server: LatencySummary;
}

export type RoundFigures = Record<Kind, KindFigures>;

/** One comparison: p50/p99 of `more` minus those of `base`, client-observed and server-side. */
export interface Delta {
  name: string;
  more: Kind;
  base: Kind;
  client: { p50: number; p99: number };
  server: { p50: number; p99: number };
}

export const COMPARISONS: { name: string; more: Kind; base: Kind; target: boolean }[] = [
  {
    name: 'protection alone: B@ − A@ (both general path; the issue target)',
    more: 'B@',
    base: 'A@',
    target: true,
  },
  {
    name: 'the issue’s two messages as sent: B − A (general vs fast path)',
    more: 'B',
    base: 'A',
    target: false,
  },
  { name: 'path alone, no findings: A@ − A (general vs fast path)', more: 'A@', base: 'A', target: false },
];

export function figuresOf(samples: Sample[]): RoundFigures {
  const of = (k: Kind) => {
    const mine = samples.filter((s) => s.kind === k);
    return {
      client: summarise(Float64Array.from(mine, (s) => s.clientMs)),
      server: summarise(Float64Array.from(mine, (s) => s.serverMs)),
    };
  };
  return { A: of('A'), B: of('B'), 'A@': of('A@'), 'B@': of('B@') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Each comparison per round, then the median over rounds (robust to one round hit by a neighbour's burst). */
export function deltas(rounds: RoundFigures[]): { perRound: Delta[][]; median: Delta[] } {
  const perRound = rounds.map((r) =>
    COMPARISONS.map(({ name, more, base }) => ({
      name,
      more,
      base,
      client: { p50: r[more].client.p50 - r[base].client.p50, p99: r[more].client.p99 - r[base].client.p99 },
      server: { p50: r[more].server.p50 - r[base].server.p50, p99: r[more].server.p99 - r[base].server.p99 },
    })),
  );
  const med = COMPARISONS.map(({ name, more, base }, i) => ({
    name,
    more,
    base,
    client: {
      p50: median(perRound.map((d) => d[i]!.client.p50)),
      p99: median(perRound.map((d) => d[i]!.client.p99)),
    },
    server: {
      p50: median(perRound.map((d) => d[i]!.server.p50)),
      p99: median(perRound.map((d) => d[i]!.server.p99)),
    },
  }));
  return { perRound, median: med };
}

export interface ProtectionReport {
  date: string;
  command: string;
  machine: Machine & { loadAverageAtEnd: number[] };
  params: {
    perKind: number;
    warmup: number;
    rounds: number;
    pieces: number;
    database: string;
    label: string;
  };
  rounds: RoundFigures[];
  pooled: RoundFigures;
  deltas: { perRound: Delta[][]; median: Delta[] };
  pieces: Pieces;
  verdict: { p50: boolean; p99: boolean };
}

const ms = (v: number) => round(v, 3).toFixed(3);
const us = (v: number) => Math.round(v * 1000).toString();

export function toMarkdown(r: ProtectionReport): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Protection pipeline benchmark — ${r.date}`, '');
  out.push(
    'Issue 4, "Performance": scanning, deciding and vaulting add at most 1 ms p50 and 3 ms p99 of server',
  );
  out.push(
    'time to sending a 500-character message with three findings, compared with the same path without findings.',
    '',
  );
  out.push(`Command: \`${r.command}\``, '');
  out.push(
    `Machine: ${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.kernel}; Node ${m.node}; ${m.postgres}.`,
  );
  out.push(
    `Load average (1/5/15 min): ${m.loadAverageAtStart.join(' / ')} at start, ${m.loadAverageAtEnd.join(' / ')} at end.`,
  );
  out.push(
    `Workload: ${r.params.rounds} rounds × ${r.params.perKind} sends of each kind, interleaved in shuffled blocks of four, after ${r.params.warmup} of each as warm-up; sequential over one keep-alive connection; channel label \`${r.params.label}\`; database ${r.params.database}.`,
    '',
  );
  const d = r.deltas.median[0]!;
  out.push('## Verdict', '');
  out.push(
    `Protection alone (B@ − A@, median of rounds, server-side): **p50 +${ms(d.server.p50)} ms** (target ≤ ${TARGETS.p50Ms}: ${r.verdict.p50 ? 'met' : 'NOT met'}), **p99 +${ms(d.server.p99)} ms** (target ≤ ${TARGETS.p99Ms}: ${r.verdict.p99 ? 'met' : 'NOT met'}).`,
    '',
  );
  out.push('## Kinds', '');
  out.push(
    '- **A**: 500 characters of staff prose, no finding: the single-statement plain send (fast path).',
  );
  out.push(
    '- **B**: the same prose with an email address, a phone number and an IPv4 address, new values every message; the policy tokenises all three: the general path (transaction, vault, `policy.decided` audit row).',
  );
  out.push(
    '- **A@ / B@**: A and B opening with a mention of another channel member, which sends both down the general path; B@ − A@ is the protection cost alone.',
    '',
  );
  out.push('## Latency per send, pooled over rounds (ms)', '');
  out.push(
    '| kind | client p50 | p95 | p99 | server p50 | p95 | p99 | n |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const k of ['A', 'B', 'A@', 'B@'] as Kind[]) {
    const f = r.pooled[k];
    out.push(
      `| ${k} | ${ms(f.client.p50)} | ${ms(f.client.p95)} | ${ms(f.client.p99)} | ${ms(f.server.p50)} | ${ms(f.server.p95)} | ${ms(f.server.p99)} | ${f.client.count} |`,
    );
  }
  out.push('', '## Differences (ms; median over rounds, per-round values in brackets)', '');
  out.push(
    '| comparison | client Δp50 | client Δp99 | server Δp50 | server Δp99 |',
    '| --- | --- | --- | --- | --- |',
  );
  r.deltas.median.forEach((x, i) => {
    const per = (f: (d: Delta) => number) => r.deltas.perRound.map((rd) => ms(f(rd[i]!))).join(', ');
    out.push(
      `| ${x.name} | ${ms(x.client.p50)} [${per((y) => y.client.p50)}] | ${ms(x.client.p99)} [${per((y) => y.client.p99)}] | ${ms(x.server.p50)} [${per((y) => y.server.p50)}] | ${ms(x.server.p99)} [${per((y) => y.server.p99)}] |`,
    );
  });
  const p = r.pieces;
  out.push('', `## Where B's extra time goes (µs per call, in-process, ${p.count} fresh texts)`, '');
  out.push('| step | p50 | p95 | p99 |', '| --- | --- | --- | --- |');
  for (const [name, s] of [
    ['scan A (no finding; paid by every send)', p.scanA],
    ['scan B (three findings)', p.scanB],
    ['decide (policy on B’s findings)', p.decideB],
    ['screenContent (active policy + decide + what to tokenise)', p.screenB],
    [
      `vaultFindings (subject keys, 3 sealed values, inserts; ${p.statements.vault} statements at most)`,
      p.vaultB,
    ],
    [`audit policy.decided (hash-chained row; ${p.statements.audit} statements at most)`, p.auditB],
    ['one database round trip (`SELECT 1` in the same transaction), for scale', p.roundTrip],
  ] as const)
    out.push(`| ${name} | ${us(s.p50)} | ${us(s.p95)} | ${us(s.p99)} |`);
  out.push('', '## How it is measured', '');
  out.push(
    "- The server runs in the bench process (`startServer`, the production code unchanged). **Client** time is `performance.now()` around each `POST /api/v1/channels/:id/messages` on loopback; **server** time is from node's `request` event (listener placed before Fastify's) to the response's `finish` (last byte handed to the kernel), so it covers routing, auth, validation, the handler, the database round trips and serialisation, but not the client.",
  );
  out.push(
    '- Every answer is checked after timing: 201, B kinds tokenised with three findings, A kinds without protection.',
  );
  out.push(
    '- Percentiles are nearest-rank. On a shared 2-core VM p99 moves with neighbours, so each comparison is computed per round and the median of rounds is the figure.',
  );
  return `${out.join('\n')}\n`;
}

export function writeReport(dir: string, base: string, r: ProtectionReport): { md: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, `${base}.md`);
  const json = join(dir, `${base}.json`);
  writeFileSync(md, toMarkdown(r));
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  return { md, json };
}
