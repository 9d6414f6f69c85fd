import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../../../test-support/client.ts';
import { freePorts } from './serve-support.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = ['--import', 'tsx', 'packages/cli/src/bin.ts'];

function run(args: string[], env: Record<string, string> = {}, input?: string) {
  return spawnSync(process.execPath, [...BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const admin = inject('pgAdminUrl');
const created: string[] = [];
function freshDbUrl(): string {
  const name = `t_cli_${randomBytes(4).toString('hex')}`;
  created.push(name);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}
afterAll(async () => {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  for (const name of created) {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS "${name}_region_us" WITH (FORCE)`);
  }
  await c.end();
});

// Each case spawns node processes (and one starts PostgreSQL): generous limits for a loaded 2-core machine.
describe('enclave CLI', { timeout: 120_000 }, () => {
  it('prints help for every command and exits 0', () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['db', 'migrate', '--help'],
      ['admin', 'create-user', '--help'],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: enclave/);
    }
  });

  it('exits non-zero on an unknown command or a bad configuration', () => {
    const unknown = run(['frobnicate']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/);
    const badPort = run(['serve'], { PORT: 'eighty' });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/PORT: .*Fix:/);
  });

  it('db migrate brings an empty external database to the current schema', () => {
    const r = run(['db', 'migrate'], { DATABASE_URL: freshDbUrl(), LOG_LEVEL: 'silent' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Migrations are current \(directory and 1 region\(s\): us\)/);
  });

  it('admin create-user reads the password from stdin and refuses a short one', () => {
    const url = freshDbUrl();
    const ok = run(
      ['admin', 'create-user', '--email', 'ops@example.com', '--name', 'Ops', '--instance-admin'],
      { DATABASE_URL: url, LOG_LEVEL: 'silent' },
      'a-long-password\n',
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Created user [0-9a-f-]{36}/);
    const dup = run(
      ['admin', 'create-user', '--email', 'ops@example.com', '--name', 'Ops'],
      { DATABASE_URL: url, LOG_LEVEL: 'silent' },
      'a-long-password\n',
    );
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const short = run(
      ['admin', 'create-user', '--email', 'x@example.com', '--name', 'X'],
      { DATABASE_URL: url },
      'short\n',
    );
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 10 characters/);
  });
});

describe('enclave serve on the embedded database', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-serve-'));
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function serve(
    pgPort: number,
  ): Promise<{ child: ChildProcess; url: string; setupUrl: string | null; out: () => string }> {
    const child = spawn(process.execPath, [...BIN, 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        ENCLAVE_DATA_DIR: dataDir,
        ENCLAVE_EMBEDDED_PG_PORT: String(pgPort),
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const deadline = Date.now() + 60_000;
    while (!/Enclave is running at (\S+)/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 100));
    return {
      child,
      url: /Enclave is running at (\S+)/.exec(out)![1]!,
      setupUrl: /(http\S+\/setup\?token=\S+)/.exec(out)?.[1] ?? null,
      out: () => out,
    };
  }

  async function interrupt(child: ChildProcess): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    return exited;
  }

  it('first start prints a setup link; Ctrl-C stops cleanly; a second start reuses the data', async () => {
    // The directory's cluster on pgPort, region us's own on pgPort + 1.
    const pgPort = await freePorts(2);
    const first = await serve(pgPort);
    expect(first.setupUrl).toBeTruthy();
    const token = new URL(first.setupUrl!).searchParams.get('token');
    const page = await fetch(first.setupUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Set up Enclave');
    const c = new ApiClient(first.url);
    const res = await c.post('/api/v1/setup', {
      token,
      email: 'first@example.com',
      password: 'first-password-1',
      displayName: 'First',
      workspaceName: 'Ops',
    });
    expect(res.status).toBe(201);
    expect(await interrupt(first.child)).toBe(0);

    const second = await serve(pgPort);
    expect(second.setupUrl).toBeNull();
    const login = await new ApiClient(second.url).post('/api/v1/auth/login', {
      email: 'first@example.com',
      password: 'first-password-1',
    });
    expect(login.status).toBe(200);
    expect(await interrupt(second.child)).toBe(0);
    expect(second.out()).not.toMatch(/first-password-1|enc_sess_/);
  });
});
