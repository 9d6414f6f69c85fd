import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/client.ts';
import {
  clusterClient,
  ctrlC,
  freePorts,
  killGroup,
  postmasterPid,
  runToExit,
  type Serving,
  serve,
} from './serve-support.ts';

// docs/regions.md: on embedded defaults every region runs its own PostgreSQL
// cluster, so a laptop shows residency: an eu channel's content is in the eu
// cluster's files and nowhere else. Real CLI, real clusters, real Ctrl-C.

const REGIONS = JSON.stringify([
  { id: 'us', name: 'United States' },
  { id: 'eu', name: 'European Union' },
]);
const MARKER = 'plover quartz residency marker';

/** Does any file under `dir` contain `needle`? (WAL and heap files hold committed rows verbatim.) */
function filesContain(dir: string, needle: string): boolean {
  const bytes = Buffer.from(needle);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    try {
      if (readFileSync(path).includes(bytes)) return true;
    } catch {
      // a file PostgreSQL removed while we walked
    }
  }
  return false;
}

const running: Serving[] = [];
const temp: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'enclave-regions-'));
  // As root the clusters run as another OS user, which must be able to enter DATA_DIR.
  chmodSync(d, 0o755);
  temp.push(d);
  return d;
}
afterAll(() => {
  for (const s of running) if (s.child.exitCode === null) killGroup(s.child, 'SIGKILL');
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe('enclave serve with two regions on embedded defaults', { timeout: 180_000 }, () => {
  const data = dataDir();
  const clusters = {
    directory: { dir: join(data, 'postgres'), password: join(data, 'postgres.password'), offset: 0 },
    us: { dir: join(data, 'regions/us/pg'), password: join(data, 'regions/us/pg.password'), offset: 1 },
    eu: { dir: join(data, 'regions/eu/pg'), password: join(data, 'regions/eu/pg.password'), offset: 2 },
  };
  type Store = keyof typeof clusters;
  const stores = Object.keys(clusters) as Store[];
  let base = 0;
  const env = () => ({
    ENCLAVE_DATA_DIR: data,
    ENCLAVE_EMBEDDED_PG_PORT: String(base),
    ENCLAVE_REGIONS: REGIONS,
  });
  const query = async (store: Store, sql: string, database = 'postgres') => {
    const c = await clusterClient(clusters[store].password, base + clusters[store].offset, database);
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const identity = async (store: Store) =>
    String((await query(store, 'SELECT system_identifier FROM pg_control_system()'))[0].system_identifier);

  let euChannel = '';
  const ids: Record<string, string> = {};

  it('runs the directory and each region on a cluster of its own; eu content is only in eu', async () => {
    base = await freePorts(3);
    const first = await serve(env());
    running.push(first);
    expect(first.setupUrl).toBeTruthy();

    // Three servers: separate processes, ports, data directories and cluster identities.
    const pids = stores.map((s) => postmasterPid(clusters[s].dir));
    expect(pids.every((p) => Number.isInteger(p) && p! > 0)).toBe(true);
    expect(new Set(pids).size).toBe(3);
    for (const s of stores) {
      const [row] = await query(
        s,
        'SELECT inet_server_port() AS port, current_setting($$data_directory$$) AS dir',
      );
      expect(row.port).toBe(base + clusters[s].offset);
      expect(row.dir).toBe(clusters[s].dir);
      ids[s] = await identity(s);
    }
    expect(new Set(Object.values(ids)).size).toBe(3);
    const databases = async (s: Store) =>
      (await query(s, 'SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> $$postgres$$'))
        .map((r) => r.datname)
        .sort();
    expect(await databases('directory')).toEqual(['enclave']);
    expect(await databases('us')).toEqual(['enclave_region_us']);
    expect(await databases('eu')).toEqual(['enclave_region_eu']);

    // Each region's file store and key beside its cluster, private.
    for (const r of ['us', 'eu']) {
      expect(statSync(join(data, 'regions', r, 'files')).mode & 0o777).toBe(0o700);
      expect(statSync(join(data, 'regions', r, 'keys', `region-${r}.kek`)).mode & 0o777).toBe(0o600);
    }

    const owner = new ApiClient(first.url);
    const setup = await owner.post('/api/v1/setup', {
      token: new URL(first.setupUrl!).searchParams.get('token'),
      email: 'owner@example.com',
      password: 'owner-password-1',
      displayName: 'Owner',
      workspaceName: 'Casework',
    });
    expect(setup.status).toBe(201);
    owner.adopt(setup);
    const workspaceId = (await owner.get('/api/v1/workspaces')).body.workspaces[0].id as string;
    const channel = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'eu-casework',
      kind: 'private',
      region: 'eu',
    });
    expect(channel.status).toBe(201);
    euChannel = channel.body.channel.id as string;
    const sent = await owner.post(`/api/v1/channels/${euChannel}/messages`, {
      clientMsgId: 'm1',
      text: MARKER,
    });
    expect(sent.status).toBe(201);

    const count = (s: Store) =>
      query(
        s,
        `SELECT count(*)::int AS n FROM messages WHERE text LIKE '%${MARKER}%'`,
        `enclave_region_${s}`,
      );
    expect((await count('eu'))[0].n).toBe(1);
    expect((await count('us'))[0].n).toBe(0);
    // Byte for byte: the text is in the eu cluster's files, not in the us or directory cluster's.
    expect(filesContain(clusters.eu.dir, MARKER)).toBe(true);
    expect(filesContain(clusters.us.dir, MARKER)).toBe(false);
    expect(filesContain(clusters.directory.dir, MARKER)).toBe(false);

    // Ctrl-C reaches every process of the group; all three stop cleanly.
    expect(await ctrlC(first.child)).toBe(0);
    for (const s of stores) expect(postmasterPid(clusters[s].dir)).toBeNull();
  });

  it('a restart reuses the same clusters and data', async () => {
    const second = await serve(env());
    running.push(second);
    expect(second.setupUrl).toBeNull();
    for (const s of stores) expect(await identity(s)).toBe(ids[s]);
    const owner = new ApiClient(second.url);
    const login = await owner.post('/api/v1/auth/login', {
      email: 'owner@example.com',
      password: 'owner-password-1',
    });
    expect(login.status).toBe(200);
    owner.adopt(login);
    const messages = await owner.get(`/api/v1/channels/${euChannel}/messages`);
    expect(messages.body.messages.map((m: { text: string }) => m.text)).toContain(MARKER);
    expect(await ctrlC(second.child)).toBe(0);
    expect(second.out()).not.toMatch(/owner-password-1|enc_sess_|plover/);
  });

  it('a region whose port is taken stops the start, names the region and the fix, stops the rest', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(base + 2, '127.0.0.1', resolve));
    try {
      const r = await runToExit(['serve'], { ...env(), PORT: '0', LOG_LEVEL: 'warn' });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        new RegExp(
          `region "eu" .*port ${base + 2}\\) did not start: port ${base + 2} is in use\\. Fix: .*embeddedPort`,
        ),
      );
      for (const s of stores) expect(postmasterPid(clusters[s].dir)).toBeNull();
    } finally {
      blocker.close();
    }
  });
});

