import type { AccessToken, Invitation } from '@enclave/protocol';
import type { Selectable } from 'kysely';
import type { DirectoryDB } from '../store/tables.ts';

type TokenRow = Pick<
  Selectable<DirectoryDB['access_tokens']>,
  'id' | 'name' | 'kind' | 'scopes' | 'user_id' | 'created_at' | 'last_used_at' | 'expires_at'
>;

export const TOKEN_COLUMNS = [
  'id',
  'name',
  'kind',
  'scopes',
  'user_id',
  'created_at',
  'last_used_at',
  'expires_at',
] as const;

/** Token metadata only: the secret is shown once at creation and never stored. */
export function presentAccessToken(t: TokenRow): AccessToken {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    scopes: t.scopes,
    userId: t.user_id,
    createdAt: t.created_at.toISOString(),
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    expiresAt: t.expires_at?.toISOString() ?? null,
  };
}

type InvitationRow = Pick<
  Selectable<DirectoryDB['invitations']>,
  'id' | 'workspace_id' | 'role' | 'expires_at' | 'max_uses' | 'uses' | 'created_at'
>;

export function presentInvitation(i: InvitationRow): Invitation {
  return {
    id: i.id,
    workspaceId: i.workspace_id,
    role: i.role,
    expiresAt: i.expires_at.toISOString(),
    maxUses: i.max_uses,
    uses: i.uses,
    createdAt: i.created_at.toISOString(),
  };
}
