import { sql } from 'kysely';
import type { ChannelAccess } from '../access/channels.ts';
import { AppError } from '../lib/errors.ts';
import { threadRoot } from '../queries/threads.ts';
import type { Services } from '../services.ts';
import { inRegionTx } from './transaction.ts';

function requireMember(access: ChannelAccess): void {
  if (!access.membership) throw new AppError('NOT_CHANNEL_MEMBER', 'Join the channel to follow its threads.');
}

/**
 * Follows or unfollows a thread (given its root or any reply). An explicit
 * unfollow is kept as a row, so replying later does not silently re-follow.
 * A new follow starts with every existing reply read.
 */
export async function setThreadFollow(
  services: Services,
  userId: string,
  access: ChannelAccess,
  messageId: string,
  following: boolean,
): Promise<{ rootId: string; following: boolean }> {
  requireMember(access);
  const { channel } = access;
  return inRegionTx(services, access.region, async (tx) => {
    const root = await threadRoot(tx.db, channel.id, messageId);
    const before = await tx.db
      .selectFrom('thread_follows')
      .select('following')
      .where('root_id', '=', root.id)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    const latest = await tx.db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('thread_root_id', '=', root.id)
      .executeTakeFirst();
    await tx.db
      .insertInto('thread_follows')
      .values({
        root_id: root.id,
        user_id: userId,
        channel_id: channel.id,
        following,
        last_read_seq: latest?.seq ?? root.seq,
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(['root_id', 'user_id']).doUpdateSet({ following, updated_at: sql`excluded.updated_at` }),
      )
      .execute();
    if ((before?.following ?? false) !== following) {
      tx.outbox.push({
        kind: 'user',
        userId,
        event: { type: 'thread.follow_changed', rootId: root.id, channelId: channel.id, following },
      });
    }
    return { rootId: root.id, following };
  });
}

/**
 * Marks a followed thread read up to `seq` (monotonic, capped at the channel's
 * last seq). Threads the user does not follow have no read position to move.
 */
export async function markThreadRead(
  services: Services,
  userId: string,
  access: ChannelAccess,
  messageId: string,
  seq: number,
): Promise<{ rootId: string; lastReadSeq: number }> {
  requireMember(access);
  const { channel } = access;
  return inRegionTx(services, access.region, async (tx) => {
    const root = await threadRoot(tx.db, channel.id, messageId);
    const { last_seq } = await tx.db
      .selectFrom('channels')
      .select('last_seq')
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow();
    const target = Math.min(seq, last_seq);
    const moved = await tx.db
      .updateTable('thread_follows')
      .set({ last_read_seq: target, updated_at: new Date() })
      .where('root_id', '=', root.id)
      .where('user_id', '=', userId)
      .where('last_read_seq', '<', target)
      .returning('last_read_seq')
      .executeTakeFirst();
    if (moved) {
      tx.outbox.push({
        kind: 'user',
        userId,
        event: { type: 'thread.read', rootId: root.id, channelId: channel.id, lastReadSeq: target },
      });
      return { rootId: root.id, lastReadSeq: target };
    }
    const row = await tx.db
      .selectFrom('thread_follows')
      .select('last_read_seq')
      .where('root_id', '=', root.id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return { rootId: root.id, lastReadSeq: row?.last_read_seq ?? 0 };
  });
}
