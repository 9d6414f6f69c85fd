import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { databaseName, ensureDatabase, openKysely, withDatabase } from './connections.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import type { DirectoryDB, RegionDB } from './tables.ts';

export interface RegionStore {
  id: string;
  name: string;
  db: Kysely<RegionDB>;
  /** Database name only (never the URL: it may hold a password). */
  database: string;
}

/**
 * The directory database plus one content database per region. Every query
 * about a channel's content goes through `region(id)`, so a channel's content
 * can only be read from or written to the region the directory says it is in.
 */
export class Stores {
  private constructor(
    readonly directory: Kysely<DirectoryDB>,
    private readonly regionStores: Map<string, RegionStore>,
    private readonly pools: pg.Pool[],
    private readonly embedded: EmbeddedServer | null,
  ) {}

  static async open(config: Config, log: Logger, opts: { migrate?: boolean } = {}): Promise<Stores> {
    const needsEmbedded =
      !config.databaseUrl || config.regions.some((r) => !r.databaseUrl && !config.databaseUrl);
    const embedded = needsEmbedded
      ? await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort, log)
      : null;
    const directoryUrl = config.databaseUrl ?? withDatabase(embedded!.adminUrl, 'enclave');
    const pools: pg.Pool[] = [];
    try {
      await ensureDatabase(directoryUrl);
      const dir = openKysely<DirectoryDB>(directoryUrl, 10);
      pools.push(dir.pool);
      const regions = new Map<string, RegionStore>();
      for (const r of config.regions) {
        // Without its own URL a region gets a database of its own on the directory's server.
        const url =
          r.databaseUrl ?? withDatabase(directoryUrl, `${databaseName(directoryUrl)}_region_${r.id}`);
        await ensureDatabase(url);
        const opened = openKysely<RegionDB>(url, 20);
        pools.push(opened.pool);
        regions.set(r.id, { id: r.id, name: r.name ?? r.id, db: opened.db, database: databaseName(url) });
      }
      const stores = new Stores(dir.db, regions, pools, embedded);
      if (opts.migrate !== false) await stores.migrate(log);
      return stores;
    } catch (err) {
      await Promise.allSettled(pools.map((p) => p.end()));
      await embedded?.stop();
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

  allRegions(): RegionStore[] {
    return [...this.regionStores.values()];
  }

  async migrate(log: Logger): Promise<void> {
    const applied = await migrateToLatest(this.directory as Kysely<unknown>, 'directory');
    if (applied.length) log.info({ applied }, 'directory migrated');
    for (const r of this.regionStores.values()) {
      const done = await migrateToLatest(r.db as Kysely<unknown>, 'region');
      if (done.length) log.info({ region: r.id, applied: done }, 'region migrated');
    }
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
    await this.embedded?.stop();
  }
}
