import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import type { ConfigSchema } from './schema.ts';

// Where each region's stores live (docs/regions.md). Pure: paths and ports
// only, so the same answer serves config validation, the stores and the docs.

type Settings = Pick<
  z.infer<typeof ConfigSchema>,
  'dataDir' | 'databaseUrl' | 'embeddedPostgresPort' | 'regions' | 'regionKeys' | 'revealRateLimitPerMinute'
>;

/** How a region's content database is reached. */
export type RegionDatabase =
  /** The region's own `databaseUrl`. */
  | { kind: 'external'; url: string }
  /** A database `<directory db>_region_<id>` on the directory's server (embedded or DATABASE_URL). */
  | { kind: 'beside-directory' }
  /**
   * A PostgreSQL cluster of its own. `auto`: chosen by default, so a database this region
   * already has in the directory's embedded cluster (an older install) is used instead.
   */
  | { kind: 'own-cluster'; port: number; dir: string; passwordFile: string; auto: boolean };

export interface RegionPlan {
  id: string;
  name: string;
  /** Position in the configuration: names the entry in errors, derives the default port. */
  index: number;
  database: RegionDatabase;
  /** Absolute path of the region's file store. */
  fileStoreDir: string;
  /** `dir: null` = the default location (protection/keys.ts regionKeyPath). */
  keys: { type: 'env' } | { type: 'file'; dir: string | null };
  revealRateLimitPerMinute: number;
}

/** The directory's embedded cluster: where installs have always kept it. */
export function directoryCluster(config: Pick<Settings, 'dataDir' | 'embeddedPostgresPort'>) {
  const root = resolve(config.dataDir);
  return {
    dir: resolve(root, 'postgres'),
    passwordFile: resolve(root, 'postgres.password'),
    port: config.embeddedPostgresPort,
  };
}

/** DATA_DIR/regions/<id>: the default home of a region's cluster, keys and files. */
export function regionHome(dataDir: string, regionId: string): string {
  return resolve(dataDir, 'regions', regionId);
}

export function planRegions(config: Settings): RegionPlan[] {
  return config.regions.map((r, index) => {
    const home = regionHome(config.dataDir, r.id);
    const ownCluster = r.embedded === 'own' || (r.embedded === undefined && !config.databaseUrl);
    const database: RegionDatabase = r.databaseUrl
      ? { kind: 'external', url: r.databaseUrl }
      : ownCluster
        ? {
            kind: 'own-cluster',
            port: r.embeddedPort ?? config.embeddedPostgresPort + 1 + index,
            dir: resolve(home, 'pg'),
            passwordFile: resolve(home, 'pg.password'),
            auto: r.embedded === undefined,
          }
        : { kind: 'beside-directory' };
    const provider: { type: 'file' | 'env'; dir?: string | undefined } = r.keyProvider ?? {
      type: config.regionKeys ? 'env' : 'file',
    };
    return {
      id: r.id,
      name: r.name ?? r.id,
      index,
      database,
      fileStoreDir: r.fileStore ? resolve(r.fileStore) : resolve(home, 'files'),
      keys:
        provider.type === 'env'
          ? { type: 'env' }
          : { type: 'file', dir: provider.dir ? resolve(provider.dir) : null },
      revealRateLimitPerMinute: r.revealRateLimitPerMinute ?? config.revealRateLimitPerMinute,
    };
  });
}

/** Reveals per minute per person in this region (VA-12): the region's override or the global limit. */
export function revealRateLimit(config: Settings, regionId: string): number {
  const r = config.regions.find((x) => x.id === regionId);
  return r?.revealRateLimitPerMinute ?? config.revealRateLimitPerMinute;
}

