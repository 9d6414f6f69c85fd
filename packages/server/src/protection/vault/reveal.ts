import type { ChannelRole, ErrorCode } from '@enclave/protocol';
import { sql } from 'kysely';
import { type ChannelAccess, channelFor, channelRoute } from '../../access/channels.ts';
import { inRegionTx, type RegionTx } from '../../actions/transaction.ts';
import { auditRegion, auditRegionDenied } from '../../audit/record.ts';
import type { Actor } from '../../auth/actor.ts';
import { revealRateLimit } from '../../config/regions.ts';
import { AppError } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import { justificationPiiTypes } from './justification.ts';
import { dataKeyContext, openValue } from './value-crypto.ts';

// Reveal (VA-9..VA-15): a member with a role the policy allows, a justification
// free of personal data, within the rate limit, gets the value for a 30 s
// window. Every attempt that reaches a value is recorded in vault_reveals and
// the audit chain, allowed or not, in one transaction; a refusal is thrown only
// after that transaction commits, so the record of it survives.

export const REVEAL_WINDOW_MS = 30_000;
const ACTION = 'vault.reveal';

export interface RevealInput {
  channelId: string;
  messageId: string;
  token: string;
  justification: string;
}

export interface Revealed {
  token: string;
  type: string;
  value: string;
  expiresAt: string;
}

type Attempt = { ok: Revealed } | { refused: AppError };

/** Records a refusal that happened before any value was found (not a member, unknown token). */
async function auditEarlyDenial(
  services: Services,
  actor: Actor,
  input: RevealInput,
  reason: string,
): Promise<void> {
  let region: string;
  try {
    region = (await channelRoute(services, actor, input.channelId)).region;
  } catch {
    return; // not in the channel's workspace (or no such channel): there is no region to record it in
  }
  await auditRegionDenied(services.stores.region(region), services.log, {
    actorId: actor.userId,
    action: ACTION,
    targetType: 'vault_value',
    targetId: input.token,
    channelId: input.channelId,
    details: { reason, messageId: input.messageId },
  });
}

export async function revealValue(services: Services, actor: Actor, input: RevealInput): Promise<Revealed> {
  let access: ChannelAccess;
  try {
    access = await channelFor(services, actor, input.channelId, 'read');
  } catch (err) {
    if (err instanceof AppError) await auditEarlyDenial(services, actor, input, 'not_visible');
    throw err;
  }
  if (!access.membership) {
    await auditEarlyDenial(services, actor, input, 'not_member');
    throw new AppError('NOT_CHANNEL_MEMBER', 'Only members of the channel can reveal its values.');
  }
  const membership = access.membership;
  const attempt = await inRegionTx(services, access.region, (tx) =>
    attemptReveal(services, tx, actor, access, membership.role, input),
  );
  if ('refused' in attempt) throw attempt.refused;
  return attempt.ok;
}

