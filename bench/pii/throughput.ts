import type { Detector } from '@enclave/pii';

export interface Throughput {
  messagesMBps: number;
  averageMessageChars: number;
  chunk1kMBps: number;
  p50Ms1k: number;
  p99Ms1k: number;
  max10kMs: number;
}

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Wall time of the fastest of three calls. On the shared 2-core VM a single wall-clock sample
 * mostly measures when the scheduler ran another tenant (p99 and the 10 KB maximum jumped 5–10×
 * between runs); the fastest of three is what the call costs when it has the core.
 */
function fastestWallMs(fn: () => void, tries = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < tries; k++) {
    const s = performance.now();
    fn();
    best = Math.min(best, performance.now() - s);
  }
  return best;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/**
 * Throughput on a stream of messages, scanned one message at a time and as 1 KB chunks. MB/s
 * counts UTF-16 code units as bytes. CPU time of this process is used so other load on the
 * machine does not count against us, and each figure is the median of `rounds` runs (the machine
 * is a shared 2-core VM); p99 and the 10 KB maximum are wall-clock per call, fastest of three.
 */
export function measureThroughput(detector: Detector, messages: string[], rounds = 5): Throughput {
  const stream: string[] = [];
  let chars = 0;
  while (chars < 1_000_000)
    for (const m of messages) {
      stream.push(m);
      chars += m.length;
    }
  for (let i = 0; i < 3; i++) for (const m of stream.slice(0, 20_000)) detector.scan(m);
  const perMessage: number[] = [];
  for (let r = 0; r < rounds; r++)
    perMessage.push(
      chars /
        1e6 /
        (cpuMs(() => {
          for (const m of stream) detector.scan(m);
        }) /
          1000),
    );
  const joined = stream.join('\n');
  const chunks: string[] = [];
  for (let i = 0; i + 1024 <= joined.length && chunks.length < 2000; i += 1024)
    chunks.push(joined.slice(i, i + 1024));
  const perChunk: number[] = [];
  for (let r = 0; r < rounds; r++)
    perChunk.push(
      (chunks.length * 1024) /
        1e6 /
        (cpuMs(() => {
          for (const c of chunks) detector.scan(c);
        }) /
          1000),
    );
  const times = chunks.map((c) => fastestWallMs(() => detector.scan(c)));
  times.sort((a, b) => a - b);
  let max10k = 0;
  for (let i = 0; i + 10_240 <= joined.length && i < 1_000_000; i += 10_240) {
    const chunk = joined.slice(i, i + 10_240);
    max10k = Math.max(
      max10k,
      fastestWallMs(() => detector.scan(chunk)),
    );
  }
  return {
    messagesMBps: median(perMessage),
    averageMessageChars: chars / stream.length,
    chunk1kMBps: median(perChunk),
    p50Ms1k: times[Math.floor(times.length * 0.5)] ?? 0,
    p99Ms1k: times[Math.floor(times.length * 0.99)] ?? 0,
    max10kMs: max10k,
  };
}

/** 10 KB inputs built to be slow (digit runs, separators, near-misses): the fastest wall time of 3 tries each. */
export function adversarial10k(detector: Detector): Record<string, number> {
  const N = 10_240;
  const inputs: Record<string, string> = {
    'one digit run': '9'.repeat(N),
    'digits and spaces': '1 '.repeat(N / 2),
    'mixed separators': '1-2.3/4 '.repeat(N / 8),
    'card-like groups': '4111 1111 1111 1111 '.repeat(N / 20),
    'phone-like groups': '(415) 555-2671 '.repeat(Math.floor(N / 15)),
    'capitalised words': 'Maria Garcia '.repeat(Math.floor(N / 13)),
    'context words and numbers': 'ssn uid 123456789 '.repeat(Math.floor(N / 18)),
  };
  const out: Record<string, number> = {};
  for (const [name, text] of Object.entries(inputs)) {
    out[name] = fastestWallMs(() => detector.scan(text));
  }
  return out;
}