/** x is y or lies within it. */
function inside(x: string, y: string): boolean {
  const rel = relative(y, x);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** a is b, or one contains the other. */
function overlaps(a: string, b: string): boolean {
  return inside(a, b) || inside(b, a);
}

/**
 * Problems a start would hit, each naming the setting and the fix. `where(key)` names the
 * source of a top-level key (environment variable or config file entry).
 */
export function regionProblems(
  config: Settings & { port: number },
  where: (key: 'regions' | 'embeddedPostgresPort' | 'regionKeys' | 'port') => string,
): string[] {
  const problems: string[] = [];
  const plans = planRegions(config);
  const at = (p: RegionPlan, field: string) => `${where('regions')} (at ${p.index}.${field})`;

  // Ports: every embedded cluster needs its own, distinct from each other and from HTTP.
  const taken = new Map<number, string>();
  if (!config.databaseUrl) taken.set(config.embeddedPostgresPort, "the directory's embedded PostgreSQL");
  if (config.port !== 0 && taken.has(config.port)) {
    problems.push(
      `${where('embeddedPostgresPort')}: port ${config.port} is also the HTTP server's (${where('port')}). Fix: give them different ports.`,
    );
  }
  if (config.port !== 0) taken.set(config.port, 'the HTTP server (PORT)');
  for (const p of plans) {
    const raw = config.regions[p.index]!;
    if (raw.databaseUrl && raw.embedded) {
      problems.push(
        `${at(p, 'embedded')}: region "${p.id}" has a databaseUrl, so it runs on no embedded PostgreSQL. Fix: remove one of the two.`,
      );
    }
    if (p.database.kind !== 'own-cluster') {
      if (raw.embeddedPort !== undefined) {
        problems.push(
          `${at(p, 'embeddedPort')}: region "${p.id}" does not run its own embedded PostgreSQL (${raw.databaseUrl ? 'it has a databaseUrl' : raw.embedded === 'shared' ? 'embedded is "shared"' : 'DATABASE_URL is set'}). Fix: remove embeddedPort, or set embedded to "own".`,
        );
      }
      continue;
    }
    const { port } = p.database;
    if (port > 65535) {
      problems.push(
        `${where('embeddedPostgresPort')}: base port ${config.embeddedPostgresPort} leaves no port for region "${p.id}" (it would get ${port}). Fix: lower it, or set embeddedPort for region "${p.id}" in ${where('regions')}.`,
      );
      continue;
    }
    const other = taken.get(port);
    if (other) {
      const field = raw.embeddedPort !== undefined ? at(p, 'embeddedPort') : where('embeddedPostgresPort');
      problems.push(
        `${field}: port ${port} of region "${p.id}"'s embedded PostgreSQL is already used by ${other}. Fix: set embeddedPort for region "${p.id}" to a free port.`,
      );
    }
    taken.set(port, `region "${p.id}"'s embedded PostgreSQL`);
  }

  // Paths: a region's files and keys stay out of other regions' space and the directory's.
  const dataRoot = resolve(config.dataDir);
  const shared = [
    { path: directoryCluster(config).dir, what: "the directory's database" },
    { path: resolve(dataRoot, 'keys'), what: 'the shared key directory' },
  ];
  for (const p of plans) {
    const raw = config.regions[p.index]!;
    const keyDir = p.keys.type === 'file' ? p.keys.dir : null;
    const fileProblem = (what: string) =>
      `${at(p, 'fileStore')}: region "${p.id}"'s file store ${p.fileStoreDir} overlaps ${what}. Fix: give each region's files a directory of their own.`;
    const keyProblem = (what: string) =>
      `${at(p, 'keyProvider.dir')}: region "${p.id}"'s key directory ${keyDir} ${what}. Fix: keep each region's key in a directory of its own, apart from files.`;
    if (raw.fileStore) {
      const own =
        p.database.kind === 'own-cluster' ? [{ path: p.database.dir, what: 'its own database' }] : [];
      const hit = [...shared, ...own].find((s) => overlaps(p.fileStoreDir, s.path));
      if (inside(dataRoot, p.fileStoreDir)) problems.push(fileProblem(`ENCLAVE_DATA_DIR (${dataRoot})`));
      else if (hit) problems.push(fileProblem(`${hit.what} (${hit.path})`));
    }
    if (keyDir && overlaps(keyDir, p.fileStoreDir)) problems.push(keyProblem('overlaps its own file store'));
    for (const q of plans) {
      if (q === p) continue;
      const home = regionHome(config.dataDir, q.id);
      if (q.index > p.index && overlaps(p.fileStoreDir, q.fileStoreDir)) {
        problems.push(fileProblem(`region "${q.id}"'s file store`));
      } else if (raw.fileStore && overlaps(p.fileStoreDir, home)) {
        problems.push(fileProblem(`region "${q.id}"'s directory (${home})`));
      }
      if (keyDir && (inside(keyDir, q.fileStoreDir) || inside(keyDir, home))) {
        problems.push(keyProblem(`lies in region "${q.id}"'s space (${home} or its file store)`));
      }
    }
    if (p.keys.type === 'env' && !config.regionKeys?.[p.id]) {
      problems.push(
        `${where('regionKeys')}: region "${p.id}" takes its vault key from ENCLAVE_REGION_KEYS but has none there. Fix: add "${p.id}": "<openssl rand -base64 32>", or set its keyProvider to "file".`,
      );
    }
  }
  return problems;
}
