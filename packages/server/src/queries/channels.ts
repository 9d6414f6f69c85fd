import type { Channel, WorkspaceRole } from '@enclave/protocol';
import type { Actor } from '../auth/actor.ts';
import { presentChannel } from '../presenters/channels.ts';
import { admittedLabels } from '../protection/residency/enforce.ts';
import type { Services } from '../services.ts';

// Both lists leave out channels whose label's rules do not admit the person
// now (FE-5): a suspended member learns of it from `channel.access_changed`.

/** The user's channels in a workspace, gathered from every region (each region answers for its own). */
export async function myChannels(
  services: Services,
  actor: Actor,
  role: WorkspaceRole,
  workspaceId: string,
): Promise<Channel[]> {
  const userId = actor.userId;
  const perRegion = await Promise.all(
    services.stores.allRegions().map(async (r) => {
      const admitted = await admittedLabels(services, actor, r.id, role);
      if (admitted?.length === 0) return [];
      let q = r.db.selectFrom('channel_members as m').innerJoin('channels as c', 'c.id', 'm.channel_id');
      if (admitted) q = q.where('c.label', 'in', admitted);
      const rows = await q
        .selectAll('c')
        .select(['m.role as member_role', 'm.joined_at as member_joined_at'])
        .where('m.user_id', '=', userId)
        .where('c.workspace_id', '=', workspaceId)
        .execute();
      return rows.map(({ member_role, member_joined_at, ...c }) =>
        presentChannel(c, r.id, {
          channel_id: c.id,
          user_id: userId,
          role: member_role,
          joined_at: member_joined_at,
        }),
      );
    }),
  );
  return perRegion.flat().sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Public, unarchived channels of a workspace, optionally filtered by a name fragment. */
export async function browseChannels(
  services: Services,
  actor: Actor,
  role: WorkspaceRole,
  workspaceId: string,
  q: string | undefined,
  limit: number,
): Promise<Channel[]> {
  const userId = actor.userId;
  const perRegion = await Promise.all(
    services.stores.allRegions().map(async (r) => {
      const admitted = await admittedLabels(services, actor, r.id, role);
      if (admitted?.length === 0) return [];
      let query = r.db
        .selectFrom('channels as c')
        .leftJoin('channel_members as m', (j) =>
          j.onRef('m.channel_id', '=', 'c.id').on('m.user_id', '=', userId),
        )
        .selectAll('c')
        .select(['m.role as member_role', 'm.joined_at as member_joined_at'])
        .where('c.workspace_id', '=', workspaceId)
        .where('c.kind', '=', 'public')
        .where('c.archived_at', 'is', null);
      if (admitted) query = query.where('c.label', 'in', admitted);
      if (q) query = query.where('c.name', 'ilike', `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const rows = await query.orderBy('c.name').limit(limit).execute();
      return rows.map(({ member_role, member_joined_at, ...c }) =>
        presentChannel(
          c,
          r.id,
          member_role && member_joined_at
            ? { channel_id: c.id, user_id: userId, role: member_role, joined_at: member_joined_at }
            : null,
        ),
      );
    }),
  );
  return perRegion
    .flat()
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
}
