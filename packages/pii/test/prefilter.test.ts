import { describe, expect, it } from 'vitest';
import { computeFeatures } from '../src/features.ts';
import { createDetector } from '../src/index.ts';

const detector = createDetector();
const types = (text: string) => detector.scan(text).map((f) => f.type);

// R7: the anchor pass decides which recognizers run; it may only skip work whose result is empty.
describe('anchor pass (R7)', () => {
  it('R7: records the features gates use, in one pass', () => {
    const f = computeFeatures('Call Ann at 415-555 2671, mail a@b.co: key_x=1 <b>');
    expect(f.maxGroupedDigits).toBe(10);
    expect(f.digits).toBe(11);
    expect([f.at, f.colons, f.underscores, f.equals, f.lessThan]).toEqual([1, 1, 1, 1, 1]);
    expect(f.spaceCapital).toBe(true);
    expect(f.nonAscii).toBe(false);
    expect(computeFeatures('ok Émile').spaceCapital).toBe(true);
    expect(computeFeatures('lunch?').spaceCapital).toBe(false);
    expect(computeFeatures('abc 0x52908400098527886E0F7030069857D2E4169EE7 x').longestAlnumRun).toBe(42);
    expect(computeFeatures('a xoxb-1234-abcd b').longestWordRun).toBe(14);
  });

  it('R7: plain chat with nothing to anchor on yields no findings', () => {
    expect(detector.scan('morning all, standup in 5')).toEqual([]);
    expect(detector.scan('lunch?')).toEqual([]);
  });

  it('R7/R23: names with Latin capitals beyond ASCII still reach the person recognizer', () => {
    expect(types('Reporter: Émile Zola wrote again')).toContain('PERSON');
  });

  it('R7/R22: credential keys in capitals ("PASSWORD IS …") still reach the keyed-secret check', () => {
    expect(types('PASSWORD IS Tr0ub4dor&3x')).toContain('SECRET');
  });

  it('R7/R22: a Slack webhook whose path segments are all short is still found', () => {
    expect(types('hook https://hooks.slack.com/services/T0A/B0B/abcdefghij1234567')).toContain('SECRET');
  });

  it('R7/R5: normalisation still runs when the text needs it (full-width digits, zero-width)', () => {
    const text = 'card ４１１１\u200b１１１１ １１１１ １１１１';
    const [finding] = detector.scan(text);
    expect(finding?.type).toBe('CREDIT_CARD');
    expect(text.slice(finding?.start, finding?.end)).toBe('４１１１\u200b１１１１ １１１１ １１１１');
  });
});

// The latency target: no 10 KB input over 10 ms. The budget here is three times that, on
// the minimum CPU time of three runs, so a loaded 2-core VM does not flake; before the anchor pass
// "1 1 1 …" took ~13 ms and a context-heavy 10 KB chunk up to ~15 ms on the same machine.
const LATENCY_BUDGET_MS = 30;
const N = 10_240;

function minCpuMs(fn: () => void, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('10 KB latency (issue target, R8)', () => {
  const inputs: Record<string, string> = {
    'digits and spaces': '1 '.repeat(N / 2),
    'mixed separators': '1-2.3/4 '.repeat(N / 8),
    'card-like groups': '4111 1111 1111 1111 '.repeat(N / 20),
    'phone-like groups': '(415) 555-2671 '.repeat(Math.floor(N / 15)),
    'context words and numbers': 'ssn uid 123456789 '.repeat(Math.floor(N / 18)),
    'names, numbers and context words':
      'Customer Maria Garcia, phone +44 20 7946 0958, SSN 536-22-8714. '.repeat(Math.floor(N / 66)),
  };
  detector.scan('warm up 4111 1111 1111 1111 Maria Garcia a@b.co');
  for (const [name, text] of Object.entries(inputs)) {
    it(`R8: ${name} (${text.length} chars) within ${LATENCY_BUDGET_MS} ms CPU`, () => {
      expect(minCpuMs(() => detector.scan(text))).toBeLessThan(LATENCY_BUDGET_MS);
    });
  }
});
