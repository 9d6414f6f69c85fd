import { admits, loadPerson, memberships } from '../protection/residency/people-channels.ts';
import type { Services } from '../services.ts';

/** More than this many missed events in one channel: the client refetches instead of replaying. */
export const MAX_REPLAY = 2000;

export interface UserChannel {
  channelId: string;
  region: string;
  lastSeq: number;
}

/**
 * Every channel the user is a member of, in every region, with its current
 * seq — split by whether its label's rules admit them now (FE-5): the gateway
 * subscribes only to the admitted ones.
 */
export async function userChannels(
  services: Services,
  userId: string,
): Promise<{ admitted: UserChannel[]; suspended: UserChannel[] }> {
  const [all, person] = await Promise.all([memberships(services, userId), loadPerson(services, userId)]);
  const admitted: UserChannel[] = [];
  const suspended: UserChannel[] = [];
  for (const m of all) {
    const c = { channelId: m.channelId, region: m.region, lastSeq: m.lastSeq };
    (person && (await admits(services, m, person)) ? admitted : suspended).push(c);
  }
  return { admitted, suspended };
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
