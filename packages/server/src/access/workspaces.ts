import type { WorkspaceRole } from '@enclave/protocol';
import type { Selectable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { AppError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import type { DirectoryDB } from '../store/tables.ts';

export interface WorkspaceAccess {
  workspace: Selectable<DirectoryDB['workspaces']>;
  role: WorkspaceRole;
}

const RANK: Record<WorkspaceRole, number> = { guest: 0, member: 1, admin: 2, owner: 3 };

export function atLeast(role: WorkspaceRole, min: WorkspaceRole): boolean {
  return RANK[role] >= RANK[min];
}

/**
 * The only way to load a workspace for a person. Not a member: 404, so the
 * workspace's existence is not revealed. Below `min` role: 403.
 */
export async function workspaceFor(
  services: Services,
  actor: Actor,
  workspaceId: string,
  min: WorkspaceRole = 'guest',
): Promise<WorkspaceAccess> {
  const row = await services.stores.directory
    .selectFrom('workspaces as w')
    .innerJoin('workspace_members as m', 'm.workspace_id', 'w.id')
    .selectAll('w')
    .select('m.role')
    .where('w.id', '=', workspaceId)
    .where('m.user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!row) throw new AppError('WORKSPACE_NOT_FOUND');
  const { role, ...workspace } = row;
  if (!atLeast(role, min)) throw new AppError('FORBIDDEN', `This needs the ${min} role in the workspace.`);
  return { workspace, role };
}
