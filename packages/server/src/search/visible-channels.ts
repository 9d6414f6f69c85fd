import type { ChannelKind } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { RegionDB } from '../store/tables.ts';
import type { ChannelRef } from './parse-query.ts';

export interface VisibleChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  archived: boolean;
}

/**
 * The channels of one workspace, in one region, whose messages the person may
 * read: the same rule as channelFor(..., 'read'). Every channel they are a
 * member of (any kind, archived or not), plus, unless they are a guest, every
 * public channel. Archived channels stay searchable, as in Slack: archiving
 * ends the conversation, not its record. Leaving a private channel or DM ends
 * access, because membership is read here at the time of the search; so does
 * no longer meeting the label's rules (FE-5).
 */
export async function visibleChannels(
  db: Kysely<RegionDB>,
  userId: string,
  workspaceId: string,
  /** admittedLabels: labels whose rules admit the person (FE-5); null = every label. */
  opts: { includePublic: boolean; admittedLabels: string[] | null },
): Promise<VisibleChannel[]> {
  if (opts.admittedLabels?.length === 0) return [];
  let q = db.selectFrom('channels as c');
  if (opts.admittedLabels) q = q.where('c.label', 'in', opts.admittedLabels);
  const rows = await q
    .select(['c.id', 'c.name', 'c.kind', 'c.archived_at'])
    .where('c.workspace_id', '=', workspaceId)
    .where((eb) => {
      const member = eb.exists(
        eb
          .selectFrom('channel_members as m')
          .select('m.user_id')
          .whereRef('m.channel_id', '=', 'c.id')
          .where('m.user_id', '=', userId),
      );
      return opts.includePublic ? eb.or([member, eb('c.kind', '=', 'public')]) : member;
    })
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, archived: r.archived_at !== null }));
}

/** Narrows to the in: filters (any of them). A channel the person cannot see simply matches nothing. */
export function narrowToRefs(channels: VisibleChannel[], refs: ChannelRef[]): VisibleChannel[] {
  if (!refs.length) return channels;
  return channels.filter((c) =>
    refs.some((r) =>
      r.kind === 'id' ? r.id === c.id : c.kind !== 'dm' && c.name.normalize('NFKC').toLowerCase() === r.name,
    ),
  );
}