describe('an install from before per-region clusters', { timeout: 120_000 }, () => {
  it('keeps using its region database in the shared cluster and its key file, with a notice', async () => {
    const data = dataDir();
    const base = await freePorts(2);
    const env = { ENCLAVE_DATA_DIR: data, ENCLAVE_EMBEDDED_PG_PORT: String(base), LOG_LEVEL: 'warn' };
    // The old layout: the region's database in DATA_DIR/postgres, its key in DATA_DIR/keys.
    const old = await runToExit(['db', 'migrate'], {
      ...env,
      ENCLAVE_REGIONS: JSON.stringify([{ id: 'us', embedded: 'shared' }]),
    });
    expect(old.out).toMatch(/Migrations are current/);
    expect(old.code).toBe(0);
    mkdirSync(join(data, 'keys'), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeFileSync(join(data, 'keys/region-us.kek'), key, { mode: 0o600 });
    rmSync(join(data, 'regions'), { recursive: true, force: true });

    const now = await serve({ ...env, ENCLAVE_REGIONS: '' });
    running.push(now);
    expect(now.setupUrl).toBeTruthy();
    expect(now.out()).toMatch(
      /region \\"us\\" keeps its database in the directory's embedded PostgreSQL.*docs\/regions\.md/,
    );
    expect(existsSync(join(data, 'regions/us/pg'))).toBe(false);
    expect(existsSync(join(data, 'regions/us/keys/region-us.kek'))).toBe(false);
    expect(readFileSync(join(data, 'keys/region-us.kek')).equals(key)).toBe(true);
    expect(await ctrlC(now.child)).toBe(0);
  });
});
