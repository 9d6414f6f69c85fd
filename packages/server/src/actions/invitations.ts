import type { WorkspaceRole } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { auditDirectory } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { digest, newSecret } from '../lib/secrets.ts';
import { presentInvitation } from '../presenters/accounts.ts';
import type { Services } from '../services.ts';
import type { DirectoryDB } from '../store/tables.ts';
import { type CreatedSession, insertSession, insertUser } from './accounts.ts';
import { inDirectoryTx } from './transaction.ts';

const TOKEN_SHAPE = /^enc_inv_[A-Za-z0-9_-]{20,100}$/;

export interface NewInvitation {
  role: Exclude<WorkspaceRole, 'owner'>;
  expiresInHours: number;
  maxUses: number;
}

export async function createInvitation(
  services: Services,
  actorId: string,
  workspaceId: string,
  input: NewInvitation,
) {
  const token = newSecret('enc_inv');
  const row = await inDirectoryTx(services, async (db) => {
    const inv = await db
      .insertInto('invitations')
      .values({
        id: newId(),
        workspace_id: workspaceId,
        token_hash: digest(token),
        role: input.role,
        created_by: actorId,
        expires_at: new Date(Date.now() + input.expiresInHours * 3_600_000),
        max_uses: input.maxUses,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditDirectory(db, {
      actorId,
      action: 'invitation.created',
      targetType: 'invitation',
      targetId: inv.id,
      workspaceId,
      details: { role: inv.role, maxUses: inv.max_uses, expiresAt: inv.expires_at.toISOString() },
    });
    return inv;
  });
  return { invitation: presentInvitation(row), token, url: `${services.publicUrl()}/invite/${token}` };
}

export async function revokeInvitation(
  services: Services,
  actorId: string,
  workspaceId: string,
  invitationId: string,
): Promise<void> {
  await inDirectoryTx(services, async (db) => {
    const row = await db
      .updateTable('invitations')
      .set({ revoked_at: new Date() })
      .where('id', '=', invitationId)
      .where('workspace_id', '=', workspaceId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('INVITATION_NOT_FOUND');
    await auditDirectory(db, {
      actorId,
      action: 'invitation.revoked',
      targetType: 'invitation',
      targetId: invitationId,
      workspaceId,
    });
  });
}

/** A usable invitation by its secret, with its workspace; expired, revoked and used-up ones do not exist. */
export async function findUsableInvitation(db: Kysely<DirectoryDB>, token: string) {
  if (!TOKEN_SHAPE.test(token)) throw new AppError('INVITATION_NOT_FOUND');
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .select(['i.id', 'i.role', 'i.expires_at', 'w.id as workspace_id', 'w.name as workspace_name'])
    .where('i.token_hash', '=', digest(token))
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date())
    .where((eb) => eb('i.uses', '<', eb.ref('i.max_uses')))
    .executeTakeFirst();
  if (!row) throw new AppError('INVITATION_NOT_FOUND');
  return row;
}

/**
 * Takes one use of the invitation. The conditional UPDATE locks the row, so of
 * two concurrent accepts of a last use, the second re-checks `uses < max_uses`
 * after the first commits and finds nothing: exactly one wins.
 */
async function consumeUse(db: Kysely<DirectoryDB>, token: string) {
  const row = await db
    .updateTable('invitations')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('token_hash', '=', digest(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .where((eb) => eb('uses', '<', eb.ref('max_uses')))
    .returning(['id', 'workspace_id', 'role'])
    .executeTakeFirst();
  if (!row) throw new AppError('INVITATION_NOT_FOUND');
  return row;
}

async function join(
  db: Kysely<DirectoryDB>,
  inv: { id: string; workspace_id: string; role: WorkspaceRole },
  userId: string,
) {
  const added = await db
    .insertInto('workspace_members')
    .values({ workspace_id: inv.workspace_id, user_id: userId, role: inv.role })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (!added) throw new AppError('ALREADY_MEMBER', 'You are already a member of this workspace.');
  await auditDirectory(db, {
    actorId: userId,
    action: 'invitation.accepted',
    targetType: 'invitation',
    targetId: inv.id,
    workspaceId: inv.workspace_id,
    details: { role: inv.role },
  });
}

export interface Accepted {
  userId: string;
  workspaceId: string;
  session: CreatedSession | null;
}

/** Joins the workspace as an existing (signed-in) person. A failure leaves the invitation's uses untouched. */
export async function acceptAsUser(services: Services, userId: string, token: string): Promise<Accepted> {
  await findUsableInvitation(services.stores.directory, token);
  return inDirectoryTx(services, async (db) => {
    const inv = await consumeUse(db, token);
    await join(db, inv, userId);
    return { userId, workspaceId: inv.workspace_id, session: null };
  });
}

/** Creates an account, its membership and a session in one transaction. */
export async function acceptAsNewAccount(
  services: Services,
  token: string,
  account: { email: string; password: string; displayName: string },
  userAgent: string | undefined,
): Promise<Accepted> {
  // Reject a dead link before spending an argon2 hash on it.
  await findUsableInvitation(services.stores.directory, token);
  return inDirectoryTx(services, async (db) => {
    const user = await insertUser(db, { ...account, kind: 'human' }, null);
    // Taken after the slow hash, so the row lock is held only briefly.
    const inv = await consumeUse(db, token);
    await join(db, inv, user.id);
    const session = await insertSession(db, user.id, userAgent, services.config.sessionTtlHours);
    await auditDirectory(db, {
      actorId: user.id,
      action: 'auth.login',
      targetType: 'session',
      targetId: session.id,
    });
    return { userId: user.id, workspaceId: inv.workspace_id, session };
  });
}
