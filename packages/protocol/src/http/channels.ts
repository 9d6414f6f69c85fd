import { z } from 'zod';
import {
  ChannelName,
  ChannelRole,
  Id,
  LabelName,
  Limit,
  MAX_PURPOSE,
  MAX_TOPIC,
  RegionId,
} from '../common.ts';
import { Channel, ChannelMember } from '../entities.ts';
import { PolicyConfirmation } from './messages.ts';

export const CreateChannelBody = z.strictObject({
  name: ChannelName,
  kind: z.enum(['public', 'private']).default('public'),
  topic: z.string().max(MAX_TOPIC).default(''),
  purpose: z.string().max(MAX_PURPOSE).default(''),
  region: RegionId.optional(),
  /** Default: the active policy's default label for the kind. */
  label: LabelName.optional(),
});
export const OpenDmBody = z.strictObject({ userIds: z.array(Id).min(1).max(8) });

export const UpdateChannelBody = z
  .strictObject({
    name: ChannelName.optional(),
    topic: z.string().max(MAX_TOPIC).optional(),
    purpose: z.string().max(MAX_PURPOSE).optional(),
    confirmation: PolicyConfirmation.optional(),
  })
  .refine(
    (b) => Object.keys(b).some((k) => k !== 'confirmation'),
    'change at least one of name, topic, purpose',
  );

export const ChannelResponse = z.object({ channel: Channel });
export const ChannelListResponse = z.object({ channels: z.array(Channel) });
export const BrowseChannelsQuery = z.strictObject({ q: z.string().max(80).optional(), limit: Limit });

export const AddMembersBody = z.strictObject({ userIds: z.array(Id).min(1).max(100) });
export const ChangeChannelRoleBody = z.strictObject({ role: ChannelRole });
export const ChannelMemberResponse = z.object({ member: ChannelMember });
export const ChannelMemberListQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: Limit,
});
export const ChannelMemberListResponse = z.object({
  members: z.array(ChannelMember),
  nextCursor: z.string().nullable(),
});
