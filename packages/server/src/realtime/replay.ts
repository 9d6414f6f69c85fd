import type { Services } from '../services.ts';

/** More than this many missed events in one channel: the client refetches instead of replaying. */
export const MAX_REPLAY = 2000;

export interface UserChannel {
  channelId: string;
  region: string;
  lastSeq: number;
}

/** Every channel the user is a member of, in every region, with its current seq. */
export async function userChannels(services: Services, userId: string): Promise<UserChannel[]> {
  const perRegion = await Promise.all(
    services.stores.allRegions().map(async (r) => {
      const rows = await r.db
        .selectFrom('channel_members as m')
        .innerJoin('channels as c', 'c.id', 'm.channel_id')
        .select(['c.id', 'c.last_seq'])
        .where('m.user_id', '=', userId)
        .execute();
      return rows.map((row) => ({ channelId: row.id, region: r.id, lastSeq: row.last_seq }));
    }),
  );
  return perRegion.flat();
}

/** Stored events after `from`, already serialised as frames, or 'too_old' past MAX_REPLAY. */
export async function replay(
  services: Services,
  region: string,
  channelId: string,
  from: number,
): Promise<{ seq: number; frame: string }[] | 'too_old'> {
  const rows = await services.stores
    .region(region)
    .selectFrom('channel_events')
    .select(['seq', 'payload'])
    .where('channel_id', '=', channelId)
    .where('seq', '>', from)
    .orderBy('seq')
    .limit(MAX_REPLAY + 1)
    .execute();
  if (rows.length > MAX_REPLAY) return 'too_old';
  if (rows.length && rows[0]!.seq !== from + 1) return 'too_old';
  return rows.map((r) => ({
    seq: r.seq,
    frame: JSON.stringify({ type: 'event', channelId, seq: r.seq, event: r.payload }),
  }));
}
