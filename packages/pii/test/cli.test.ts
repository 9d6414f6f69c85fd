import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function enclave(args: string[], input = ''): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'packages/cli/src/bin.ts', 'pii', 'scan', ...args],
    { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('enclave pii scan', () => {
  it('marks findings in a text file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pii-cli-'));
    const file = join(dir, 'msg.txt');
    writeFileSync(file, 'User SSN 536-22-8714, mail ana@example.org\n');
    const r = enclave([file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('⟦US_SSN 0.95⟧536-22-8714⟦/⟧');
    expect(r.stdout).toContain('⟦EMAIL_ADDRESS');
    expect(r.stdout).toContain('2 finding(s)');
  });

  it('reads stdin and writes one JSON line per input line, in order', () => {
    const input = [
      '{"id":"1","text":"card 4111 1111 1111 1111"}',
      '{"id":"2","text":"nothing here"}',
      '{"id":"3","text":"SSN 536-22-8714"}',
    ].join('\n');
    const r = enclave(['--jsonl'], input);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: '1', findings: [{ type: 'CREDIT_CARD', start: 5, end: 24, score: 0.97 }] },
      { id: '2', findings: [] },
      { id: '3', findings: [{ type: 'US_SSN', start: 4, end: 15, score: 0.95 }] },
    ]);
  });

  it('filters with --min-score and --types', () => {
    const input = '{"id":"x","text":"536-22-8714 and ana@example.org"}';
    expect(
      JSON.parse(enclave(['--jsonl', '--min-score', '0.8'], input).stdout).findings.map(
        (f: { type: string }) => f.type,
      ),
    ).toEqual(['EMAIL_ADDRESS']);
    expect(
      JSON.parse(enclave(['--jsonl', '--types', 'us_ssn'], input).stdout).findings.map(
        (f: { type: string }) => f.type,
      ),
    ).toEqual(['US_SSN']);
  });

  it('names bad input lines and exits non-zero', () => {
    const r = enclave(['--jsonl'], '{"id":"ok","text":"hi"}\nnot json\n{"id":2}\n');
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('{"id":"ok","findings":[]}');
    expect(r.stderr).toContain('line 2: not valid JSON');
    expect(r.stderr).toContain('line 3: expected an object');
  });

  it('rejects bad option values', () => {
    expect(enclave(['--min-score', '2']).status).not.toBe(0);
    const r = enclave(['--types', 'NOPE']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown type(s) NOPE');
  });
});
