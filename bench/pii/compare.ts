/**
 * Before/after check for engine changes: `node --import tsx bench/pii/compare.ts BASELINE_SRC`
 * where BASELINE_SRC is a copy of an earlier `packages/pii/src` (e.g. /tmp/pii-base/src).
 *
 * 1. Differential: both detectors scan every corpus message, the Presidio sets, the chat lines,
 *    the adversarial inputs and 1 KB / 10 KB chunks; any text whose findings differ is printed
 *    (a speed-up must not change what is found).
 * 2. Timing, in one process on the same inputs so the ratio is meaningful on a noisy shared VM:
 *    CPU time per workload, baseline and current interleaved round by round, medians reported.
 */
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDetector, type Detector } from '@enclave/pii';
import { ORDINARY_CHAT_LINES } from './chat-lines.ts';
import { loadCorpus } from './corpus.ts';
import { loadPresidio } from './presidio.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = join(ROOT, 'packages/pii/corpus');
const PRESIDIO = resolve(ROOT, '../shared/benchmarks/pii/presidio-research');

const baselineSrc = process.argv[2];
if (!baselineSrc) {
  process.stderr.write('usage: compare.ts BASELINE_SRC_DIR [--rounds N] [--no-timing]\n');
  process.exit(2);
}
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 7;
const baselineModule = (await import(pathToFileURL(join(resolve(baselineSrc), 'index.ts')).href)) as {
  createDetector: () => Detector;
};
const before = baselineModule.createDetector();
const after = createDetector();

// ---- inputs -------------------------------------------------------------------------------
const corpusFiles = ['dev.txt', 'generated-dev.txt', 'heldout.txt', 'generated-heldout.txt'];
const corpus = corpusFiles.flatMap((f) => loadCorpus(join(CORPUS, f), f));
const corpusTexts = corpus.map((e) => e.text);
const piiTexts = corpus.filter((e) => e.spans.length > 0).map((e) => e.text);
const presidioTexts = ['synth_dataset_v2.json', 'generated_large.json'].flatMap(
  (f) => loadPresidio(join(PRESIDIO, f), f)?.map((e) => e.text) ?? [],
);
const ordinary = [...ORDINARY_CHAT_LINES];
// The benchmark's mix (bench/pii/run.ts): 22 of every 25 messages ordinary, 3 PII-bearing.
const mixed: string[] = [];
for (let i = 0, p = 0; i < 5000; i++)
  mixed.push(
    i % 25 < 22
      ? (ORDINARY_CHAT_LINES[(i * 7) % ORDINARY_CHAT_LINES.length] as string)
      : (piiTexts[p++ % piiTexts.length] as string),
  );

function chunks(texts: string[], size: number, limit: number): string[] {
  const joined = texts.join('\n');
  const out: string[] = [];
  for (let i = 0; i + size <= joined.length && out.length < limit; i += size)
    out.push(joined.slice(i, i + size));
  return out;
}
const mixedChunks1k = chunks(mixed, 1024, 2000);
const denseChunks1k = chunks(corpusTexts, 1024, 2000);
const chunks10k = [...chunks(mixed, 10_240, 40), ...chunks(corpusTexts, 10_240, 40)];
const N = 10_240;
const adversarial = [
  '9'.repeat(N),
  '1 '.repeat(N / 2),
  '1-2.3/4 '.repeat(N / 8),
  '4111 1111 1111 1111 '.repeat(N / 20),
  '(415) 555-2671 '.repeat(Math.floor(N / 15)),
  'Maria Garcia '.repeat(Math.floor(N / 13)),
  'ssn uid 123456789 '.repeat(Math.floor(N / 18)),
  '1.2.3.4 '.repeat(N / 8),
  'a@b.co '.repeat(Math.floor(N / 7)),
  'AKIA1234 eyJabc.eyJ '.repeat(Math.floor(N / 20)),
  'P<GBR'.padEnd(44, '<').repeat(Math.floor(N / 44)),
  '12:34:56:78 '.repeat(Math.floor(N / 12)),
];

/** Small inputs at the edges of the structural checks the engine short-cuts (glued extensions). */
const edgeCases = [
  'call 415 555 4466x8827 now',
  'phone (415) 555-2671ext123456789',
  'tel 020 7946 0958X12',
  'ref 12345678exa and 2671e',
  'tel: 415-555-2671 EXT 44, or 415-555-2671x',
];

