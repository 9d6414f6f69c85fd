import type { AuditEvent, AuditExportQuery } from '@enclave/protocol';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../lib/errors.ts';

// Reads for the auditor API (AU-10). Filters narrow by indexed columns; the
// cursor is the last seq returned.

interface Row {
  seq: number;
  at: Date;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  scope_id: string | null;
  outcome: AuditEvent['outcome'];
  details: Record<string, unknown>;
  prev_hash: Buffer;
  hash: Buffer;
}

export function presentAuditEvent(store: string, r: Row): AuditEvent {
  const directory = store === 'directory';
  return {
    store,
    seq: r.seq,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    workspaceId: directory ? r.scope_id : null,
    channelId: directory ? null : r.scope_id,
    outcome: r.outcome,
    details: r.details ?? {},
    prevHash: r.prev_hash.toString('hex'),
    hash: r.hash.toString('hex'),
  };
}

function where(f: Omit<AuditExportQuery, 'store'>, after: { seq: number; dir: 'asc' | 'desc' } | null) {
  const conds = [sql`true`];
  if (f.actor) conds.push(sql`actor_id = ${f.actor}`);
  if (f.action) conds.push(sql`action = ${f.action}`);
  if (f.targetType) conds.push(sql`target_type = ${f.targetType}`);
  if (f.targetId) conds.push(sql`target_id = ${f.targetId}`);
  if (f.outcome) conds.push(sql`outcome = ${f.outcome}`);
  if (f.from) conds.push(sql`at >= ${new Date(f.from)}`);
  if (f.to) conds.push(sql`at < ${new Date(f.to)}`);
  if (after) conds.push(after.dir === 'asc' ? sql`seq > ${after.seq}` : sql`seq < ${after.seq}`);
  return sql.join(conds, sql` AND `);
}

function scopeRef(store: string) {
  return sql.ref(store === 'directory' ? 'workspace_id' : 'channel_id');
}

function parseCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  if (!/^[1-9][0-9]{0,15}$/.test(cursor)) throw new AppError('INVALID_CURSOR');
  return Number(cursor);
}

export async function listAuditEvents(
  db: Kysely<unknown>,
  store: string,
  q: Omit<AuditExportQuery, 'store'> & { order: 'asc' | 'desc'; cursor?: string | undefined; limit: number },
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const cursor = parseCursor(q.cursor);
  const rows = (
    await sql<Row>`
      SELECT seq, at, actor_id, action, target_type, target_id, ${scopeRef(store)} AS scope_id,
             outcome, details, prev_hash, hash
      FROM audit_events
      WHERE ${where(q, cursor === null ? null : { seq: cursor, dir: q.order })}
      ORDER BY seq ${q.order === 'asc' ? sql`ASC` : sql`DESC`}
      LIMIT ${q.limit + 1}`.execute(db)
  ).rows;
  const page = rows.slice(0, q.limit);
  return {
    events: page.map((r) => presentAuditEvent(store, r)),
    nextCursor: rows.length > q.limit ? String(page.at(-1)!.seq) : null,
  };
}

/** Every matching entry in sequence order, fetched in batches (memory stays flat). */
export async function* exportAuditEvents(
  db: Kysely<unknown>,
  store: string,
  f: Omit<AuditExportQuery, 'store'>,
): AsyncGenerator<AuditEvent> {
  let after = 0;
  for (;;) {
    const rows = (
      await sql<Row>`
        SELECT seq, at, actor_id, action, target_type, target_id, ${scopeRef(store)} AS scope_id,
               outcome, details, prev_hash, hash
        FROM audit_events WHERE ${where(f, { seq: after, dir: 'asc' })}
        ORDER BY seq ASC LIMIT 1000`.execute(db)
    ).rows;
    for (const r of rows) yield presentAuditEvent(store, r);
    if (rows.length < 1000) return;
    after = rows.at(-1)!.seq;
  }
}
