import type { Selectable } from 'kysely';
import { canManage, channelFor } from '../../access/channels.ts';
import type { Actor } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import type { RegionDB } from '../../store/tables.ts';

// Read-side of the vault for the people who answer "who saw what" (VA-14):
// reveal lists per message and per subject, and finding a subject from a token
// so an erasure can start from a message someone points at.

type RevealRow = Selectable<RegionDB['vault_reveals']>;
type SubjectRow = Selectable<RegionDB['vault_subjects']>;

export function presentReveal(r: RevealRow) {
  return {
    id: String(r.id),
    token: r.token_id,
    type: r.entity_type,
    subjectId: r.subject_id,
    channelId: r.channel_id,
    messageId: r.message_id,
    actorId: r.actor_id,
    outcome: r.outcome,
    reason: r.reason,
    justification: r.justification,
    at: r.at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
  };
}

export function requireInstanceAdmin(actor: Actor): void {
  if (actor.instanceRole !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only instance administrators can manage data subjects.');
  }
}

const LIST_LIMIT = 500;

/** Reveals of one message's values: for the channel's owners and admins and workspace admins. */
export async function messageReveals(services: Services, actor: Actor, channelId: string, messageId: string) {
  const access = await channelFor(services, actor, channelId, 'read');
  if (!canManage(access)) {
    throw new AppError('FORBIDDEN', 'Only channel owners and admins, or workspace admins, can list reveals.');
  }
  const db = services.stores.region(access.region);
  const message = await db
    .selectFrom('messages')
    .select('id')
    .where('id', '=', messageId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (!message) throw new AppError('MESSAGE_NOT_FOUND');
  const rows = await db
    .selectFrom('vault_reveals')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('channel_id', '=', channelId)
    .orderBy('id', 'desc')
    .limit(LIST_LIMIT)
    .execute();
  return rows.map(presentReveal);
}

/** The region holding a subject. Subject ids are UUIDs, so at most one region matches. */
export async function findSubject(
  services: Services,
  subjectId: string,
): Promise<{ region: string; subject: SubjectRow }> {
  for (const region of services.stores.regionIds) {
    const subject = await services.stores
      .region(region)
      .selectFrom('vault_subjects')
      .selectAll()
      .where('id', '=', subjectId)
      .executeTakeFirst();
    if (subject) return { region, subject };
  }
  throw new AppError('SUBJECT_NOT_FOUND');
}

export async function subjectReveals(services: Services, actor: Actor, subjectId: string) {
  requireInstanceAdmin(actor);
  const { region } = await findSubject(services, subjectId);
  const rows = await services.stores
    .region(region)
    .selectFrom('vault_reveals')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('id', 'desc')
    .limit(LIST_LIMIT)
    .execute();
  return rows.map(presentReveal);
}

export function presentReceipt(region: string, s: SubjectRow) {
  if (!s.erased_at || !s.erased_by) return null;
  return {
    subjectId: s.id,
    region,
    valueCount: s.erased_value_count ?? 0,
    erasedAt: s.erased_at.toISOString(),
    erasedBy: s.erased_by,
    auditSeq: s.erasure_audit_seq,
  };
}

export async function presentSubject(services: Services, region: string, s: SubjectRow) {
  const count = await services.stores
    .region(region)
    .selectFrom('vault_values')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_id', '=', s.id)
    .executeTakeFirstOrThrow();
  return {
    id: s.id,
    region,
    kind: s.kind,
    identifiedBy: s.ref_type,
    valueCount: Number(count.n),
    createdAt: s.created_at.toISOString(),
    erasedAt: s.erased_at?.toISOString() ?? null,
    receipt: presentReceipt(region, s),
  };
}

export async function subjectSummary(services: Services, actor: Actor, subjectId: string) {
  requireInstanceAdmin(actor);
  const { region, subject } = await findSubject(services, subjectId);
  return presentSubject(services, region, subject);
}

/** The subject a token's value belongs to (instance admins), so erasure can start from a message. */
export async function subjectOfToken(services: Services, actor: Actor, tokenId: string) {
  requireInstanceAdmin(actor);
  for (const region of services.stores.regionIds) {
    const db = services.stores.region(region);
    const v = await db
      .selectFrom('vault_values')
      .select('subject_id')
      .where('token_id', '=', tokenId)
      .executeTakeFirst();
    if (!v) continue;
    const subject = await db
      .selectFrom('vault_subjects')
      .selectAll()
      .where('id', '=', v.subject_id)
      .executeTakeFirstOrThrow();
    return presentSubject(services, region, subject);
  }
  throw new AppError('VAULT_VALUE_NOT_FOUND');
}
