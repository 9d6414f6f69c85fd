import {
  AddMembersBody,
  BrowseChannelsQuery,
  ChangeChannelRoleBody,
  ChannelListResponse,
  ChannelMemberListQuery,
  ChannelMemberListResponse,
  ChannelMemberResponse,
  ChannelResponse,
  CreateChannelBody,
  OpenDmBody,
  UpdateChannelBody,
} from '@enclave/protocol';
import { z } from 'zod';
import { channelFor } from '../../access/channels.ts';
import { workspaceFor } from '../../access/workspaces.ts';
import { createChannel, openDm, updateChannel } from '../../actions/channels.ts';
import { addMembers, changeMemberRole, joinChannel, removeMember } from '../../actions/memberships.ts';
import { AppError } from '../../lib/errors.ts';
import { presentChannel, presentMember } from '../../presenters/channels.ts';
import { browseChannels, myChannels } from '../../queries/channels.ts';
import { route } from '../route.ts';
import { WorkspaceParams } from './workspaces.ts';

export const ChannelParams = z.strictObject({ channelId: z.uuid() });
const MemberParams = z.strictObject({ channelId: z.uuid(), userId: z.uuid() });

async function fresh(
  services: Parameters<typeof channelFor>[0],
  actor: Parameters<typeof channelFor>[1],
  id: string,
) {
  const a = await channelFor(services, actor, id, 'read');
  return { channel: presentChannel(a.channel, a.region, a.membership) };
}

export const channelRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/channels',
    summary: 'Channels, DMs and group DMs you are a member of in a workspace.',
    tag: 'channels',
    auth: 'user',
    params: WorkspaceParams,
    response: ChannelListResponse,
    handler: async ({ services, actor, params }) => {
      const { role } = await workspaceFor(services, actor, params.workspaceId);
      return { channels: await myChannels(services, actor, role, params.workspaceId) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/channels/browse',
    summary: 'Public channels of the workspace you may join.',
    tag: 'channels',
    auth: 'user',
    params: WorkspaceParams,
    query: BrowseChannelsQuery,
    response: ChannelListResponse,
    handler: async ({ services, actor, params, query }) => {
      const { role } = await workspaceFor(services, actor, params.workspaceId);
      if (role === 'guest') return { channels: [] };
      return {
        channels: await browseChannels(services, actor, role, params.workspaceId, query.q, query.limit),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/workspaces/:workspaceId/channels',
    summary: 'Create a public or private channel (you become its owner).',
    tag: 'channels',
    auth: 'user',
    params: WorkspaceParams,
    body: CreateChannelBody,
    response: ChannelResponse,
    status: 201,
    handler: async ({ services, actor, params, body }) => {
      const { role } = await workspaceFor(services, actor, params.workspaceId);
      return { channel: await createChannel(services, actor.userId, params.workspaceId, role, body) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/workspaces/:workspaceId/dms',
    summary: 'Open a DM (one other person) or group DM (2-8 others); returns the existing one if any.',
    tag: 'channels',
    auth: 'user',
    params: WorkspaceParams,
    body: OpenDmBody,
    response: ChannelResponse,
    handler: async ({ services, actor, params, body }) => {
      const { role } = await workspaceFor(services, actor, params.workspaceId);
      return { channel: await openDm(services, actor.userId, params.workspaceId, role, body.userIds) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/channels/:channelId',
    summary: 'One channel.',
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    response: ChannelResponse,
    handler: async ({ services, actor, params }) => fresh(services, actor, params.channelId),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/channels/:channelId',
    summary: 'Rename (owners and admins) or set the topic and purpose (any member).',
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    body: UpdateChannelBody,
    response: ChannelResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(
        services,
        actor,
        params.channelId,
        body.name !== undefined ? 'manage' : 'post',
      );
      return { channel: await updateChannel(services, actor.userId, access, body) };
    },
  }),
  ...(['archive', 'unarchive'] as const).map((op) =>
    route({
      method: 'POST',
      url: `/api/v1/channels/:channelId/${op}`,
      summary: op === 'archive' ? 'Archive a channel: it becomes read-only.' : 'Unarchive a channel.',
      tag: 'channels',
      auth: 'user',
      params: ChannelParams,
      response: ChannelResponse,
      handler: async ({ services, actor, params }) => {
        const access = await channelFor(services, actor, params.channelId, 'manage');
        if ((access.channel.archived_at !== null) === (op === 'archive')) {
          if (op === 'archive') throw new AppError('CHANNEL_ARCHIVED', 'The channel is already archived.');
          return { channel: presentChannel(access.channel, access.region, access.membership) };
        }
        return {
          channel: await updateChannel(services, actor.userId, access, { archived: op === 'archive' }),
        };
      },
    }),
  ),
  route({
    method: 'POST',
    url: '/api/v1/channels/:channelId/join',
    summary: 'Join a public channel.',
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    response: ChannelResponse,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'self');
      await joinChannel(services, actor.userId, access);
      return fresh(services, actor, params.channelId);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/channels/:channelId/leave',
    summary: 'Leave a channel or group DM.',
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'self');
      if (!access.membership)
        throw new AppError('NOT_CHANNEL_MEMBER', 'You are not a member of this channel.');
      await removeMember(services, actor.userId, access, actor.userId);
      return undefined;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/channels/:channelId/members',
    summary: 'Members of a channel, paginated by an opaque cursor.',
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    query: ChannelMemberListQuery,
    response: ChannelMemberListResponse,
    handler: async ({ services, actor, params, query }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      let q = services.stores
        .region(access.region)
        .selectFrom('channel_members')
        .selectAll()
        .where('channel_id', '=', params.channelId);
      if (query.cursor) {
        const after = Buffer.from(query.cursor, 'base64url').toString('utf8');
        if (!z.uuid().safeParse(after).success) throw new AppError('INVALID_CURSOR');
        q = q.where('user_id', '>', after);
      }
      const rows = await q
        .orderBy('user_id')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      return {
        members: page.map(presentMember),
        nextCursor:
          rows.length > query.limit ? Buffer.from(page.at(-1)!.user_id).toString('base64url') : null,
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/channels/:channelId/members',
    summary: 'Add workspace members to a channel (any channel member may invite).',
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    body: AddMembersBody,
    response: ChannelResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'post');
      await addMembers(services, actor.userId, access, body.userIds);
      return fresh(services, actor, params.channelId);
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/channels/:channelId/members/:userId',
    summary:
      "Change a member's channel role. Making an owner transfers ownership and must meet the label's owner rules; the last owner cannot step down.",
    tag: 'channels',
    auth: 'user',
    params: MemberParams,
    body: ChangeChannelRoleBody,
    response: ChannelMemberResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'manage');
      const row = await changeMemberRole(services, actor.userId, access, params.userId, body.role);
      return { member: presentMember(row) };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/channels/:channelId/members/:userId',
    summary: 'Remove someone from a channel (channel owners and admins, or workspace admins).',
    tag: 'channels',
    auth: 'user',
    params: MemberParams,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(
        services,
        actor,
        params.channelId,
        params.userId === actor.userId ? 'self' : 'manage',
      );
      await removeMember(services, actor.userId, access, params.userId);
      return undefined;
    },
  }),
];
