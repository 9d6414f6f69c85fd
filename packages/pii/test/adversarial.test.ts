import { describe, expect, it } from 'vitest';
import { createDetector } from '../src/index.ts';

// R8: every built-in pattern stays linear. Each input is ~10 KB built to make a backtracking
// pattern explode (long runs of the characters a pattern accepts, near-misses repeated). Time is
// CPU time of this process (other work on a shared CI machine inflates wall time), and the budget
// is generous for a slow machine yet far below what super-linear behaviour costs (seconds).
const BUDGET_MS = 100;

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
const N = 10_000;

const adversarial: Record<string, string> = {
  'email local-part run without @': `${'a.'.repeat(N / 2)}@`,
  'many @ signs': 'a@'.repeat(N / 2),
  'email domain run': `x@${'a-'.repeat(N / 2)}`,
  'digits with separators': '1 '.repeat(N / 2),
  'digits with mixed separators': '1-2.3/4 '.repeat(N / 8),
  'one long digit run': '9'.repeat(N),
  'dotted numbers': '1.'.repeat(N / 2),
  'colons and hex': 'a:'.repeat(N / 2),
  'mac-like near misses': '0a:1b:2c:3d:4e:'.repeat(N / 15),
  'IBAN-like run': `GB82${'A1'.repeat(N / 2)}`,
  'uppercase and digits': 'AB12'.repeat(N / 4),
  'capitalised words': 'Maria '.repeat(N / 6),
  'capitalised pairs and initials': 'J. Smith '.repeat(N / 9),
  'street-like words': `12 ${'Main '.repeat(N / 5)}`,
  'address tails': '1 Main Street, Springfield, '.repeat(N / 28),
  'MRZ filler': '<'.repeat(N),
  'MRZ-width lines': `${'P<UTO'.padEnd(44, '<')}\n`.repeat(N / 45),
  'base58 run': '1'.repeat(N),
  'hex run': 'f'.repeat(N),
  'JWT-like': `eyJ${'a'.repeat(N)}`,
  'JWT parts': 'eyJabcdefghij.'.repeat(N / 14),
  'PEM begin without end': '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(N / 32),
  'keyed secret near misses': 'password= '.repeat(N / 10),
  'date-like': '12/12/'.repeat(N / 6),
  'month names': '12 March '.repeat(N / 9),
  coordinates: '40.7128, '.repeat(N / 9),
  'degree signs': "40°42'".repeat(N / 6),
  'context words': 'ssn passport licence uid '.repeat(N / 25),
  'licence keyword with codes': 'license A1-B2-C3 '.repeat(N / 17),
  'zero-width flood': '\u200b'.repeat(N),
  'markup flood': '<b>'.repeat(N / 3),
  'unclosed tags': '<span '.repeat(N / 6),
  'full-width digits': '１'.repeat(N),
  'surrogate pairs': '😀'.repeat(N / 2),
};

describe('adversarial inputs (R8)', () => {
  const detector = createDetector();
  detector.scan('warm up 4111 1111 1111 1111 Maria Garcia a@b.co');
  for (const [name, text] of Object.entries(adversarial)) {
    it(`R8: ${name} (${text.length} chars) scans within ${BUDGET_MS} ms`, () => {
      expect(cpuMs(() => detector.scan(text))).toBeLessThan(BUDGET_MS);
    });
  }
  it('R8: custom patterns run in linear time even when written to backtrack', () => {
    const d = createDetector({ customRecognizers: [{ name: 'evil', type: 'X', pattern: '(a+)+b' }] });
    expect(cpuMs(() => d.scan('a'.repeat(N)))).toBeLessThan(BUDGET_MS * 5);
  });
});
