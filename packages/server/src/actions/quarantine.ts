import type { QuarantineItem } from '@enclave/protocol';
import type { Selectable } from 'kysely';
import type { ChannelAccess } from '../access/channels.ts';
import { channelFor } from '../access/channels.ts';
import { auditRegion } from '../audit/record.ts';
import { type Actor, ALL_SCOPES, attributesOf } from '../auth/actor.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { publicFindings, type Screened } from '../protection/screen.ts';
import { checkJustification } from '../protection/vault/justification.ts';
import { openText, sealText } from '../protection/vault/sealed-text.ts';
import type { Services } from '../services.ts';
import type { RegionDB } from '../store/tables.ts';
import type { SendInput } from './messages.ts';
import { mayReview, requireMayReview, reviewableWorkspaces } from './quarantine-access.ts';
import { inRegionTx, type RegionTx } from './transaction.ts';

// The quarantine review queue (PL-6): a message the policy holds is stored
// sealed in its channel's region, visible to nobody but instance admins, until
// one approves it (delivered through the send path, every finding tokenised)
// or rejects it (its key and ciphertext destroyed). The sender is told of
// every change with a `quarantine.updated` user event.

type Row = Selectable<RegionDB['quarantined_messages']>;

export function presentQuarantine(r: Row): QuarantineItem {
  return {
    id: r.id,
    channelId: r.channel_id,
    authorId: r.author_id,
    threadRootId: r.thread_root_id,
    status: r.status,
    policyVersion: r.decision.policyVersion,
    explanation: r.decision.explanation,
    findings: r.decision.findings,
    createdAt: r.created_at.toISOString(),
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    reviewReason: r.review_reason,
    deliveredMessageId: r.delivered_message_id,
  };
}

function notify(tx: RegionTx, row: Row): QuarantineItem {
  const item = presentQuarantine(row);
  tx.outbox.push({
    kind: 'user',
    userId: row.author_id,
    event: { type: 'quarantine.updated', quarantine: item },
  });
  return item;
}

function sealedOf(r: Row) {
  if (!r.wrapped_key || !r.ciphertext || !r.nonce || !r.tag) return null;
  return { wrapped_key: r.wrapped_key, ciphertext: r.ciphertext, nonce: r.nonce, tag: r.tag };
}

/**
 * Holds a send for review, in one region transaction with its audit row.
 * Idempotent on (channel, author, clientMsgId): a retry returns the same item;
 * the same id with other text is CLIENT_ID_REUSED.
 */
