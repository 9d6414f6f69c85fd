import type { WorkspaceRole } from '@enclave/protocol';
import type { Actor } from '../auth/actor.ts';
import { AppError } from '../lib/errors.ts';
import type { ChannelRow, MemberRow } from '../presenters/channels.ts';
import { admitsEveryone } from '../protection/residency/eligibility.ts';
import { fenceFor, readerUnmet } from '../protection/residency/enforce.ts';
import type { Services } from '../services.ts';
import type { ChannelRoute } from './access-cache.ts';

export interface ChannelAccess {
  channel: ChannelRow;
  region: string;
  workspaceRole: WorkspaceRole;
  membership: MemberRow | null;
}

/**
 * What the caller wants to do with the channel:
 * - read:   see it and its messages (members; any non-guest workspace member for public channels)
 * - post:   write into it (members only, not archived)
 * - manage: rename, topic, archive, remove members (channel owner/admin or workspace admin)
 * - self:   joining or leaving oneself: the label's rules are the action's to check (a join is
 *           refused with the reasons, audited; a suspended member may still leave)
 */
export type ChannelNeed = 'read' | 'post' | 'manage' | 'self';

/**
 * The directory half of an access check: the channel's region and the person's
 * role in its workspace (cached briefly, see AccessCache). Not a member of the
 * workspace, or no such channel: CHANNEL_NOT_FOUND. Callers that go on to
 * touch content must check channel membership in the region (channelFor does;
 * the plain-send statement checks it inside its own SQL).
 */
export async function channelRoute(
  services: Services,
  actor: Actor,
  channelId: string,
): Promise<ChannelRoute> {
  let dir = services.access.get(channelId, actor.userId);
  if (!dir) {
    dir = await services.stores.directory
      .selectFrom('channels as c')
      .innerJoin('workspace_members as m', (j) =>
        j.onRef('m.workspace_id', '=', 'c.workspace_id').on('m.user_id', '=', actor.userId),
      )
      .select(['c.region', 'm.role'])
      .where('c.id', '=', channelId)
      .executeTakeFirst();
    if (dir) services.access.set(channelId, actor.userId, dir);
  }
  if (!dir) throw new AppError('CHANNEL_NOT_FOUND');
  return dir;
}

/**
 * The only way to load a channel for a person. The directory says which region
 * holds it; everything else comes from that region. A channel the person may
 * not see answers CHANNEL_NOT_FOUND, exactly as a channel that does not exist.
 */
export async function channelFor(
  services: Services,
  actor: Actor,
  channelId: string,
  need: ChannelNeed,
): Promise<ChannelAccess> {
  const dir = await channelRoute(services, actor, channelId);
  // One round trip for the channel and the caller's membership: this runs on every channel request.
  const row = await services.stores
    .region(dir.region)
    .selectFrom('channels as c')
    .leftJoin('channel_members as m', (j) =>
      j.onRef('m.channel_id', '=', 'c.id').on('m.user_id', '=', actor.userId),
    )
    .selectAll('c')
    .select(['m.role as member_role', 'm.joined_at as member_joined_at'])
    .where('c.id', '=', channelId)
    .executeTakeFirst();
  if (!row) throw new AppError('CHANNEL_NOT_FOUND');
  const { member_role, member_joined_at, ...channel } = row;
  const membership =
    member_role && member_joined_at
      ? { channel_id: channelId, user_id: actor.userId, role: member_role, joined_at: member_joined_at }
      : null;
  const access: ChannelAccess = {
    channel,
    region: dir.region,
    workspaceRole: dir.role,
    membership,
  };
  const canSeeAsNonMember = channel.kind === 'public' && dir.role !== 'guest';
  if (!membership && !canSeeAsNonMember) throw new AppError('CHANNEL_NOT_FOUND');
  if (need === 'self') return access;
  // The label's rules are checked at every use, against the person as they are now (FE-5).
  const fence = await fenceFor(services, channel.label, dir.region);
  if (!admitsEveryone(fence.rules)) {
    const unmet = readerUnmet(fence, actor, dir.role);
    if (unmet.length && !membership) throw new AppError('CHANNEL_NOT_FOUND');
    if (unmet.length)
      throw new AppError('CHANNEL_ACCESS_SUSPENDED', undefined, {
        details: { label: channel.label, region: dir.region, unmet },
      });
  }
  if (need === 'post') {
    if (!membership) throw new AppError('NOT_CHANNEL_MEMBER');
    if (channel.archived_at) throw new AppError('CHANNEL_ARCHIVED');
  }
  if (need === 'manage' && !canManage(access)) {
    throw new AppError('FORBIDDEN', 'Only channel owners and admins, or workspace admins, can do this.');
  }
  return access;
}

export function canManage(a: ChannelAccess): boolean {
  if (a.channel.kind === 'dm') return false;
  if (a.workspaceRole === 'owner' || a.workspaceRole === 'admin')
    return a.membership !== null || a.channel.kind === 'public';
  return a.membership?.role === 'owner' || a.membership?.role === 'admin';
}
