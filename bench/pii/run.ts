/**
 * `npm run bench:pii`: accuracy on our labelled corpus (dev and held-out), on the Presidio
 * synthetic sets (shared types only), and throughput. Writes bench/results/pii-latest.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector } from '@enclave/pii';
import { ORDINARY_CHAT_LINES } from './chat-lines.ts';
import { type Example, loadCorpus } from './corpus.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { loadPresidio, PRESIDIO_TYPE_MAP } from './presidio.ts';
import { adversarial10k, measureThroughput, type Throughput } from './throughput.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = join(ROOT, 'packages/pii/corpus');
const PRESIDIO = resolve(ROOT, '../shared/benchmarks/pii/presidio-research');

const detector = createDetector();
const predict = (text: string) => detector.scan(text);
const pct = (x: number) => (x * 100).toFixed(1);

function table(title: string, e: Evaluation): string {
  const rows = Object.entries(e.perType).map(
    ([t, s]) => `| ${t} | ${s.tp + s.fn} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f1)} |`,
  );
  return [
    `### ${title}`,
    '',
    '| type | gold | precision % | recall % | F1 % |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    `| **micro** | ${e.micro.tp + e.micro.fn} | ${pct(e.micro.precision)} | ${pct(e.micro.recall)} | **${pct(e.micro.f1)}** |`,
    `| **macro F1** | | | | **${pct(e.macroF1)}** |`,
    '',
    `False positives on clean messages: ${e.cleanWithFinding}/${e.cleanMessages} (${pct(e.falsePositiveRate)} %).`,
    '',
  ].join('\n');
}

// Each split = the hand-written file + the generated one (packages/pii/corpus/generate.ts).
const sets: Array<[string, Example[]]> = [
  [
    'corpus: dev',
    [
      ...loadCorpus(join(CORPUS, 'dev.txt'), 'dev'),
      ...loadCorpus(join(CORPUS, 'generated-dev.txt'), 'gen-dev'),
    ],
  ],
  [
    'corpus: held-out',
    [
      ...loadCorpus(join(CORPUS, 'heldout.txt'), 'heldout'),
      ...loadCorpus(join(CORPUS, 'generated-heldout.txt'), 'gen-heldout'),
    ],
  ],
];
const results: Record<string, Evaluation> = {};
for (const [name, examples] of sets) results[name] = evaluate(examples, predict);

const shared = new Set(Object.values(PRESIDIO_TYPE_MAP));
for (const file of ['synth_dataset_v2.json', 'generated_large.json']) {
  for (const multi of [false, true]) {
    const examples = loadPresidio(join(PRESIDIO, file), file, multi);
    if (examples)
      results[`presidio ${file}${multi ? ' (multi-token PERSON only)' : ''}`] = evaluate(
        examples,
        predict,
        shared,
      );
  }
}

const corpusMessages = sets.flatMap(([, ex]) => ex.map((e) => e.text));
const piiMessages = sets.flatMap(([, ex]) => ex.filter((e) => e.spans.length > 0).map((e) => e.text));
// Realistic chat: 22 of every 25 messages (88 %) are ordinary lines without personal data, the
// other 3 are PII-bearing corpus messages in corpus order.
const mixed: string[] = [];
for (let i = 0, p = 0; i < 5000; i++)
  mixed.push(
    i % 25 < 22
      ? (ORDINARY_CHAT_LINES[(i * 7) % ORDINARY_CHAT_LINES.length] as string)
      : (piiMessages[p++ % piiMessages.length] as string),
  );
const throughput: Throughput = measureThroughput(detector, mixed);
const dense: Throughput = measureThroughput(detector, corpusMessages);
const adversarial = adversarial10k(detector);
const machine = `${cpus().length}-core ${cpus()[0]?.model ?? 'unknown CPU'} VM, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1)} (shared with other work)`;

function throughputLines(t: Throughput): string[] {
  return [
    `- one message per scan (avg ${t.averageMessageChars.toFixed(0)} chars): ${t.messagesMBps.toFixed(1)} MB/s`,
    `- 1 KB chunks: ${t.chunk1kMBps.toFixed(1)} MB/s; p50 ${t.p50Ms1k.toFixed(3)} ms, p99 ${t.p99Ms1k.toFixed(3)} ms`,
    `- slowest 10 KB chunk: ${t.max10kMs.toFixed(2)} ms`,
  ];
}

const md = [
  '# @enclave/pii benchmark',
  '',
  `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  'Matching: same type and overlap ≥ 50 % of the union of the two spans. Presidio sets: only the',
  `types both sides share (${[...shared].join(', ')}; their ADDRESS -> STREET_ADDRESS); predictions of other types ignored.`,
  '',
  ...Object.entries(results).map(([name, e]) => table(name, e)),
  '### Throughput',
  '',
  'CPU time of this process, median of 5 runs; p50/p99 and 10 KB maxima are wall-clock per call, the fastest of 3 calls (single wall samples on this shared VM mostly measure other tenants).',
  `Load average at the end: ${loadavg()[0]?.toFixed(1)}.`,
  '',
  `**Mixed chat** (88 % ordinary workplace chat lines without personal data from \`bench/pii/chat-lines.ts\`, 12 % PII-bearing corpus messages):`,
  '',
  ...throughputLines(throughput),
  '',
  '**PII-dense corpus** (every corpus message, dev and held-out, PII-bearing and clean hard negatives):',
  '',
  ...throughputLines(dense),
  '',
  '**Adversarial 10 KB inputs** (fastest of 3, wall):',
  '',
  ...Object.entries(adversarial).map(([name, ms]) => `- ${name}: ${ms.toFixed(2)} ms`),
  '',
].join('\n');

process.stdout.write(md);
const out = join(ROOT, 'bench/results');
mkdirSync(out, { recursive: true });
const summary = Object.fromEntries(
  Object.entries(results).map(([k, e]) => [k, { ...e, errors: e.errors.slice(0, 200) }]),
);
writeFileSync(
  join(out, 'pii-latest.json'),
  `${JSON.stringify({ machine, date: new Date().toISOString(), results: summary, throughput: { mixed: throughput, dense, adversarial10k: adversarial } }, null, 2)}\n`,
);
writeFileSync(join(out, 'pii-latest.md'), md);
