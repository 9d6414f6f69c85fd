import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';

// The server under test runs as its own process, started exactly as `npm start`
// does but with node spawned directly (not npm, whose wrapper would be the pid we
// measured), so /proc/<pid> is the process that serves.

const REPO = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  pid: number;
  url: string;
  /** The one-time setup link, when the database had no account yet. */
  setupUrl: string | null;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export interface SpawnOptions {
  port: number;
  /** External directory database; absent = embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  embeddedPgPort?: number;
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

export async function spawnServer(opts: SpawnOptions): Promise<ServerProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (opts.dataDir) env.ENCLAVE_DATA_DIR = opts.dataDir;
  if (opts.embeddedPgPort) env.ENCLAVE_EMBEDDED_PG_PORT = String(opts.embeddedPgPort);
  const child = spawn(
    process.execPath,
    [...(opts.nodeFlags ?? []), '--import', 'tsx', 'packages/cli/src/bin.ts', 'serve'],
    {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    // Warnings and errors from the server are worth seeing live (they never carry message text or tokens).
    process.stderr.write(`[server] ${d}`);
  });
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`server did not start within 120 s\n${err.slice(-2000)}`)),
      120_000,
    );
    const check = () => {
      const m = /Enclave is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        res(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code} before listening\n${err.slice(-2000)}`));
    });
  });
  // The setup link is written right after the "running" line, when no account exists yet.
  await new Promise((r) => setTimeout(r, 300));
  const setup = /(https?:\/\/\S+\/setup\?token=\S+)/.exec(out);
  return { pid: child.pid!, url, setupUrl: setup ? setup[1]! : null, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) return res();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    child.kill('SIGTERM');
  });
}

/** A fresh pair of bench databases (directory + region `us`) on an external PostgreSQL, dropped by `drop()`. */
export async function createBenchDatabases(
  adminUrl: string,
  name: string,
): Promise<{ directoryUrl: string; drop(): Promise<void> }> {
  const withDb = (db: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const admin = new pg.Client({ connectionString: withDb('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    directoryUrl: withDb(name),
    async drop() {
      const c = new pg.Client({ connectionString: withDb('postgres') });
      await c.connect();
      try {
        // The server makes the region database `<directory>_region_<id>` on the same server.
        for (const db of [name, `${name}_region_us`])
          await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The embedded cluster's directory URL, from the password the server keeps beside it. */
export function embeddedDirectoryUrl(dataDir: string, port: number): string {
  const password = readFileSync(join(resolve(dataDir), 'postgres.password'), 'utf8').trim();
  return `postgres://enclave:${encodeURIComponent(password)}@127.0.0.1:${port}/enclave`;
}

/** PIDs of PostgreSQL backends serving the given databases (to book their CPU separately). */
export async function backendPids(
  sql: (t: string, v?: unknown[]) => Promise<{ rows: { pid: number }[] }>,
  databases: string[],
): Promise<number[]> {
  const { rows } = await sql(
    'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
    [databases],
  );
  return rows.map((r) => r.pid);
}