export async function holdMessage(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  input: SendInput,
  screened: Screened,
): Promise<QuarantineItem> {
  const { channel, region } = access;
  const kek = await services.vault.keys.regionKey(region);
  const id = newId();
  const sealed = await sealText(kek, id, input.text);
  const d = screened.decision;
  return inRegionTx(services, region, async (tx) => {
    if (input.threadRootId) {
      const root = await tx.db
        .selectFrom('messages')
        .select('id')
        .where('id', '=', input.threadRootId)
        .where('channel_id', '=', channel.id)
        .executeTakeFirst();
      if (!root) throw new AppError('MESSAGE_NOT_FOUND', 'The thread root is not in this channel.');
    }
    const decision = {
      policyVersion: d.policyVersion,
      explanation: d.explanation,
      findings: publicFindings(d),
    };
    const row = await tx.db
      .insertInto('quarantined_messages')
      .values({
        id,
        channel_id: channel.id,
        author_id: actorId,
        client_msg_id: input.clientMsgId,
        thread_root_id: input.threadRootId ?? null,
        ...sealed,
        decision: JSON.stringify(decision),
        status: 'pending',
      })
      .onConflict((oc) => oc.columns(['channel_id', 'author_id', 'client_msg_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return retriedHold(tx, kek, channel.id, actorId, input);
    await auditRegion(tx.db, {
      actorId,
      action: 'policy.quarantined',
      targetType: 'quarantine',
      targetId: id,
      channelId: channel.id,
      details: {
        policyVersion: d.policyVersion,
        decided: d.action,
        types: [...new Set(d.findings.map((f) => f.type))],
        count: d.findings.length,
      },
    });
    return notify(tx, row);
  });
}

async function retriedHold(
  tx: RegionTx,
  kek: Awaited<ReturnType<Services['vault']['keys']['regionKey']>>,
  channelId: string,
  actorId: string,
  input: SendInput,
): Promise<QuarantineItem> {
  const existing = await tx.db
    .selectFrom('quarantined_messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('author_id', '=', actorId)
    .where('client_msg_id', '=', input.clientMsgId)
    .executeTakeFirstOrThrow();
  const sealed = sealedOf(existing);
  if (sealed && (await openText(kek, existing.id, sealed)) !== input.text) {
    throw new AppError('CLIENT_ID_REUSED');
  }
  return presentQuarantine(existing);
}

/** The sender's own held messages in a channel (no text: they wrote it). */
export async function ownQuarantine(services: Services, actor: Actor, channelId: string) {
  const access = await channelFor(services, actor, channelId, 'read');
  const rows = await services.stores
    .region(access.region)
    .selectFrom('quarantined_messages')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('author_id', '=', actor.userId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return { items: rows.map(presentQuarantine) };
}

/**
 * The queue, oldest first, never the text: every region for reviewers; for
 * workspace roles the policy lets release holds, their workspaces' items they
 * may review (not their own).
 */
export async function reviewQueue(services: Services, actor: Actor, status?: Row['status']) {
  const workspaces = await reviewableWorkspaces(services, actor);
  const items: QuarantineItem[] = [];
  for (const r of services.config.regions) {
    let q = services.stores
      .region(r.id)
      .selectFrom('quarantined_messages as q')
      .innerJoin('channels as c', 'c.id', 'q.channel_id')
      .selectAll('q');
    if (status) q = q.where('q.status', '=', status);
    if (workspaces) q = q.where('c.workspace_id', 'in', workspaces).where('q.author_id', '!=', actor.userId);
    for (const row of await q.orderBy('q.created_at').limit(200).execute()) {
      if (!workspaces || (await mayReview(services, actor, r.id, row))) items.push(presentQuarantine(row));
    }
  }
  items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { items };
}

async function findHeld(services: Services, id: string): Promise<{ region: string; row: Row }> {
  for (const r of services.config.regions) {
    const row = await services.stores
      .region(r.id)
      .selectFrom('quarantined_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row) return { region: r.id, row };
  }
  throw new AppError('QUARANTINE_NOT_FOUND');
}

async function openHeld(services: Services, region: string, row: Row): Promise<string> {
  const sealed = sealedOf(row);
  if (row.status !== 'pending' || !sealed) throw new AppError('QUARANTINE_ALREADY_REVIEWED');
  return openText(await services.vault.keys.regionKey(region), row.id, sealed);
}

/** A reviewer reads the held text; the reading is audited before the text leaves. */
export async function viewHeld(services: Services, actor: Actor, id: string) {
  const { region, row } = await findHeld(services, id);
  await requireMayReview(services, actor, region, row);
  const text = await openHeld(services, region, row);
  await auditRegion(services.stores.region(region), {
    actorId: actor.userId,
    action: 'quarantine.viewed',
    targetType: 'quarantine',
    targetId: id,
    channelId: row.channel_id,
  });
  return { quarantine: presentQuarantine(row), text };
}

/** The author, as an actor of the send path: approval delivers the message as they wrote it. */
function authorActor(userId: string, attributes: Actor['attributes']): Actor {
  return {
    userId,
    displayName: '',
    kind: 'human',
    instanceRole: 'user',
    via: 'session',
    sessionId: null,
    tokenId: null,
    csrfToken: null,
    scopes: ALL_SCOPES,
    duties: [],
    attributes,
  };
}

const UNDELIVERABLE = new Set(['CHANNEL_NOT_FOUND', 'NOT_CHANNEL_MEMBER', 'CHANNEL_ARCHIVED']);

/** Approval delivers as the author, so the author must still be able to post there now. */
async function authorMayStillPost(services: Services, row: Row): Promise<ChannelAccess> {
  const author = await services.stores.directory
    .selectFrom('users')
    .select(['deactivated_at', 'country', 'org_unit', 'clearance'])
    .where('id', '=', row.author_id)
    .executeTakeFirst();
  if (!author || author.deactivated_at) throw new AppError('QUARANTINE_UNDELIVERABLE');
  try {
    return await channelFor(
      services,
      authorActor(row.author_id, attributesOf(author)),
      row.channel_id,
      'post',
    );
  } catch (e) {
    if (e instanceof AppError && UNDELIVERABLE.has(e.code)) throw new AppError('QUARANTINE_UNDELIVERABLE');
    throw e;
  }
}

type Deliver = (
  access: ChannelAccess,
  authorId: string,
  input: SendInput,
) => Promise<{ message: import('@enclave/protocol').Message }>;

/**
 * Approves a held message: delivered as its author through the send path with
 * every finding tokenised (nothing raw is stored), then the sealed text is
 * dropped. A repeated approval finds the send already made (it is idempotent
 * on the client id) and the item no longer pending.
 */
export async function approveHeld(services: Services, actor: Actor, id: string, deliver: Deliver) {
  const { region, row } = await findHeld(services, id);
  await requireMayReview(services, actor, region, row);
  const text = await openHeld(services, region, row);
  const access = await authorMayStillPost(services, row);
  const { message } = await deliver(access, row.author_id, {
    clientMsgId: row.client_msg_id,
    text,
    threadRootId: row.thread_root_id ?? undefined,
  });
  const quarantine = await settle(services, actor, region, id, 'approved', message.id, null);
  return { quarantine, message };
}

/** Rejects a held message: its key and ciphertext are destroyed and the sender told. */
export async function rejectHeld(services: Services, actor: Actor, id: string, reason: string) {
  checkJustification(reason);
  const { region, row } = await findHeld(services, id);
  await requireMayReview(services, actor, region, row);
  const quarantine = await settle(services, actor, region, id, 'rejected', null, reason.trim());
  return { quarantine };
}

async function settle(
  services: Services,
  actor: Actor,
  region: string,
  id: string,
  status: 'approved' | 'rejected',
  deliveredMessageId: string | null,
  reason: string | null,
): Promise<QuarantineItem> {
  return inRegionTx(services, region, async (tx) => {
    const row = await tx.db
      .updateTable('quarantined_messages')
      .set({
        status,
        reviewer_id: actor.userId,
        reviewed_at: new Date(),
        delivered_message_id: deliveredMessageId,
        review_reason: reason,
        wrapped_key: null,
        ciphertext: null,
        nonce: null,
        tag: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('QUARANTINE_ALREADY_REVIEWED');
    await auditRegion(tx.db, {
      actorId: actor.userId,
      action: `quarantine.${status}`,
      targetType: 'quarantine',
      targetId: id,
      channelId: row.channel_id,
      details: {
        ...(reason && { reason }),
        ...(deliveredMessageId && { messageId: deliveredMessageId }),
      },
    });
    return notify(tx, row);
  });
}
