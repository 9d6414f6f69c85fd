import type { Message } from '@enclave/protocol';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../lib/errors.ts';
import { loadExtras, MESSAGE_COLUMNS, type MessageRow, presentMessage } from '../presenters/messages.ts';
import type { Services } from '../services.ts';
import type { RegionDB } from '../store/tables.ts';
import { messagePage, type Page, type PageRequest } from './messages.ts';

/**
 * The root of the thread `messageId` belongs to (itself when it is a root), as
 * long as it is still visible: a deleted root stays visible while it has replies.
 */
export async function threadRoot(
  db: Kysely<RegionDB>,
  channelId: string,
  messageId: string,
): Promise<MessageRow> {
  const find = (id: string) =>
    db
      .selectFrom('messages')
      .select(MESSAGE_COLUMNS)
      .where('id', '=', id)
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
  let row = await find(messageId);
  if (row?.thread_root_id) row = await find(row.thread_root_id);
  if (!row || (row.deleted_at && row.reply_count === 0)) throw new AppError('MESSAGE_NOT_FOUND');
  return row;
}

/** A page of a thread's replies, paginated like the timeline. */
export async function replyPage(
  db: Kysely<RegionDB>,
  channelId: string,
  rootId: string,
  req: PageRequest,
): Promise<Page> {
  const root = await threadRoot(db, channelId, rootId);
  if (root.id !== rootId)
    throw new AppError('MESSAGE_NOT_FOUND', 'That message is a reply, not a thread root.');
  return messagePage(db, { channelId, threadRootId: rootId }, req);
}

export interface FollowedThread {
  root: Message;
  unreadReplies: number;
}

/**
 * Threads the user follows in a workspace, across every region, most recently
 * active first. Unread replies: live replies by others after the user's last
 * read position in the thread or their own latest reply, whichever is later.
 * Threads of channels the user left drop out.
 */
export async function followedThreads(
  services: Services,
  userId: string,
  workspaceId: string,
  limit: number,
): Promise<FollowedThread[]> {
  const perRegion = await Promise.all(
    services.stores.allRegions().map(async ({ db }) => {
      const rows = await db
        .selectFrom('thread_follows as tf')
        .innerJoin('messages as m', 'm.id', 'tf.root_id')
        .innerJoin('channels as c', 'c.id', 'm.channel_id')
        .innerJoin('channel_members as cm', (j) =>
          j.onRef('cm.channel_id', '=', 'c.id').on('cm.user_id', '=', userId),
        )
        .select(MESSAGE_COLUMNS.map((col) => `m.${col}` as const))
        .select((eb) =>
          eb
            .selectFrom('messages as r')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('r.thread_root_id', '=', 'm.id')
            // Replying implies having read the thread up to one's own reply.
            .where((e) =>
              e(
                'r.seq',
                '>',
                sql<number>`greatest(tf.last_read_seq, coalesce((SELECT max(o.seq) FROM messages o WHERE o.thread_root_id = m.id AND o.author_id = ${userId}), 0))`,
              ),
            )
            .where('r.deleted_at', 'is', null)
            .where('r.author_id', '<>', userId)
            .as('unread'),
        )
        .where('tf.user_id', '=', userId)
        .where('tf.following', '=', true)
        .where('c.workspace_id', '=', workspaceId)
        .where((eb) => eb.or([eb('m.deleted_at', 'is', null), eb('m.reply_count', '>', 0)]))
        .orderBy((eb) => eb.fn.coalesce('m.last_reply_at', 'm.created_at'), 'desc')
        .orderBy('m.id', 'desc')
        .limit(limit)
        .execute();
      const extras = await loadExtras(
        db,
        rows.map((r) => r.id),
      );
      return rows.map(({ unread, ...row }) => ({
        root: presentMessage(row, extras),
        unreadReplies: Number(unread ?? 0),
      }));
    }),
  );
  const activity = (t: FollowedThread) => t.root.lastReplyAt ?? t.root.createdAt;
  return perRegion
    .flat()
    .sort((a, b) => activity(b).localeCompare(activity(a)) || b.root.id.localeCompare(a.root.id))
    .slice(0, limit);
}
