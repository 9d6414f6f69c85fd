import type { ChannelRole } from '@enclave/protocol';
import { sql } from 'kysely';
import type { ChannelAccess } from '../access/channels.ts';
import { atLeast } from '../access/workspaces.ts';
import { auditRegion } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { presentChannel } from '../presenters/channels.ts';
import { unmetAsOwner } from '../protection/residency/eligibility.ts';
import {
  auditingCap,
  type Fence,
  fenceFor,
  loadCandidates,
  overCap,
  refusals,
  refuseIneligible,
} from '../protection/residency/enforce.ts';
import type { Services } from '../services.ts';
import { nameKey } from './channels.ts';
import { appendEvent, inRegionTx, type RegionTx } from './transaction.ts';

async function addRows(
  tx: RegionTx,
  access: ChannelAccess,
  actorId: string,
  userIds: string[],
  fence: Fence,
): Promise<number> {
  const { channel } = access;
  const rows = await tx.db
    .insertInto('channel_members')
    .values(userIds.map((user_id) => ({ channel_id: channel.id, user_id, role: 'member' as const })))
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .execute();
  if (!rows.length) return 0;
  const updated = await tx.db
    .updateTable('channels')
    .set({ member_count: sql`member_count + ${rows.length}` })
    .where('id', '=', channel.id)
    // The rules were checked for this label: a label change in between voids the check.
    .where('label', '=', fence.ctx.label)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError('CHANNEL_CHANGED');
  // On the locked row: concurrent joins cannot both take the last place (FE-6).
  const cap = overCap(fence, updated.member_count);
  if (cap) throw cap;
  let last = updated;
  for (const m of rows) {
    const seq = await appendEvent(tx, channel, {
      type: 'member.joined',
      userId: m.user_id,
      role: m.role,
      actorId,
    });
    last = { ...last, last_seq: seq };
    await auditRegion(tx.db, {
      actorId,
      action: m.user_id === actorId ? 'channel.member_joined' : 'channel.member_added',
      targetType: 'user',
      targetId: m.user_id,
      channelId: channel.id,
    });
  }
  for (const m of rows) {
    tx.outbox.push({
      kind: 'user',
      userId: m.user_id,
      event: { type: 'channel.added', channel: presentChannel(last, tx.region, m) },
    });
  }
  return rows.length;
}

/**
 * The channel rules for people about to come in (FE-4): everyone must qualify
 * as a member, and the cap is checked again inside the transaction.
 */
async function admit(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  userIds: string[],
  action: string,
): Promise<Fence> {
  const fence = await fenceFor(services, access.channel.label, access.region);
  const candidates = await loadCandidates(services, access.channel.workspace_id, userIds);
  await refuseIneligible(services, actorId, access.channel.id, fence, action, refusals(fence, candidates));
  return fence;
}

export async function joinChannel(services: Services, actorId: string, access: ChannelAccess): Promise<void> {
  if (access.membership) throw new AppError('ALREADY_MEMBER');
  if (access.channel.kind !== 'public') throw new AppError('CHANNEL_NOT_FOUND');
  if (access.channel.archived_at) throw new AppError('CHANNEL_ARCHIVED');
  const action = 'channel.member_joined';
  const fence = await admit(services, actorId, access, [actorId], action);
  await auditingCap(services, actorId, access.channel.id, fence, action, () =>
    inRegionTx(services, access.region, (tx) => addRows(tx, access, actorId, [actorId], fence)),
  );
}

/** Adds workspace members to a channel. Anyone in the channel may invite, as in Slack. */
export async function addMembers(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  userIds: string[],
): Promise<number> {
  if (access.channel.kind === 'dm') throw new AppError('NOT_SUPPORTED_FOR_DM');
  const unique = [...new Set(userIds)];
  const eligible = await services.stores.directory
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .where('m.workspace_id', '=', access.channel.workspace_id)
    .where('m.user_id', 'in', unique)
    .where('u.deactivated_at', 'is', null)
    .execute();
  if (eligible.length !== unique.length)
    throw new AppError('USER_NOT_FOUND', 'Every person added must be an active member of the workspace.');
  const action = 'channel.member_added';
  const fence = await admit(services, actorId, access, unique, action);
  const added = await auditingCap(services, actorId, access.channel.id, fence, action, () =>
    inRegionTx(services, access.region, (tx) => addRows(tx, access, actorId, unique, fence)),
  );
  if (added === 0) throw new AppError('ALREADY_MEMBER');
  return added;
}

/** Removes `userId` (the actor themselves when leaving). The last owner hands ownership to the longest-standing member. */
export async function removeMember(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  userId: string,
): Promise<void> {
  const { channel } = access;
  if (channel.kind === 'dm') throw new AppError('NOT_SUPPORTED_FOR_DM');
  await inRegionTx(services, access.region, async (tx) => {
    const removed = await tx.db
      .deleteFrom('channel_members')
      .where('channel_id', '=', channel.id)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new AppError('USER_NOT_FOUND', 'That person is not a member of the channel.');
    await tx.db
      .updateTable('channels')
      .set({ member_count: sql`member_count - 1` })
      .where('id', '=', channel.id)
      .execute();
    await appendEvent(tx, channel, { type: 'member.left', userId, actorId });
    if (removed.role === 'owner') {
      const owners = await tx.db
        .selectFrom('channel_members')
        .select('user_id')
        .where('channel_id', '=', channel.id)
        .where('role', '=', 'owner')
        .execute();
      if (!owners.length) {
        const heir = await heirOf(services, tx, access);
        if (heir) {
          await tx.db
            .updateTable('channel_members')
            .set({ role: 'owner' })
            .where('channel_id', '=', channel.id)
            .where('user_id', '=', heir.user_id)
            .execute();
          await appendEvent(tx, channel, {
            type: 'member.role_changed',
            userId: heir.user_id,
            role: 'owner',
            actorId,
          });
        }
      }
    }
    await auditRegion(tx.db, {
      actorId,
      action: userId === actorId ? 'channel.member_left' : 'channel.member_removed',
      targetType: 'user',
      targetId: userId,
      channelId: channel.id,
    });
    tx.outbox.push({ kind: 'user', userId, event: { type: 'channel.removed', channelId: channel.id } });
  });
}

