import type { Kysely } from 'kysely';
import { upgradeAuditTable } from '../../../audit/migration.ts';

// Each region's audit log becomes a hash chain (docs/data-protection/audit.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await upgradeAuditTable(db, 'region');
}
