import type { ReadState } from '@enclave/protocol';
import { sql } from 'kysely';
import type { ChannelAccess } from '../access/channels.ts';
import { AppError } from '../lib/errors.ts';
import { readStatesIn } from '../queries/read-state.ts';
import type { Services } from '../services.ts';
import { inRegionTx } from './transaction.ts';

/**
 * Marks the channel read up to `seq`. The marker only moves forward (a stale
 * tab marking an older position changes nothing) and never past the channel's
 * last seq. When it moves, every connection of the user hears about it, so
 * badges clear on all their devices.
 */
export async function markChannelRead(
  services: Services,
  userId: string,
  access: ChannelAccess,
  seq: number,
): Promise<ReadState> {
  const { channel } = access;
  if (!access.membership) throw new AppError('NOT_CHANNEL_MEMBER', 'Only members keep a read state.');
  return inRegionTx(services, access.region, async (tx) => {
    const { last_seq } = await tx.db
      .selectFrom('channels')
      .select('last_seq')
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow();
    const target = Math.min(seq, last_seq);
    const moved = await tx.db
      .insertInto('read_states')
      .values({ channel_id: channel.id, user_id: userId, last_read_seq: target, updated_at: new Date() })
      .onConflict((oc) =>
        oc
          .columns(['channel_id', 'user_id'])
          .doUpdateSet({ last_read_seq: sql`excluded.last_read_seq`, updated_at: sql`excluded.updated_at` })
          .where('read_states.last_read_seq', '<', target),
      )
      .returning('last_read_seq')
      .executeTakeFirst();
    const [state] = await readStatesIn(tx.db, userId, { channelId: channel.id });
    if (!state) throw new AppError('NOT_CHANNEL_MEMBER');
    if (moved)
      tx.outbox.push({ kind: 'user', userId, event: { type: 'read_state.updated', readState: state } });
    return state;
  });
}
