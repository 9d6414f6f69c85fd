import type { PersonAttributes, WorkspaceRole } from '@enclave/protocol';
import { attributesOf } from '../../auth/actor.ts';
import type { Services } from '../../services.ts';
import { admitsEveryone, unmetAsMember } from './eligibility.ts';
import { fenceFor } from './enforce.ts';

// A person's channel memberships as the rules see them right now (FE-5): the
// gateway subscribes only to channels whose label admits them, and an
// attribute change compares before and after to audit who lost access where.

export interface Membership {
  channelId: string;
  region: string;
  lastSeq: number;
  label: string;
  workspaceId: string;
}

export interface Person {
  attributes: PersonAttributes;
  roles: ReadonlyMap<string, WorkspaceRole>;
}

export async function loadPerson(services: Services, userId: string): Promise<Person | null> {
  const rows = await services.stores.directory
    .selectFrom('users as u')
    .leftJoin('workspace_members as m', 'm.user_id', 'u.id')
    .select(['u.country', 'u.org_unit', 'u.clearance', 'm.workspace_id', 'm.role'])
    .where('u.id', '=', userId)
    .execute();
  if (!rows.length) return null;
  const roles = new Map<string, WorkspaceRole>();
  for (const r of rows) if (r.workspace_id && r.role) roles.set(r.workspace_id, r.role);
  return { attributes: attributesOf(rows[0]!), roles };
}

export async function memberships(services: Services, userId: string): Promise<Membership[]> {
  const perRegion = await Promise.all(
    services.stores.allRegions().map(async (r) => {
      const rows = await r.db
        .selectFrom('channel_members as m')
        .innerJoin('channels as c', 'c.id', 'm.channel_id')
        .select(['c.id', 'c.last_seq', 'c.label', 'c.workspace_id'])
        .where('m.user_id', '=', userId)
        .execute();
      return rows.map((row) => ({
        channelId: row.id,
        region: r.id,
        lastSeq: row.last_seq,
        label: row.label,
        workspaceId: row.workspace_id,
      }));
    }),
  );
  return perRegion.flat();
}

/** Whether the channel's rules admit the person with these attributes. */
export async function admits(
  services: Services,
  m: Pick<Membership, 'label' | 'region' | 'workspaceId'>,
  person: Person,
): Promise<boolean> {
  const fence = await fenceFor(services, m.label, m.region);
  if (admitsEveryone(fence.rules)) return true;
  const workspaceRole = person.roles.get(m.workspaceId);
  if (!workspaceRole) return false;
  return unmetAsMember(fence.rules, fence.ctx, { attributes: person.attributes, workspaceRole }).length === 0;
}

/** The memberships whose rules admit the person now. */
export async function admittedMemberships(services: Services, userId: string): Promise<Membership[]> {
  const [all, person] = await Promise.all([memberships(services, userId), loadPerson(services, userId)]);
  if (!person) return [];
  const out: Membership[] = [];
  for (const m of all) if (await admits(services, m, person)) out.push(m);
  return out;
}
