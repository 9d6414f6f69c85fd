import type { Message, Reaction } from '@enclave/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { RegionDB } from '../store/tables.ts';

export type MessageRow = Omit<Selectable<RegionDB['messages']>, 'search'>;

/** Every message column except the search vector (never sent out). */
export const MESSAGE_COLUMNS = [
  'id',
  'channel_id',
  'seq',
  'author_id',
  'client_msg_id',
  'text',
  'thread_root_id',
  'reply_count',
  'last_reply_at',
  'mention_user_ids',
  'mentions_channel',
  'mentions_here',
  'created_at',
  'edited_at',
  'deleted_at',
] as const;

export interface MessageExtras {
  reactions: Map<string, Reaction[]>;
  pinned: Set<string>;
}

export const NO_EXTRAS: MessageExtras = { reactions: new Map(), pinned: new Set() };

/** Reactions and pins for a page of messages, in two queries whatever the page size. */
export async function loadExtras(db: Kysely<RegionDB>, ids: string[]): Promise<MessageExtras> {
  if (!ids.length) return NO_EXTRAS;
  const [reactions, pins] = await Promise.all([
    db
      .selectFrom('reactions')
      .select(['message_id', 'emoji', 'user_id'])
      .where('message_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('pins').select('message_id').where('message_id', 'in', ids).execute(),
  ]);
  const byMessage = new Map<string, Reaction[]>();
  for (const r of reactions) {
    const list = byMessage.get(r.message_id) ?? [];
    let entry = list.find((x) => x.emoji === r.emoji);
    if (!entry) {
      entry = { emoji: r.emoji, count: 0, userIds: [] };
      list.push(entry);
    }
    entry.count++;
    entry.userIds.push(r.user_id);
    byMessage.set(r.message_id, list);
  }
  return { reactions: byMessage, pinned: new Set(pins.map((p) => p.message_id)) };
}

export function presentMessage(m: MessageRow, extras: MessageExtras = NO_EXTRAS): Message {
  const deleted = m.deleted_at !== null;
  return {
    id: m.id,
    channelId: m.channel_id,
    seq: m.seq,
    authorId: m.author_id,
    text: deleted ? '' : m.text,
    threadRootId: m.thread_root_id,
    replyCount: m.reply_count,
    lastReplyAt: m.last_reply_at?.toISOString() ?? null,
    reactions: deleted ? [] : (extras.reactions.get(m.id) ?? []),
    mentions: deleted
      ? { userIds: [], channel: false, here: false }
      : { userIds: m.mention_user_ids, channel: m.mentions_channel, here: m.mentions_here },
    pinned: !deleted && extras.pinned.has(m.id),
    createdAt: m.created_at.toISOString(),
    editedAt: m.edited_at?.toISOString() ?? null,
    deleted,
  };
}
