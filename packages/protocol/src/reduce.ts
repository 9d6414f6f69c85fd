import type { Channel, Message } from './entities.ts';
import type { ChannelEvent } from './events.ts';

/**
 * What a client holds about one channel: the channel, its member ids (sorted),
 * the messages it has loaded (timeline roots and thread replies, by id) and the
 * pinned message ids (most recently pinned first, as GET /pins lists them).
 * `viewerId` is whose view this is: it decides what happens to `channel.membership`.
 */
export interface ChannelSnapshot {
  channel: Channel;
  memberIds: string[];
  messages: Record<string, Message>;
  pinnedIds: string[];
  viewerId?: string | null;
}

const NO_MENTIONS: Message['mentions'] = { userIds: [], channel: false, here: false };

/**
 * Applies one channel event to a snapshot and returns the new snapshot (the
 * input is not changed). Pass the frame's `seq` so `channel.lastSeq` follows.
 * Applying every event a channel emitted after a snapshot was taken yields what
 * a fresh fetch returns; test/event-consistency.test.ts holds the server to it.
 *
 * Events about messages the snapshot has not loaded are ignored, except
 * message.created, which adds the message. The viewer's own join arrives with
 * the full channel in the `channel.added` user event, so it is not rebuilt here.
 */
export function applyChannelEvent(
  state: ChannelSnapshot,
  event: ChannelEvent,
  seq?: number,
): ChannelSnapshot {
  const next = reduce(state, event);
  if (seq === undefined || seq <= next.channel.lastSeq) return next;
  return { ...next, channel: { ...next.channel, lastSeq: seq } };
}

function reduce(s: ChannelSnapshot, e: ChannelEvent): ChannelSnapshot {
  switch (e.type) {
    case 'message.created':
    case 'message.updated':
      return { ...s, messages: { ...s.messages, [e.message.id]: e.message } };
    case 'message.deleted': {
      const m = s.messages[e.messageId];
      const pinnedIds = s.pinnedIds.filter((id) => id !== e.messageId);
      if (!m) return { ...s, pinnedIds };
      // A root that still has replies stays as a tombstone; anything else disappears.
      if (m.threadRootId === null && m.replyCount > 0) {
        const tombstone: Message = {
          ...m,
          text: '',
          reactions: [],
          mentions: NO_MENTIONS,
          pinned: false,
          deleted: true,
        };
        return { ...s, pinnedIds, messages: { ...s.messages, [m.id]: tombstone } };
      }
      return { ...s, pinnedIds, messages: without(s.messages, m.id) };
    }
    case 'reaction.added':
      return updateMessage(s, e.messageId, (m) => {
        const exists = m.reactions.some((r) => r.emoji === e.emoji);
        const reactions = exists
          ? m.reactions.map((r) =>
              r.emoji === e.emoji && !r.userIds.includes(e.userId)
                ? { ...r, count: r.count + 1, userIds: [...r.userIds, e.userId] }
                : r,
            )
          : [...m.reactions, { emoji: e.emoji, count: 1, userIds: [e.userId] }];
        return { ...m, reactions };
      });
    case 'reaction.removed':
      return updateMessage(s, e.messageId, (m) => ({
        ...m,
        reactions: m.reactions
          .map((r) =>
            r.emoji === e.emoji && r.userIds.includes(e.userId)
              ? { ...r, count: r.count - 1, userIds: r.userIds.filter((u) => u !== e.userId) }
              : r,
          )
          .filter((r) => r.count > 0),
      }));
    case 'message.pinned': {
      const next = updateMessage(s, e.messageId, (m) => ({ ...m, pinned: true }));
      return { ...next, pinnedIds: [e.messageId, ...s.pinnedIds.filter((id) => id !== e.messageId)] };
    }
    case 'message.unpinned': {
      const next = updateMessage(s, e.messageId, (m) => ({ ...m, pinned: false }));
      return { ...next, pinnedIds: s.pinnedIds.filter((id) => id !== e.messageId) };
    }
    case 'thread.updated': {
      const root = s.messages[e.rootId];
      if (!root) return s;
      // A deleted root whose last reply went away has nothing left to anchor.
      if (root.deleted && e.replyCount === 0) return { ...s, messages: without(s.messages, root.id) };
      return updateMessage(s, e.rootId, (m) => ({
        ...m,
        replyCount: e.replyCount,
        lastReplyAt: e.lastReplyAt,
      }));
    }
    case 'member.joined': {
      if (s.memberIds.includes(e.userId)) return s;
      const memberIds = [...s.memberIds, e.userId].sort();
      return { ...s, memberIds, channel: { ...s.channel, memberCount: s.channel.memberCount + 1 } };
    }
    case 'member.left': {
      if (!s.memberIds.includes(e.userId)) return s;
      const memberIds = s.memberIds.filter((id) => id !== e.userId);
      const membership = e.userId === s.viewerId ? null : s.channel.membership;
      return {
        ...s,
        memberIds,
        channel: { ...s.channel, memberCount: s.channel.memberCount - 1, membership },
      };
    }
    case 'member.role_changed': {
      if (e.userId !== s.viewerId || !s.channel.membership) return s;
      return { ...s, channel: { ...s.channel, membership: { ...s.channel.membership, role: e.role } } };
    }
    case 'channel.updated':
      return { ...s, channel: { ...s.channel, ...e.changes } };
    default: {
      // Adding an event type to the protocol without handling it here fails to compile.
      const unhandled: never = e;
      return unhandled;
    }
  }
}

function updateMessage(s: ChannelSnapshot, id: string, f: (m: Message) => Message): ChannelSnapshot {
  const m = s.messages[id];
  return m ? { ...s, messages: { ...s.messages, [id]: f(m) } } : s;
}

function without(messages: Record<string, Message>, id: string): Record<string, Message> {
  const { [id]: _gone, ...rest } = messages;
  return rest;
}
