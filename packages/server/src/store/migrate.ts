import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as dir001 from './migrations/directory/001-identities.ts';
import * as dir002 from './migrations/directory/002-audit-chain.ts';
import * as dir003 from './migrations/directory/003-policies.ts';
import * as dir004 from './migrations/directory/004-people.ts';
import * as reg001 from './migrations/region/001-content.ts';
import * as reg002 from './migrations/region/002-search.ts';
import * as reg003 from './migrations/region/003-audit-chain.ts';
import * as reg004 from './migrations/region/004-labels.ts';
import * as reg005 from './migrations/region/005-vault.ts';
import * as reg006 from './migrations/region/006-quarantine.ts';

// Migrations are listed here, not discovered from disk, so they are bundled
// with the code that needs them and their order is explicit.
const DIRECTORY: Record<string, Migration> = {
  '001-identities': dir001,
  '002-audit-chain': dir002,
  '003-policies': dir003,
  '004-people': dir004,
};
const REGION: Record<string, Migration> = {
  '001-content': reg001,
  '002-search': reg002,
  '003-audit-chain': reg003,
  '004-labels': reg004,
  '005-vault': reg005,
  '006-quarantine': reg006,
};

export type StoreKind = 'directory' | 'region';

function migrator(db: Kysely<unknown>, kind: StoreKind): Migrator {
  const migrations = kind === 'directory' ? DIRECTORY : REGION;
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  // Separate tracking tables let one database hold both the directory and a region.
  return new Migrator({
    db,
    provider,
    migrationTableName: `enclave_migrations_${kind}`,
    migrationLockTableName: `enclave_migrations_${kind}_lock`,
  });
}

export async function migrateToLatest(db: Kysely<unknown>, kind: StoreKind): Promise<string[]> {
  const { error, results } = await migrator(db, kind).migrateToLatest();
  if (error) throw new Error(`${kind} migration failed: ${(error as Error).message}`, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Kysely<unknown>, kind: StoreKind): Promise<string[]> {
  const all = await migrator(db, kind).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
