import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, createLogger, loadConfig, type RunningServer, startServer } from '@enclave/server';
import pg from 'pg';
import { inject } from 'vitest';
import { ApiClient } from './client.ts';

export interface TestServer {
  server: RunningServer;
  url: string;
  config: Config;
  /** Database name per store: 'directory', 'us', 'eu'. */
  databases: Record<string, string>;
  /** A raw connection to one of this server's databases, for checks the API cannot make. */
  query(store: string, text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** The one-time first-run link the server printed (browser tests open it). */
  setupUrl: string;
  /** Completes first-run setup through the API; returns the owner's client and workspace id. */
  setupOwner(): Promise<{ owner: ApiClient; workspaceId: string; generalId: string }>;
  /** Creates an account, adds it to the workspace and signs it in through the API. */
  user(
    workspaceId: string,
    /** country: the person's location (FE-1), default "US"; null = unknown. */
    opts?: { name?: string; role?: 'owner' | 'admin' | 'member' | 'guest'; country?: string | null },
  ): Promise<ApiClient>;
  anon(): ApiClient;
  /** Every log line the server wrote (only with `captureLogs`). */
  logs(): string[];
  /** Another server node on the same databases (multi-node tests); stopped by the caller. */
  peer(overrides?: Record<string, unknown>): Promise<RunningServer>;
  stop(): Promise<void>;
}

function dbUrl(admin: string, name: string): string {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Starts a real Enclave server on a random port with its own databases on the
 * test PostgreSQL: one directory and two regions (us, eu), so every test runs
 * with residency in play.
 */
export async function startTestServer(
  overrides: Record<string, unknown> = {},
  opts: { captureLogs?: boolean } = {},
): Promise<TestServer> {
  const admin = inject('pgAdminUrl');
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  // Key files and other local state go to a throwaway directory, never the repo's ./data.
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-test-data-'));
  const databases: Record<string, string> = {
    directory: `${prefix}_dir`,
    us: `${prefix}_us`,
    eu: `${prefix}_eu`,
  };
  const config = loadConfig(
    {},
    {
      port: 0,
      dataDir,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
      databaseUrl: dbUrl(admin, databases.directory!),
      regions: [
        { id: 'us', name: 'United States', databaseUrl: dbUrl(admin, databases.us!) },
        { id: 'eu', name: 'European Union', databaseUrl: dbUrl(admin, databases.eu!) },
      ],
      loginRateLimitPerMinute: 10_000,
      validateResponses: true,
      wsHeartbeatMs: 60_000,
      ...overrides,
    },
  );
  const logLines: string[] = [];
  const log = opts.captureLogs
    ? createLogger('trace', { write: (line: string) => void logLines.push(line) })
    : undefined;
  const server = await startServer(config, log ? { log } : {});
  const pools = new Map<string, pg.Pool>();
  const pool = (store: string) => {
    let p = pools.get(store);
    if (!p) {
      p = new pg.Pool({ connectionString: dbUrl(admin, databases[store]!), max: 2 });
      pools.set(store, p);
    }
    return p;
  };
  const t: TestServer = {
    server,
    url: server.url,
    setupUrl: server.setupUrl!,
    config,
    databases,
    query: (store, text, values) => pool(store).query(text, values),
    anon: () => new ApiClient(server.url),
    logs: () => logLines,
    peer: (more = {}) => startServer({ ...config, ...more, port: 0 } as Config),
    async setupOwner() {
      const token = new URL(server.setupUrl!).searchParams.get('token');
      const owner = new ApiClient(server.url);
      const res = await owner.post('/api/v1/setup', {
        token,
        email: 'owner@example.com',
        password: 'owner-password-123',
        displayName: 'Olive Owner',
        workspaceName: 'Trust and Safety',
        country: 'US',
      });
      if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
      owner.adopt(res);
      const ws = await owner.get('/api/v1/workspaces');
      const workspaceId = ws.body.workspaces[0].id as string;
      const chans = await owner.get(`/api/v1/workspaces/${workspaceId}/channels`);
      const generalId = chans.body.channels.find((c: { name: string }) => c.name === 'general').id as string;
      return { owner, workspaceId, generalId };
    },
    async user(workspaceId, opts = {}) {
      const name = opts.name ?? `User ${randomBytes(3).toString('hex')}`;
      const email = `${randomBytes(6).toString('hex')}@example.com`;
      const password = 'user-password-123';
      const { insertUser } = await import('@enclave/server');
      const dir = server.app.services.stores.directory;
      await dir.transaction().execute(async (db) => {
        const country = opts.country === undefined ? 'US' : (opts.country ?? undefined);
        const u = await insertUser(db, { email, password, displayName: name, kind: 'human', country }, null);
        await db
          .insertInto('workspace_members')
          .values({ workspace_id: workspaceId, user_id: u.id, role: opts.role ?? 'member' })
          .execute();
      });
      const client = new ApiClient(server.url);
      const res = await client.post('/api/v1/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      client.adopt(res);
      client.email = email;
      client.password = password;
      return client;
    },
    async stop() {
      await server.stop();
      await Promise.all([...pools.values()].map((p) => p.end()));
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        for (const name of Object.values(databases))
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
