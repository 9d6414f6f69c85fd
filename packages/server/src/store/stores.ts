import { mkdirSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load.ts';
import { planRegions } from '../config/regions.ts';
import type { Config } from '../config/schema.ts';
import { databaseName, ensureDatabase, openKysely } from './connections.ts';
import { type EmbeddedServer, stopEmbeddedClusters } from './embedded.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import { placeDatabases } from './placement.ts';
import type { DirectoryDB, RegionDB } from './tables.ts';

export interface RegionStore {
  id: string;
  name: string;
  db: Kysely<RegionDB>;
  /** Database name only (never the URL: it may hold a password). */
  database: string;
  /** Absolute path of the region's file store (created 0700 on open). */
  fileStoreDir: string;
}

/**
 * Creates a private directory (0700) for a region's content, or checks the one
 * there. The parents keep default modes: as root, an embedded cluster's OS
 * user must be able to pass through DATA_DIR/regions/<id>.
 */
function ensureFileStore(dir: string, regionId: string): void {
  const what = `ENCLAVE_REGIONS: the file store of region "${regionId}", ${dir},`;
  const fix = `set "fileStore" of region "${regionId}" to a directory Enclave may create or use`;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new ConfigError(`${what} cannot be created (${code}). Fix: ${fix}.`);
  }
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (err) {
    throw new ConfigError(`${what} cannot be used (${(err as NodeJS.ErrnoException).code}). Fix: ${fix}.`);
  }
  if (!st.isDirectory()) throw new ConfigError(`${what} is not a directory. Fix: ${fix}.`);
  if ((st.mode & 0o077) !== 0) {
    throw new ConfigError(
      `${what} is open to other users (mode ${(st.mode & 0o777).toString(8)}). Fix: chmod 700 ${dir}`,
    );
  }
}

/**
 * The directory database plus one content database per region, each region's
 * possibly on a PostgreSQL of its own (store/placement.ts). Every query about a
 * channel's content goes through `region(id)`, so a channel's content can only
 * be read from or written to the region the directory says it is in.
 */
export class Stores {
  private constructor(
    readonly directory: Kysely<DirectoryDB>,
    private readonly regionStores: Map<string, RegionStore>,
    private readonly pools: pg.Pool[],
    private readonly clusters: EmbeddedServer[],
  ) {}

  static async open(config: Config, log: Logger, opts: { migrate?: boolean } = {}): Promise<Stores> {
    const plans = planRegions(config);
    for (const p of plans) {
      ensureFileStore(p.fileStoreDir, p.id);
    }
    const placement = await placeDatabases(config, plans, log);
    const pools: pg.Pool[] = [];
    try {
      await ensureDatabase(placement.directoryUrl);
      const dir = openKysely<DirectoryDB>(placement.directoryUrl, 10);
      pools.push(dir.pool);
      const regions = new Map<string, RegionStore>();
      await Promise.all(placement.regions.map((r) => ensureDatabase(r.url)));
      for (const { plan, url, server } of placement.regions) {
        const opened = openKysely<RegionDB>(url, 20);
        pools.push(opened.pool);
        const database = databaseName(url);
        regions.set(plan.id, {
          id: plan.id,
          name: plan.name,
          db: opened.db,
          database,
          fileStoreDir: plan.fileStoreDir,
        });
        log.info({ region: plan.id, database, server, files: plan.fileStoreDir }, 'region store');
      }
      const stores = new Stores(dir.db, regions, pools, placement.clusters);
      if (opts.migrate !== false) await stores.migrate(log);
      return stores;
    } catch (err) {
      await Promise.allSettled(pools.map((p) => p.end()));
      await stopEmbeddedClusters(placement.clusters);
      throw err;
    }
  }

  get regionIds(): string[] {
    return [...this.regionStores.keys()];
  }

  region(id: string): Kysely<RegionDB> {
    const store = this.regionStores.get(id);
    if (!store) throw new Error(`unknown region ${id}`);
    return store.db;
  }

  regionInfo(id: string): RegionStore | undefined {
    return this.regionStores.get(id);
  }

  /** Where a region's files live; files arrive in a later issue. */
  fileStoreDir(id: string): string {
    const store = this.regionStores.get(id);
    if (!store) throw new Error(`unknown region ${id}`);
    return store.fileStoreDir;
  }

  allRegions(): RegionStore[] {
    return [...this.regionStores.values()];
  }

  async migrate(log: Logger): Promise<void> {
    const applied = await migrateToLatest(this.directory as Kysely<unknown>, 'directory');
    if (applied.length) log.info({ applied }, 'directory migrated');
    // Regions are independent databases (often separate servers): migrate them side by side.
    await Promise.all(
      [...this.regionStores.values()].map(async (r) => {
        const done = await migrateToLatest(r.db as Kysely<unknown>, 'region');
        if (done.length) log.info({ region: r.id, applied: done }, 'region migrated');
      }),
    );
  }

  /** For /readyz: every database answers and no migration is pending. */
  async readiness(): Promise<{ ready: boolean; problems: string[] }> {
    const problems: string[] = [];
    const check = async (name: string, db: Kysely<unknown>, kind: 'directory' | 'region') => {
      try {
        const pending = await pendingMigrations(db, kind);
        if (pending.length) problems.push(`${name}: ${pending.length} migration(s) pending`);
      } catch {
        problems.push(`${name}: database unreachable`);
      }
    };
    await check('directory', this.directory as Kysely<unknown>, 'directory');
    for (const r of this.regionStores.values())
      await check(`region ${r.id}`, r.db as Kysely<unknown>, 'region');
    return { ready: problems.length === 0, problems };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.pools.map((p) => p.end()));
    await stopEmbeddedClusters(this.clusters);
  }
}
