import type { Channel } from '@enclave/protocol';
import { sql } from 'kysely';
import type { ChannelAccess } from '../../access/channels.ts';
import { appendEvent, inRegionTx, type RegionTx } from '../../actions/transaction.ts';
import { auditRegion, auditRegionDenied } from '../../audit/record.ts';
import { AppError } from '../../lib/errors.ts';
import { presentChannel } from '../../presenters/channels.ts';
import type { Services } from '../../services.ts';
import {
  auditingCap,
  type Fence,
  fenceFor,
  loadCandidates,
  overCap,
  type Refusal,
  refusals,
  refuseIneligible,
} from '../residency/enforce.ts';
import { activePolicy } from './active.ts';
import { principalsOf } from './decide.ts';
import { mayChangeLabel, unknownLabel } from './labels.ts';

/**
 * Changes a channel's label (PO-2.3). The caller has already loaded the
 * channel with need 'manage' (channel owner/admin or workspace admin); the
 * policy then says which transitions those roles may make. One transaction:
 * the row, the `channel.updated` event and the audit entry (from/to, rule).
 * A refused transition is audited as denied.
 */
export async function changeChannelLabel(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  label: string,
): Promise<Channel> {
  const { channel, region } = access;
  const policy = await activePolicy(services);
  if (!policy.rank.has(label)) throw unknownLabel(policy, 'body.label');
  if (channel.archived_at) throw new AppError('CHANNEL_ARCHIVED');
  if (label === channel.label) return presentChannel(channel, region, access.membership);
  const principals = principalsOf(access.workspaceRole, access.membership?.role);
  const verdict = mayChangeLabel(policy, channel.label, label, principals);
  const details = { from: channel.label, to: label, ruleId: verdict.ruleId, policyVersion: policy.version };
  if (!verdict.allowed) {
    await auditRegionDenied(services.stores.region(region), services.log, {
      actorId,
      action: 'channel.label_changed',
      targetType: 'channel',
      targetId: channel.id,
      channelId: channel.id,
      details,
    });
    throw new AppError(
      'LABEL_CHANGE_FORBIDDEN',
      `The policy does not let you change this channel from "${channel.label}" to "${label}".`,
    );
  }
  // The new label's rules apply to everyone already inside (FE-7).
  const fence = await fenceFor(services, label, region);
  const members = await services.stores
    .region(region)
    .selectFrom('channel_members')
    .select(['user_id', 'role'])
    .where('channel_id', '=', channel.id)
    .execute();
  const action = 'channel.label_changed';
  await auditingCap(services, actorId, channel.id, fence, action, async () => {
    const cap = overCap(fence, members.length);
    if (cap) throw cap;
  });
  const owners = new Set(members.filter((m) => m.role === 'owner').map((m) => m.user_id));
  const people = await loadCandidates(
    services,
    channel.workspace_id,
    members.map((m) => m.user_id),
  );
  const found = refusals(fence, people, owners);
  if (fence.rules.onUpgrade === 'refuse')
    await refuseIneligible(services, actorId, channel.id, fence, action, found);
  return inRegionTx(services, region, async (tx) => {
    // Joins lock this row too (member_count) and re-check the label they were admitted under.
    const current = await tx.db
      .selectFrom('channel_members')
      .select('user_id')
      .where('channel_id', '=', channel.id)
      .forUpdate()
      .execute();
    if (current.length !== members.length) throw new AppError('CHANNEL_CHANGED');
    const row = await tx.db
      .updateTable('channels')
      .set({ label })
      .where('id', '=', channel.id)
      // The transition was checked against this label: a concurrent change voids the check.
      .where('label', '=', channel.label)
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'LABEL_CHANGE_FORBIDDEN',
        'The label was changed meanwhile; reload the channel and try again.',
      );
    let seq = await appendEvent(tx, row, { type: 'channel.updated', changes: { label }, actorId });
    // onUpgrade: remove — those the new label does not admit leave (or stop owning) in the same transaction.
    const settled = await settleIneligible(tx, row, actorId, found, fence);
    if (settled !== null) seq = settled;
    await auditRegion(tx.db, {
      actorId,
      action: 'channel.label_changed',
      targetType: 'channel',
      targetId: channel.id,
      channelId: channel.id,
      details,
    });
    const memberCount = row.member_count - found.filter((f) => !ownerOnly(f)).length;
    return presentChannel({ ...row, last_seq: seq, member_count: memberCount }, region, access.membership);
  });
}

/** A refusal that only concerns owning the channel: the person may stay as a member. */
function ownerOnly(r: Refusal): boolean {
  return r.unmet.every((u) => u.rule.startsWith('owner_'));
}

/** Removes (or demotes) people the new label does not admit; returns the last seq used, or null. */
async function settleIneligible(
  tx: RegionTx,
  channel: { id: string; workspace_id: string },
  actorId: string,
  found: Refusal[],
  fence: Fence,
): Promise<number | null> {
  let seq: number | null = null;
  const removed = found.filter((f) => !ownerOnly(f));
  for (const r of found) {
    const rules = r.unmet.map((u) => u.rule);
    if (ownerOnly(r)) {
      await tx.db
        .updateTable('channel_members')
        .set({ role: 'member' })
        .where('channel_id', '=', channel.id)
        .where('user_id', '=', r.userId)
        .execute();
      seq = await appendEvent(tx, channel, {
        type: 'member.role_changed',
        userId: r.userId,
        role: 'member',
        actorId,
      });
    } else {
      await tx.db
        .deleteFrom('channel_members')
        .where('channel_id', '=', channel.id)
        .where('user_id', '=', r.userId)
        .execute();
      seq = await appendEvent(tx, channel, { type: 'member.left', userId: r.userId, actorId });
      tx.outbox.push({
        kind: 'user',
        userId: r.userId,
        event: { type: 'channel.removed', channelId: channel.id },
      });
    }
    await auditRegion(tx.db, {
      actorId,
      action: ownerOnly(r) ? 'channel.member_role_changed' : 'channel.member_removed',
      targetType: 'user',
      targetId: r.userId,
      channelId: channel.id,
      details: { reason: 'label_rules', label: fence.ctx.label, rules },
    });
  }
  if (removed.length)
    await tx.db
      .updateTable('channels')
      .set({ member_count: sql`member_count - ${removed.length}` })
      .where('id', '=', channel.id)
      .execute();
  return seq;
}
