import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `enclave policy validate` and `enclave policy test`, spawned as a user runs
// them (docs/data-protection/policy.md PO-10).

const ROOT = new URL('../../../', import.meta.url).pathname;
const DEFAULT_POLICY = 'packages/server/policies/default.yaml';
const dir = mkdtempSync(join(tmpdir(), 'enclave-policy-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/bin.ts', 'policy', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const MESSAGES = [
  { id: 'm1', text: 'lunch at noon?', label: 'internal' },
  { id: 'm2', text: "Appeal: California driver's license D1234567", label: 'confidential' },
  { id: 'm3', text: 'reach her at reporter.one@example.org', label: 'restricted' },
  { id: 'm4', text: 'reach her at reporter.one@example.org', label: 'internal' },
]
  .map((m) => JSON.stringify(m))
  .join('\n');

describe('enclave policy', { timeout: 120_000 }, () => {
  it('PO-10.1 validate accepts the default policy and exits 0', () => {
    const r = run(['validate', DEFAULT_POLICY]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('valid policy "Enclave default"');
  });

  it('PO-10.1 validate reports each problem as file:line:column and exits 1', () => {
    const text = readFileSync(join(ROOT, DEFAULT_POLICY), 'utf8').replace('[US_SSN,', '[US_SSN, US_SIN,');
    const bad = file('bad.yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('US_SIN')) + 1;
    const column = text.split('\n')[line - 1]!.indexOf('US_SIN') + 1;
    const r = run(['validate', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${bad}:${line}:${column}: groups.government_id[1]: unknown entity type "US_SIN"`,
    );
    const missing = run(['validate', join(dir, 'nope.yaml')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });

  it('PO-10.2 test prints counts per action and per label; --verbose each decision without values', () => {
    const msgs = file('messages.jsonl', MESSAGES);
    const r = run(['test', DEFAULT_POLICY, msgs]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'policy "Enclave default": allow 1, warn 0, tokenise 2, quarantine 0, block 1',
    );
    expect(r.stdout).toContain('  confidential: allow 0, warn 0, tokenise 0, quarantine 0, block 1');
    expect(r.stdout).toContain('  internal: allow 1, warn 0, tokenise 1, quarantine 0, block 0');
    expect(r.stdout).not.toContain('m2');
    const v = run(['test', DEFAULT_POLICY, msgs, '--verbose']);
    expect(v.stdout).toContain(
      "m2 [confidential] block: This message cannot be sent to a confidential channel: it contains a US driver's licence number.",
    );
    expect(v.stdout).toMatch(/US_DRIVER_LICENSE \d+-\d+ score 0\.\d\d \(high\) -> block \[gov-id-block\]/);
    expect(v.stdout).not.toMatch(/D1234567|reporter\.one/);
  });

  it('PO-10.2 test reads stdin, reports bad lines by number and exits 1; an invalid policy exits 1', () => {
    const input = `${MESSAGES}\nnot json\n{"id":"x","text":"hi","label":"secretive"}\n{"id":"y","label":"internal"}\n`;
    const r = run(['test', DEFAULT_POLICY, '-'], input);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('-:5: not valid JSON');
    expect(r.stderr).toContain('-:6: unknown label "secretive"');
    expect(r.stderr).toContain('-:7: "text" must be a string');
    expect(r.stdout).toContain('allow 1, warn 0, tokenise 2, quarantine 0, block 1');
    const bad = file('broken.yaml', 'format: 1\nname: [unclosed\n');
    const b = run(['test', bad, '-'], MESSAGES);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/broken\.yaml:3:\d+: YAML: /);
  });

  it('lists the commands in --help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('validate');
    expect(r.stdout).toContain('test');
  });
});
