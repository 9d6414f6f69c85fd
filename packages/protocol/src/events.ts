import { z } from 'zod';
import { ChannelRole, Id, IsoDate } from './common.ts';
import { Channel, Message, ReadState } from './entities.ts';
import { QuarantineItem } from './http/quarantine.ts';

// Channel events are stored in the channel's region, numbered by a gap-free
// per-channel sequence, and replayed on resume. See docs/realtime.md.
export const ChannelEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), message: Message }),
  z.object({ type: z.literal('message.updated'), message: Message }),
  z.object({ type: z.literal('message.deleted'), messageId: Id, threadRootId: Id.nullable() }),
  z.object({ type: z.literal('reaction.added'), messageId: Id, emoji: z.string(), userId: Id }),
  z.object({ type: z.literal('reaction.removed'), messageId: Id, emoji: z.string(), userId: Id }),
  z.object({ type: z.literal('message.pinned'), messageId: Id, userId: Id }),
  z.object({ type: z.literal('message.unpinned'), messageId: Id, userId: Id }),
  z.object({
    type: z.literal('thread.updated'),
    rootId: Id,
    replyCount: z.number().int(),
    lastReplyAt: IsoDate.nullable(),
  }),
  z.object({ type: z.literal('member.joined'), userId: Id, role: ChannelRole, actorId: Id }),
  z.object({ type: z.literal('member.left'), userId: Id, actorId: Id }),
  z.object({ type: z.literal('member.role_changed'), userId: Id, role: ChannelRole, actorId: Id }),
  z.object({
    type: z.literal('channel.updated'),
    changes: Channel.pick({ name: true, topic: true, purpose: true, archived: true, label: true }).partial(),
    actorId: Id,
  }),
]);
export type ChannelEvent = z.infer<typeof ChannelEvent>;
export type ChannelEventType = ChannelEvent['type'];

/** Events about one user (their own read state, access changes). Not replayed: refetch on resume. */
export const UserEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('read_state.updated'), readState: ReadState }),
  z.object({ type: z.literal('channel.added'), channel: Channel }),
  z.object({ type: z.literal('channel.removed'), channelId: Id }),
  z.object({ type: z.literal('thread.follow_changed'), rootId: Id, channelId: Id, following: z.boolean() }),
  z.object({ type: z.literal('thread.read'), rootId: Id, channelId: Id, lastReadSeq: z.number().int() }),
  z.object({ type: z.literal('quarantine.updated'), quarantine: QuarantineItem }),
  /**
   * The channel's rules stopped (or again) admitting this person (FE-5): while
   * suspended no events of it arrive and fetches answer CHANNEL_ACCESS_SUSPENDED;
   * on restored, refetch the channel.
   */
  z.object({
    type: z.literal('channel.access_changed'),
    channelId: Id,
    access: z.enum(['suspended', 'restored']),
  }),
]);
export type UserEvent = z.infer<typeof UserEvent>;