async function attemptReveal(
  services: Services,
  tx: RegionTx,
  actor: Actor,
  access: ChannelAccess,
  channelRole: ChannelRole,
  input: RevealInput,
): Promise<Attempt> {
  const message = await tx.db
    .selectFrom('messages')
    .select(['id', 'deleted_at'])
    .where('id', '=', input.messageId)
    .where('channel_id', '=', input.channelId)
    .executeTakeFirst();
  if (!message || message.deleted_at) return { refused: new AppError('MESSAGE_NOT_FOUND') };
  // Bound to this channel and message (VA-9): a token copied elsewhere reveals nothing there.
  const value = await tx.db
    .selectFrom('vault_values as v')
    .innerJoin('vault_subjects as s', 's.id', 'v.subject_id')
    .select([
      'v.token_id',
      'v.subject_id',
      'v.entity_type',
      'v.ciphertext',
      'v.nonce',
      'v.tag',
      's.wrapped_key',
    ])
    .where('v.token_id', '=', input.token)
    .where('v.channel_id', '=', input.channelId)
    .where('v.message_id', '=', input.messageId)
    .forShare('s') // an erasure waits for us, or we see its result: never half of each
    .executeTakeFirst();

  const audit = (outcome: 'allowed' | 'denied', details: Record<string, unknown>) =>
    auditRegion(tx.db, {
      actorId: actor.userId,
      action: ACTION,
      targetType: 'vault_value',
      targetId: input.token,
      channelId: input.channelId,
      outcome,
      details: { messageId: input.messageId, ...details },
    });
  if (!value) {
    await audit('denied', { reason: 'unknown_token' });
    return { refused: new AppError('VAULT_VALUE_NOT_FOUND') };
  }
  const base = { type: value.entity_type, subjectId: value.subject_id };
  const record = (outcome: 'revealed' | 'denied' | 'erased', extra: Partial<RecordExtra> = {}) =>
    tx.db
      .insertInto('vault_reveals')
      .values({
        token_id: value.token_id,
        subject_id: value.subject_id,
        channel_id: input.channelId,
        message_id: input.messageId,
        entity_type: value.entity_type,
        actor_id: actor.userId,
        outcome,
        reason: extra.reason ?? null,
        justification: extra.justification ?? null,
        expires_at: extra.expiresAt ?? null,
      })
      .execute();
  const refuse = async (
    code: ErrorCode,
    reason: string,
    message?: string,
    details?: Record<string, unknown>,
  ) => {
    await record('denied', { reason });
    await audit('denied', { ...base, reason });
    return { refused: new AppError(code, message, details ? { details } : {}) };
  };

  // VA-12: per person and region, counted from the attempts recorded here (every node sees them).
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${actor.userId}, 0))`.execute(tx.db);
  const recent = await tx.db
    .selectFrom('vault_reveals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('actor_id', '=', actor.userId)
    .where('at', '>', sql<Date>`now() - interval '1 minute'`)
    .executeTakeFirstOrThrow();
  const limitPerMinute = revealRateLimit(services.config, access.region);
  if (Number(recent.n) >= limitPerMinute) {
    await audit('denied', { ...base, reason: 'rate_limited' });
    return {
      refused: new AppError('RATE_LIMITED', 'Too many reveals; try again in a minute.', {
        details: { limitPerMinute },
      }),
    };
  }

  const label = (access.channel as { label?: unknown }).label;
  const allowed =
    actor.kind === 'human' &&
    (await services.vault.revealPolicy({
      channelRole,
      workspaceRole: access.workspaceRole,
      type: value.entity_type,
      label: typeof label === 'string' ? label : null,
    }));
  if (!allowed) return refuse('FORBIDDEN', 'role', 'Your role may not reveal this type of value here.');

  const piiTypes = justificationPiiTypes(input.justification);
  if (piiTypes.length) {
    return refuse('JUSTIFICATION_CONTAINS_PII', 'justification_pii', undefined, { types: piiTypes });
  }
  const justificationLength = input.justification.length;
  if (!value.wrapped_key || !value.ciphertext || !value.nonce || !value.tag) {
    await record('erased', { justification: input.justification });
    await audit('denied', { ...base, reason: 'erased', justificationLength });
    return { refused: new AppError('VALUE_ERASED') };
  }

  const kek = await services.vault.keys.regionKey(access.region);
  const dataKey = await kek.unwrap(value.wrapped_key, dataKeyContext(value.subject_id));
  const plain = openValue(
    dataKey,
    { ciphertext: value.ciphertext, nonce: value.nonce, tag: value.tag },
    { tokenId: value.token_id, subjectId: value.subject_id, type: value.entity_type },
  );
  dataKey.fill(0);
  const expiresAt = new Date(Date.now() + REVEAL_WINDOW_MS);
  await record('revealed', { justification: input.justification, expiresAt });
  await audit('allowed', { ...base, justificationLength });
  return {
    ok: { token: value.token_id, type: value.entity_type, value: plain, expiresAt: expiresAt.toISOString() },
  };
}

interface RecordExtra {
  reason: string;
  justification: string;
  expiresAt: Date;
}
