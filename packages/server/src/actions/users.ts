import { sql } from 'kysely';
import { atLeast } from '../access/workspaces.ts';
import { auditDirectory } from '../audit/record.ts';
import type { Actor } from '../auth/actor.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { AppError } from '../lib/errors.ts';
import { USER_COLUMNS } from '../presenters/users.ts';
import type { Services } from '../services.ts';
import { inDirectoryTx } from './transaction.ts';

const RANK = { guest: 0, member: 1, admin: 2, owner: 3 } as const;

export async function updateProfile(
  services: Services,
  userId: string,
  changes: { displayName?: string | undefined },
) {
  const { displayName } = changes;
  if (displayName === undefined) {
    return services.stores.directory
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
  }
  return inDirectoryTx(services, async (db) => {
    const row = await db
      .updateTable('users')
      .set({ display_name: displayName })
      .where('id', '=', userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await auditDirectory(db, {
      actorId: userId,
      action: 'user.updated',
      targetType: 'user',
      targetId: userId,
      details: { fields: ['displayName'] },
    });
    return row;
  });
}

/**
 * Changes the password and signs out every other session (someone who learnt
 * the old password is thrown out), in one transaction. The current session stays.
 */
export async function changePassword(
  services: Services,
  actor: Actor,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  if (actor.via !== 'session' || actor.kind !== 'human')
    throw new AppError('FORBIDDEN', 'Change your password from a signed-in browser session.');
  const row = await services.stores.directory
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', 'The current password is not correct.');
  }
  const password_hash = await hashPassword(newPassword);
  await inDirectoryTx(services, async (db, outbox) => {
    await db.updateTable('users').set({ password_hash }).where('id', '=', actor.userId).execute();
    const revoked = await db
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .where('id', '!=', actor.sessionId!)
      .returning('id')
      .execute();
    await auditDirectory(db, {
      actorId: actor.userId,
      action: 'user.password_changed',
      targetType: 'user',
      targetId: actor.userId,
      details: { sessionsRevoked: revoked.length },
    });
    for (const s of revoked)
      outbox.push({
        kind: 'control',
        action: 'disconnect',
        userId: actor.userId,
        sessionId: s.id,
        reason: 'session_revoked',
      });
  });
}

/**
 * Whether `actor` may deactivate or reactivate `targetId`. Instance admins may
 * (except themselves). Otherwise the actor must be an owner/admin of a
 * workspace the target belongs to and outrank the target there, and the target
 * must be neither an instance admin nor an owner of any workspace: a
 * deactivation is instance-wide, so it must not lock another workspace out.
 * Someone who shares no workspace with the target gets USER_NOT_FOUND.
 */
export async function assertMayManageUser(services: Services, actor: Actor, targetId: string): Promise<void> {
  const db = services.stores.directory;
  const target = await db
    .selectFrom('users')
    .select(['id', 'instance_role'])
    .where('id', '=', targetId)
    .executeTakeFirst();
  if (!target) throw new AppError('USER_NOT_FOUND');
  if (targetId === actor.userId)
    throw new AppError('FORBIDDEN', 'You cannot deactivate or reactivate your own account.');
  if (actor.instanceRole === 'admin') return;
  const shared = await db
    .selectFrom('workspace_members as mine')
    .innerJoin('workspace_members as theirs', 'theirs.workspace_id', 'mine.workspace_id')
    .select(['mine.role as myRole', 'theirs.role as theirRole'])
    .where('mine.user_id', '=', actor.userId)
    .where('theirs.user_id', '=', targetId)
    .execute();
  if (!shared.length) throw new AppError('USER_NOT_FOUND');
  const ownsSomething = await db
    .selectFrom('workspace_members')
    .select('user_id')
    .where('user_id', '=', targetId)
    .where('role', '=', 'owner')
    .executeTakeFirst();
  const allowed = shared.some((s) => atLeast(s.myRole, 'admin') && RANK[s.myRole] > RANK[s.theirRole]);
  if (!allowed || ownsSomething || target.instance_role === 'admin') {
    throw new AppError(
      'FORBIDDEN',
      'Only instance admins, or workspace owners and admins over people below them, can do this.',
    );
  }
}

/**
 * Deactivates an account: revokes every session and token in the same
 * transaction and, after commit, tells every gateway to close the user's live
 * connections (close code 4003).
 */
export async function deactivateUser(
  services: Services,
  actorId: string,
  userId: string,
  workspaceId: string | null = null,
) {
  return inDirectoryTx(services, async (db, outbox) => {
    const now = new Date();
    const row = await db
      .updateTable('users')
      .set({ deactivated_at: sql`coalesce(deactivated_at, ${now})` })
      .where('id', '=', userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    const sessions = await db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const tokens = await db
      .updateTable('access_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await auditDirectory(db, {
      actorId,
      action: 'user.deactivated',
      targetType: 'user',
      targetId: userId,
      workspaceId,
      details: {
        sessionsRevoked: Number(sessions.numUpdatedRows),
        tokensRevoked: Number(tokens.numUpdatedRows),
      },
    });
    outbox.push({ kind: 'control', action: 'disconnect', userId, reason: 'deactivated' });
    return row;
  });
}

/** Lets the person sign in again. Revoked sessions and tokens stay revoked. */
export async function reactivateUser(services: Services, actorId: string, userId: string) {
  return inDirectoryTx(services, async (db) => {
    const row = await db
      .updateTable('users')
      .set({ deactivated_at: null })
      .where('id', '=', userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await auditDirectory(db, { actorId, action: 'user.reactivated', targetType: 'user', targetId: userId });
    return row;
  });
}
