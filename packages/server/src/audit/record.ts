import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DirectoryDB, RegionDB } from '../store/tables.ts';
import type { Outcome } from './canonical.ts';
import { appendEntry } from './chain.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Ids, roles, counts: never message text or other content (enforced: AU-4). */
  details?: Record<string, unknown>;
  /** Default 'allowed'. Denied attempts are recorded too (AU-5). */
  outcome?: Outcome;
}

// Written inside the same transaction as the change it describes, so the log
// can never disagree with the data (AU-2). Pass a transaction whenever there
// is one; a bare connection gets a transaction of its own.

export async function auditDirectory(
  db: Kysely<DirectoryDB>,
  e: AuditEntry & { workspaceId?: string | null },
): Promise<void> {
  await appendEntry(db, 'directory', {
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    scopeId: e.workspaceId ?? null,
    outcome: e.outcome ?? 'allowed',
    details: e.details ?? {},
  });
}

export async function auditRegion(
  db: Kysely<RegionDB>,
  e: AuditEntry & { channelId?: string | null },
): Promise<void> {
  await appendEntry(db, 'region', {
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    scopeId: e.channelId ?? null,
    outcome: e.outcome ?? 'allowed',
    details: e.details ?? {},
  });
}

/**
 * Records a refused attempt (AU-5). A denial has no transaction to join (the
 * action never happened), so this writes its own; a failure to record is
 * logged and swallowed so the caller still answers with its real refusal.
 */
export async function auditDenied(
  db: Kysely<DirectoryDB>,
  log: Logger,
  e: Omit<AuditEntry, 'outcome'> & { workspaceId?: string | null },
): Promise<void> {
  try {
    await auditDirectory(db, { ...e, outcome: 'denied' });
  } catch (err) {
    log.error({ action: e.action, err: (err as Error).message }, 'could not record a denied attempt');
  }
}

/** The region-chain twin of auditDenied (e.g. a refused reveal or a blocked message). */
export async function auditRegionDenied(
  db: Kysely<RegionDB>,
  log: Logger,
  e: Omit<AuditEntry, 'outcome'> & { channelId?: string | null },
): Promise<void> {
  try {
    await auditRegion(db, { ...e, outcome: 'denied' });
  } catch (err) {
    log.error({ action: e.action, err: (err as Error).message }, 'could not record a denied attempt');
  }
}