// ---- differential -------------------------------------------------------------------------
const key = (d: Detector, t: string) => JSON.stringify(d.scan(t));
const all = [
  ...corpusTexts,
  ...presidioTexts,
  ...ordinary,
  ...adversarial,
  ...edgeCases,
  ...mixedChunks1k,
  ...denseChunks1k,
  ...chunks10k,
];
let differing = 0;
for (const t of all) {
  const a = key(before, t);
  const b = key(after, t);
  if (a !== b) {
    differing++;
    if (differing <= 10)
      process.stdout.write(`DIFF ${JSON.stringify(t.slice(0, 160))}\n  before ${a}\n  after  ${b}\n`);
  }
}
process.stdout.write(`differential: ${differing} of ${all.length} texts differ\n`);
if (process.argv.includes('--no-timing')) process.exit(differing === 0 ? 0 : 1);

// ---- timing -------------------------------------------------------------------------------
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
/** Repeats `texts` until about `chars` units so one round takes long enough to time. */
function stream(texts: string[], chars: number): string[] {
  const out: string[] = [];
  let n = 0;
  while (n < chars)
    for (const t of texts) {
      out.push(t);
      n += t.length;
    }
  return out;
}
const units = (xs: string[]) => xs.reduce((s, x) => s + x.length, 0);

interface Workload {
  name: string;
  texts: string[];
  /** 'mbps': CPU throughput of the whole list; 'p99': 99th percentile per call; 'max': slowest call. */
  measure: 'mbps' | 'p99' | 'max';
}
const workloads: Workload[] = [
  { name: 'mixed chat, per message', texts: stream(mixed, 600_000), measure: 'mbps' },
  { name: 'ordinary lines only', texts: stream(ordinary, 400_000), measure: 'mbps' },
  { name: 'PII-bearing only', texts: stream(piiTexts, 300_000), measure: 'mbps' },
  { name: 'dense corpus', texts: stream(corpusTexts, 300_000), measure: 'mbps' },
  { name: 'mixed 1 KB chunks', texts: mixedChunks1k.slice(0, 400), measure: 'mbps' },
  {
    name: '1 KB p99 (mixed+dense)',
    texts: [...mixedChunks1k, ...denseChunks1k].slice(0, 1500),
    measure: 'p99',
  },
  { name: 'worst 10 KB (chunks+adversarial)', texts: [...chunks10k, ...adversarial], measure: 'max' },
];

function perCallCpuMs(d: Detector, texts: string[]): number[] {
  // CPU time of one call is below the clock's resolution for short texts: time 5 repeats.
  return texts.map(
    (t) =>
      cpuMs(() => {
        for (let k = 0; k < 5; k++) d.scan(t);
      }) / 5,
  );
}
function measureOnce(d: Detector, w: Workload): number {
  if (w.measure === 'mbps') {
    const ms = cpuMs(() => {
      for (const t of w.texts) d.scan(t);
    });
    return units(w.texts) / 1e6 / (ms / 1000);
  }
  const times = perCallCpuMs(d, w.texts).sort((a, b) => a - b);
  return w.measure === 'p99' ? (times[Math.floor(times.length * 0.99)] ?? 0) : (times[times.length - 1] ?? 0);
}

process.stdout.write(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
for (const d of [before, after]) for (const w of workloads) measureOnce(d, w); // warm-up
const rows: string[] = [];
for (const w of workloads) {
  const b: number[] = [];
  const a: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so drifting machine load hits both sides alike.
    if (r % 2 === 0) {
      b.push(measureOnce(before, w));
      a.push(measureOnce(after, w));
    } else {
      a.push(measureOnce(after, w));
      b.push(measureOnce(before, w));
    }
  }
  const [mb, ma] = [median(b), median(a)];
  const unit = w.measure === 'mbps' ? 'MB/s' : 'ms';
  const gain = w.measure === 'mbps' ? ma / mb : mb / ma;
  rows.push(
    `| ${w.name} | ${mb.toFixed(w.measure === 'mbps' ? 1 : 3)} ${unit} | ${ma.toFixed(w.measure === 'mbps' ? 1 : 3)} ${unit} | ${gain.toFixed(2)}× |`,
  );
}
process.stdout.write(
  ['| workload | before | after | speed-up |', '| --- | ---: | ---: | ---: |', ...rows, ''].join('\n'),
);
process.stdout.write(
  `load average at end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
