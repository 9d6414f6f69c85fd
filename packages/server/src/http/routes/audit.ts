import { Readable } from 'node:stream';
import {
  AuditEventsQuery,
  AuditEventsResponse,
  AuditExportQuery,
  AuditPublicKeysResponse,
  AuditVerifyBody,
  AuditVerifyResponse,
} from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { exportAuditEvents, listAuditEvents } from '../../audit/query.ts';
import { auditDenied, auditDirectory } from '../../audit/record.ts';
import { auditStores, publicKeys, verifyServerStores } from '../../audit/start.ts';
import { type Actor, hasDuty } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import { route } from '../route.ts';

// The auditor API (AU-10): people with the auditor duty and instance
// administrators (tokens need the admin scope). Every read, export and verification is itself audited, and
// so is every refused attempt.

async function requireAuditor(services: Services, actor: Actor, action: string): Promise<void> {
  if (hasDuty(actor, 'auditor')) return;
  await auditDenied(services.stores.directory, services.log, {
    actorId: actor.userId,
    action,
    targetType: 'audit_log',
    details: { reason: 'not_auditor' },
  });
  throw new AppError('FORBIDDEN', 'Only auditors (and instance administrators) can use the audit log.');
}

function storeDb(services: Services, store: string): Kysely<unknown> {
  const found = auditStores(services).find((s) => s.store === store);
  if (!found)
    throw new AppError('VALIDATION_FAILED', undefined, {
      issues: [{ path: 'query.store', problem: 'no such store: use "directory" or a configured region id' }],
    });
  return found.db;
}

/** Which filters were used (names only: their values are ids the entry already scopes). */
function filterNames(q: Record<string, unknown>): string[] {
  const keys = ['actor', 'action', 'targetType', 'targetId', 'outcome', 'from', 'to'];
  return keys.filter((k) => q[k] !== undefined);
}

export const auditRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/audit/events',
    summary: 'Audit log entries of one store (directory or a region), filtered and paged. Instance admins.',
    tag: 'audit',
    auth: 'user',
    scope: 'admin',
    query: AuditEventsQuery,
    response: AuditEventsResponse,
    handler: async ({ services, actor, query }) => {
      await requireAuditor(services, actor, 'audit.read');
      const { store, ...filters } = query;
      const page = await listAuditEvents(storeDb(services, store), store, filters);
      await auditDirectory(services.stores.directory, {
        actorId: actor.userId,
        action: 'audit.read',
        targetType: 'audit_log',
        targetId: store,
        details: { filters: filterNames(query), returned: page.events.length },
      });
      return page;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit/export',
    summary: 'Every matching audit entry of one store as JSON lines, in sequence order. Instance admins.',
    tag: 'audit',
    auth: 'user',
    scope: 'admin',
    query: AuditExportQuery,
    handler: async ({ services, actor, query, reply }) => {
      await requireAuditor(services, actor, 'audit.export');
      const { store, ...filters } = query;
      const db = storeDb(services, store);
      // Recorded before the first line leaves: an export cut short was still an export.
      await auditDirectory(services.stores.directory, {
        actorId: actor.userId,
        action: 'audit.exported',
        targetType: 'audit_log',
        targetId: store,
        details: { filters: filterNames(query) },
      });
      reply.type('application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="audit-${store}.jsonl"`);
      return Readable.from(
        (async function* () {
          for await (const e of exportAuditEvents(db, store, filters)) yield `${JSON.stringify(e)}\n`;
        })(),
      );
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/audit/verify',
    summary:
      'Recompute the audit chains and checkpoint signatures; report the first broken entry. Instance admins.',
    tag: 'audit',
    auth: 'user',
    scope: 'admin',
    body: AuditVerifyBody,
    response: AuditVerifyResponse,
    rateLimit: { max: 10, timeWindow: 60_000 },
    handler: async ({ services, actor, body }) => {
      await requireAuditor(services, actor, 'audit.verify');
      if (body?.store) storeDb(services, body.store);
      const reports = await verifyServerStores(services, body?.store);
      const intact = reports.every((r) => r.intact);
      await auditDirectory(services.stores.directory, {
        actorId: actor.userId,
        action: 'audit.verified',
        targetType: 'audit_log',
        targetId: body?.store ?? null,
        details: { stores: reports.length, intact },
      });
      return { intact, reports };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/audit/keys',
    summary: 'Public keys that sign audit checkpoints, per store (SPKI PEM), for outside verification.',
    tag: 'audit',
    auth: 'user',
    scope: 'admin',
    response: AuditPublicKeysResponse,
    handler: async ({ services, actor }) => {
      await requireAuditor(services, actor, 'audit.keys');
      return { keys: publicKeys(services) };
    },
  }),
];
