import pg from 'pg';
import type { Logger } from 'pino';
import { directoryCluster, type RegionPlan } from '../config/regions.ts';
import type { Config } from '../config/schema.ts';
import { databaseName, withDatabase } from './connections.ts';
import {
  type ClusterSpec,
  type EmbeddedServer,
  isInitialised,
  startEmbeddedClusters,
  stopEmbeddedClusters,
} from './embedded.ts';

// Decides which PostgreSQL serves the directory and each region, and starts the
// embedded clusters among them (docs/regions.md). Every store gets a database
// named as before (`enclave`, `enclave_region_<id>`), wherever it lives.

export interface PlacedRegion {
  plan: RegionPlan;
  url: string;
  /** For logs: where the database is, never its URL (it may hold a password). */
  server: string;
}

export interface Placement {
  directoryUrl: string;
  regions: PlacedRegion[];
  clusters: EmbeddedServer[];
}

const DIRECTORY_DB = 'enclave';

function regionSpec(plan: RegionPlan): ClusterSpec {
  if (plan.database.kind !== 'own-cluster') throw new Error('not an own-cluster region');
  const { dir, passwordFile, port } = plan.database;
  return {
    label: `region "${plan.id}"`,
    dir,
    passwordFile,
    port,
    portFix: `set "embeddedPort" of region "${plan.id}" (ENCLAVE_REGIONS) to a free port`,
  };
}

/** Which of these databases exist on the server at `adminUrl`. */
async function existingDatabases(adminUrl: string, names: string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1)',
      [names],
    );
    return new Set(rows.map((r) => r.datname));
  } finally {
    await client.end();
  }
}

export async function placeDatabases(config: Config, plans: RegionPlan[], log: Logger): Promise<Placement> {
  const dirCluster = config.databaseUrl ? null : directoryCluster(config);
  const dirSpec: ClusterSpec | null = dirCluster && {
    label: 'directory',
    ...dirCluster,
    portFix: 'set ENCLAVE_EMBEDDED_PG_PORT to a free port (regions take the ports after it)',
  };
  const regionDb = (id: string) => `${DIRECTORY_DB}_region_${id}`;
  // A region left to the default whose cluster does not exist yet, on an install whose
  // directory cluster does, may be an older install's region database in that cluster.
  const olderInstall = dirSpec !== null && isInitialised(dirSpec.dir);
  const maybeShared = plans.filter(
    (p) =>
      p.database.kind === 'own-cluster' && p.database.auto && olderInstall && !isInitialised(p.database.dir),
  );
  const own = plans.filter((p) => p.database.kind === 'own-cluster' && !maybeShared.includes(p));

  const clusters = await startEmbeddedClusters([...(dirSpec ? [dirSpec] : []), ...own.map(regionSpec)], log);
  try {
    const directory = dirSpec ? clusters.find((c) => c.label === 'directory')! : null;
    const directoryUrl = config.databaseUrl ?? withDatabase(directory!.adminUrl, DIRECTORY_DB);
    const explicitOwn = own.filter((p) => p.database.kind === 'own-cluster' && !p.database.auto);
    const shared =
      directory && olderInstall
        ? await existingDatabases(
            directory.adminUrl,
            [...maybeShared, ...explicitOwn].map((p) => regionDb(p.id)),
          )
        : new Set<string>();
    for (const p of explicitOwn.filter((x) => shared.has(regionDb(x.id)))) {
      log.warn(
        { region: p.id },
        `region "${p.id}" uses its own cluster (embedded: own); its old database in the directory's cluster is no longer read: drop it once its data is moved (docs/regions.md)`,
      );
    }
    const keepShared = maybeShared.filter((p) => shared.has(regionDb(p.id)));
    for (const p of keepShared) {
      log.warn(
        { region: p.id },
        `region "${p.id}" keeps its database in the directory's embedded PostgreSQL, as installs before per-region clusters did; to move it to a cluster of its own see docs/regions.md ("Moving a region to its own cluster")`,
      );
    }
    const late = maybeShared.filter((p) => !keepShared.includes(p));
    clusters.push(...(await startEmbeddedClusters(late.map(regionSpec), log)));

    const besideDirectory = (p: RegionPlan): PlacedRegion => ({
      plan: p,
      url: withDatabase(directoryUrl, `${databaseName(directoryUrl)}_region_${p.id}`),
      server: directory ? `directory's embedded PostgreSQL (port ${directory.port})` : 'DATABASE_URL server',
    });
    const regions = plans.map((p): PlacedRegion => {
      if (p.database.kind === 'external') return { plan: p, url: p.database.url, server: 'databaseUrl' };
      if (p.database.kind === 'beside-directory' || keepShared.includes(p)) return besideDirectory(p);
      const c = clusters.find((x) => x.label === regionSpec(p).label)!;
      return {
        plan: p,
        url: withDatabase(c.adminUrl, regionDb(p.id)),
        server: `own embedded PostgreSQL (port ${c.port}, ${c.dir})`,
      };
    });
    return { directoryUrl, regions, clusters };
  } catch (err) {
    await stopEmbeddedClusters(clusters);
    throw err;
  }
}
