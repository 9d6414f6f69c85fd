import type { User, Workspace } from '@enclave/protocol';
import type { Selectable } from 'kysely';
import type { DirectoryDB } from '../store/tables.ts';

type UserRow = Pick<
  Selectable<DirectoryDB['users']>,
  'id' | 'email' | 'display_name' | 'kind' | 'created_at' | 'deactivated_at'
>;

export const USER_COLUMNS = ['id', 'email', 'display_name', 'kind', 'created_at', 'deactivated_at'] as const;

export function presentUser(u: UserRow): User {
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    kind: u.kind,
    deactivated: u.deactivated_at !== null,
    createdAt: u.created_at.toISOString(),
  };
}

export function presentWorkspace(
  w: Pick<Selectable<DirectoryDB['workspaces']>, 'id' | 'name' | 'slug' | 'home_region' | 'created_at'>,
  role: Workspace['role'],
): Workspace {
  return {
    id: w.id,
    name: w.name,
    slug: w.slug,
    homeRegion: w.home_region,
    createdAt: w.created_at.toISOString(),
    role,
  };
}
