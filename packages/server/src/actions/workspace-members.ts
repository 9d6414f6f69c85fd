import type { WorkspaceMember, WorkspaceRole } from '@enclave/protocol';
import { sql, type Transaction } from 'kysely';
import type { ChannelAccess } from '../access/channels.ts';
import { auditDirectory, auditRegion } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { presentUser, USER_COLUMNS } from '../presenters/users.ts';
import type { Services } from '../services.ts';
import type { DirectoryDB } from '../store/tables.ts';
import { removeMember } from './memberships.ts';
import { appendEvent, inDirectoryTx, inRegionTx } from './transaction.ts';

/**
 * Role changes and departures in one workspace are serialised on the workspace
 * row, so two owners demoting each other at once cannot leave it with none.
 */
async function lockWorkspace(db: Transaction<DirectoryDB>, workspaceId: string): Promise<void> {
  await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', workspaceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

async function ownerCount(db: Transaction<DirectoryDB>, workspaceId: string): Promise<number> {
  const r = await db
    .selectFrom('workspace_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Owners may set any role; admins may not make owners nor touch an owner's
 * role. The last owner cannot be demoted. Bots stay members or guests.
 */
export async function changeRole(
  services: Services,
  actor: { userId: string; role: WorkspaceRole },
  workspaceId: string,
  targetId: string,
  role: WorkspaceRole,
): Promise<WorkspaceMember> {
  return inDirectoryTx(services, async (db, outbox) => {
    await lockWorkspace(db, workspaceId);
    const target = await db
      .selectFrom('workspace_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(USER_COLUMNS.map((c) => `u.${c}` as const))
      .select(['m.role', 'm.joined_at'])
      .where('m.workspace_id', '=', workspaceId)
      .where('m.user_id', '=', targetId)
      .executeTakeFirst();
    if (!target) throw new AppError('USER_NOT_FOUND', 'That person is not a member of this workspace.');
    if (actor.role !== 'owner' && (role === 'owner' || target.role === 'owner')) {
      throw new AppError('FORBIDDEN', 'Only owners can make owners or change an owner’s role.');
    }
    if (target.kind === 'bot' && (role === 'owner' || role === 'admin')) {
      throw new AppError('FORBIDDEN', 'Bots can be members or guests, not owners or admins.');
    }
    if (target.role === role) return present(target, role);
    if (target.role === 'owner' && (await ownerCount(db, workspaceId)) <= 1) throw new AppError('LAST_OWNER');
    await db
      .updateTable('workspace_members')
      .set({ role })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', targetId)
      .execute();
    outbox.push({ kind: 'control', action: 'refresh', userId: targetId, reason: 'access_changed' });
    await auditDirectory(db, {
      actorId: actor.userId,
      action: 'workspace.role_changed',
      targetType: 'user',
      targetId,
      workspaceId,
      details: { from: target.role, to: role },
    });
    return present(target, role);
  });
}

function present(
  row: Parameters<typeof presentUser>[0] & { joined_at: Date },
  role: WorkspaceRole,
): WorkspaceMember {
  return { user: presentUser(row), role, joinedAt: row.joined_at.toISOString() };
}

/**
 * Leaves a workspace. The directory membership goes first (that alone denies
 * every channel of the workspace, as access checks join on it); then the
 * person is taken out of each of the workspace's channels, region by region,
 * so their live connections stop receiving its events and channel member
 * lists stay true.
 */
export async function leaveWorkspace(services: Services, userId: string, workspaceId: string): Promise<void> {
  const role = await inDirectoryTx(services, async (db, outbox) => {
    await lockWorkspace(db, workspaceId);
    const m = await db
      .deleteFrom('workspace_members')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .returning('role')
      .executeTakeFirst();
    if (!m) throw new AppError('WORKSPACE_NOT_FOUND');
    outbox.push({ kind: 'control', action: 'refresh', userId, reason: 'access_changed' });
    if (m.role === 'owner' && (await ownerCount(db, workspaceId)) === 0) throw new AppError('LAST_OWNER');
    await auditDirectory(db, {
      actorId: userId,
      action: 'workspace.member_left',
      targetType: 'user',
      targetId: userId,
      workspaceId,
      details: { role: m.role },
    });
    return m.role;
  });
  for (const region of services.stores.allRegions()) {
    const rows = await region.db
      .selectFrom('channel_members as m')
      .innerJoin('channels as c', 'c.id', 'm.channel_id')
      .selectAll('c')
      .select(['m.role as member_role', 'm.joined_at as member_joined_at'])
      .where('m.user_id', '=', userId)
      .where('c.workspace_id', '=', workspaceId)
      .execute();
    for (const { member_role, member_joined_at, ...channel } of rows) {
      const access: ChannelAccess = {
        channel,
        region: region.id,
        workspaceRole: role,
        membership: {
          channel_id: channel.id,
          user_id: userId,
          role: member_role,
          joined_at: member_joined_at,
        },
      };
      if (channel.kind === 'dm') await leaveDm(services, access, userId);
      else await removeMember(services, userId, access, userId);
    }
  }
}

/** Channel leaving refuses DMs (a DM is for two); leaving the workspace must still end them. */
async function leaveDm(services: Services, access: ChannelAccess, userId: string): Promise<void> {
  const { channel } = access;
  await inRegionTx(services, access.region, async (tx) => {
    const removed = await tx.db
      .deleteFrom('channel_members')
      .where('channel_id', '=', channel.id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return;
    await tx.db
      .updateTable('channels')
      .set({ member_count: sql`member_count - 1` })
      .where('id', '=', channel.id)
      .execute();
    await appendEvent(tx, channel, { type: 'member.left', userId, actorId: userId });
    await auditRegion(tx.db, {
      actorId: userId,
      action: 'channel.member_left',
      targetType: 'user',
      targetId: userId,
      channelId: channel.id,
    });
    tx.outbox.push({ kind: 'user', userId, event: { type: 'channel.removed', channelId: channel.id } });
  });
}
