import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

// Runs the real `enclave serve` in its own process group, as a terminal would,
// so a test can press Ctrl-C on the whole group (Node and every PostgreSQL).

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const BIN = ['--import', 'tsx', 'packages/cli/src/bin.ts'];

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A base port with `n` free consecutive ports (the directory's cluster, then one per region). */
export async function freePorts(n: number): Promise<number> {
  for (;;) {
    const base = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    if (base + n > 65535) continue;
    let ok = true;
    for (let i = 1; i < n && ok; i++) ok = await isFree(base + i);
    if (ok) return base;
  }
}

export interface Serving {
  child: ChildProcess;
  url: string;
  setupUrl: string | null;
  out(): string;
}

/** Starts `enclave serve`; resolves once it prints its URL, rejects with its output if it exits. */
export async function serve(env: Record<string, string>): Promise<Serving> {
  const child = spawn(process.execPath, [...BIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 90_000;
  while (!/Enclave is running at (\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) killGroup(child, 'SIGKILL');
      throw new Error(`serve did not start: ${out}`);
    }
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

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Runs a command to completion in its own process group; resolves with its exit code and output. */
export function runToExit(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [...BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // A command that should have failed but serves instead must not hang the suite.
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

/** Ctrl-C as a terminal sends it: to the server and its PostgreSQL processes at once. */
export async function ctrlC(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  killGroup(child, 'SIGINT');
  return exited;
}

/** A client for one embedded cluster, with the password `enclave serve` generated for it. */
export async function clusterClient(
  passwordFile: string,
  port: number,
  database = 'postgres',
): Promise<pg.Client> {
  const password = readFileSync(passwordFile, 'utf8').trim();
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'enclave', password, database });
  await client.connect();
  return client;
}

/** The postmaster's PID, from the pid file it keeps in its data directory while it runs. */
export function postmasterPid(clusterDir: string): number | null {
  try {
    return Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}
