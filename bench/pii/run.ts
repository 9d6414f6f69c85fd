/**
 * `npm run bench:pii`: accuracy on our labelled corpus (dev and held-out), on the Presidio
 * synthetic sets (shared types only), and throughput. Writes bench/results/pii-latest.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector } from '@enclave/pii';
import { type Example, loadCorpus } from './corpus.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { loadPresidio, PRESIDIO_TYPE_MAP } from './presidio.ts';
import { measureThroughput, type Throughput } from './throughput.ts';

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

const sets: Array<[string, Example[]]> = [
  ['corpus: dev', loadCorpus(join(CORPUS, 'dev.txt'), 'dev')],
  ['corpus: held-out', loadCorpus(join(CORPUS, 'heldout.txt'), 'heldout')],
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
const throughput: Throughput = measureThroughput(detector, corpusMessages);
const machine = `${cpus().length}-core ${cpus()[0]?.model ?? 'unknown CPU'} VM, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1)} (shared with other work)`;

const md = [
  '# @enclave/pii benchmark',
  '',
  `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  'Matching: same type and overlap ≥ 50 % of the union of the two spans. Presidio sets: only the',
  `types both sides share (${[...shared].join(', ')}; their ADDRESS -> STREET_ADDRESS); predictions of other types ignored.`,
  '',
  ...Object.entries(results).map(([name, e]) => table(name, e)),
  '### Throughput (mixed chat text: the corpus messages, repeated)',
  '',
  `- one message per scan (avg ${throughput.averageMessageChars.toFixed(0)} chars): ${throughput.messagesMBps.toFixed(1)} MB/s (CPU time)`,
  `- 1 KB chunks: ${throughput.chunk1kMBps.toFixed(1)} MB/s (CPU time); p50 ${throughput.p50Ms1k.toFixed(3)} ms, p99 ${throughput.p99Ms1k.toFixed(3)} ms (wall)`,
  `- slowest 10 KB chunk: ${throughput.max10kMs.toFixed(2)} ms (wall)`,
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
  `${JSON.stringify({ machine, date: new Date().toISOString(), results: summary, throughput }, null, 2)}\n`,
);
writeFileSync(join(out, 'pii-latest.md'), md);