/**
 * The longest-standing admin, else member, who may own the channel under its
 * label's rules (FE-4). Nobody qualifying leaves it without an owner, which
 * the posture report flags, rather than handing it to someone outside the rules.
 */
async function heirOf(services: Services, tx: RegionTx, access: ChannelAccess) {
  const candidates = await tx.db
    .selectFrom('channel_members')
    .select('user_id')
    .where('channel_id', '=', access.channel.id)
    .orderBy(sql`CASE role WHEN 'admin' THEN 0 ELSE 1 END`)
    .orderBy('joined_at')
    .limit(100)
    .execute();
  const fence = await fenceFor(services, access.channel.label, access.region);
  const people = await loadCandidates(
    services,
    access.channel.workspace_id,
    candidates.map((c) => c.user_id),
  );
  return candidates.find((c) => {
    const p = people.get(c.user_id);
    return p && unmetAsOwner(fence.rules, fence.ctx, p).length === 0;
  });
}

/**
 * New workspace members (not guests) join the workspace's #general, as in Slack
 * and Mattermost. Runs after the membership commits; a failure here leaves a
 * member who can still join by hand, never a half-made membership.
 */
export async function joinDefaultChannels(
  services: Services,
  userId: string,
  workspaceId: string,
): Promise<void> {
  const member = await services.stores.directory
    .selectFrom('workspace_members')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!member || member.role === 'guest') return;
  const defaults = await services.stores.directory
    .selectFrom('channels')
    .select(['id', 'region'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'public')
    .where('name_key', '=', nameKey('general'))
    .execute();
  for (const d of defaults) {
    const channel = await services.stores
      .region(d.region)
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', d.id)
      .executeTakeFirst();
    if (!channel || channel.archived_at) continue;
    const access: ChannelAccess = { channel, region: d.region, workspaceRole: member.role, membership: null };
    const fence = await fenceFor(services, channel.label, d.region);
    const person = await loadCandidates(services, workspaceId, [userId]);
    // Not an error: the person simply does not get #general if its rules exclude them.
    if (refusals(fence, person).length) continue;
    try {
      await inRegionTx(services, d.region, (tx) => addRows(tx, access, userId, [userId], fence));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CHANNEL_MEMBER_LIMIT')) throw err;
    }
  }
}

/**
 * Changes a member's channel role; making someone owner is an ownership
 * transfer, checked against who may own under the label's rules (FE-4).
 * Channel owners (and workspace admins) grant or take ownership; channel
 * admins manage admin and member roles. The last owner cannot step down.
 */
export async function changeMemberRole(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  userId: string,
  role: ChannelRole,
) {
  const { channel } = access;
  if (channel.kind === 'dm' || channel.kind === 'group_dm') throw new AppError('NOT_SUPPORTED_FOR_DM');
  const actorIsOwner = access.membership?.role === 'owner' || atLeast(access.workspaceRole, 'admin');
  const fence = await fenceFor(services, channel.label, access.region);
  if (role === 'owner') {
    if (!actorIsOwner)
      throw new AppError('FORBIDDEN', 'Only channel owners and workspace admins make owners.');
    const people = await loadCandidates(services, channel.workspace_id, [userId]);
    if (!people.size) throw new AppError('USER_NOT_FOUND', 'That person is not a member of the channel.');
    await refuseIneligible(
      services,
      actorId,
      channel.id,
      fence,
      'channel.member_role_changed',
      refusals(fence, people, new Set([userId])),
    );
  }
  return inRegionTx(services, access.region, async (tx) => {
    const current = await tx.db
      .selectFrom('channel_members')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('USER_NOT_FOUND', 'That person is not a member of the channel.');
    if (current.role === role) return current;
    if (current.role === 'owner') {
      if (!actorIsOwner)
        throw new AppError('FORBIDDEN', 'Only channel owners and workspace admins demote owners.');
      const owners = await tx.db
        .selectFrom('channel_members')
        .select('user_id')
        .where('channel_id', '=', channel.id)
        .where('role', '=', 'owner')
        .forUpdate()
        .execute();
      if (owners.length === 1) throw new AppError('LAST_OWNER');
    }
    const updated = await tx.db
      .updateTable('channel_members')
      .set({ role })
      .where('channel_id', '=', channel.id)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(tx, channel, { type: 'member.role_changed', userId, role, actorId });
    await auditRegion(tx.db, {
      actorId,
      action: 'channel.member_role_changed',
      targetType: 'user',
      targetId: userId,
      channelId: channel.id,
      details: { from: current.role, to: role, label: channel.label },
    });
    return updated;
  });
}
