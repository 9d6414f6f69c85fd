import type { Kysely } from 'kysely';
import { upgradeAuditTable } from '../../../audit/migration.ts';

// The directory's audit log becomes a hash chain (docs/data-protection/audit.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await upgradeAuditTable(db, 'directory');
}
