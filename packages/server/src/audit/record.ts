import type { Kysely } from 'kysely';
import type { DirectoryDB, RegionDB } from '../store/tables.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Ids, roles, counts: never message text or other content. */
  details?: Record<string, unknown>;
}

// Written inside the same transaction as the change it describes, so the log
// can never disagree with the data. Issue 4 chains these rows by hash.

export async function auditDirectory(
  db: Kysely<DirectoryDB>,
  e: AuditEntry & { workspaceId?: string | null },
) {
  await db
    .insertInto('audit_events')
    .values({
      actor_id: e.actorId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId ?? null,
      workspace_id: e.workspaceId ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

export async function auditRegion(db: Kysely<RegionDB>, e: AuditEntry & { channelId?: string | null }) {
  await db
    .insertInto('audit_events')
    .values({
      actor_id: e.actorId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId ?? null,
      channel_id: e.channelId ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}
