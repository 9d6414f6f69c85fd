import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { auditDirectory } from '../audit/record.ts';
import { hashPassword } from '../auth/passwords.ts';
import { AppError, isUniqueViolation } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { digest, newSecret } from '../lib/secrets.ts';
import type { DirectoryDB } from '../store/tables.ts';

export interface NewUser {
  email: string | null;
  password: string | null;
  displayName: string;
  kind: 'human' | 'bot';
  instanceRole?: 'admin' | 'user';
  /** Location (FE-1); unknown when absent. */
  country?: string | undefined;
}

export async function insertUser(db: Kysely<DirectoryDB>, u: NewUser, actorId: string | null) {
  const id = newId();
  const password_hash = u.password ? await hashPassword(u.password) : null;
  try {
    const row = await db
      .insertInto('users')
      .values({
        id,
        email: u.email,
        display_name: u.displayName,
        kind: u.kind,
        password_hash,
        instance_role: u.instanceRole ?? 'user',
        country: u.country ?? null,
        attributes_updated_at: u.country ? new Date() : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditDirectory(db, {
      actorId: actorId ?? id,
      action: 'user.created',
      targetType: 'user',
      targetId: id,
      details: { kind: u.kind },
    });
    return row;
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw new AppError('EMAIL_TAKEN');
    throw err;
  }
}

export interface CreatedSession {
  token: string;
  id: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function insertSession(
  db: Kysely<DirectoryDB>,
  userId: string,
  userAgent: string | undefined,
  ttlHours: number,
): Promise<CreatedSession> {
  const token = newSecret('enc_sess');
  const id = newId();
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      id,
      token_hash: digest(token),
      user_id: userId,
      csrf_token: csrfToken,
      user_agent: userAgent?.slice(0, 300) ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { token, id, csrfToken, expiresAt };
}

/**
 * Issues a setup token while no account exists; null once set up. Every start
 * (and every node) prints its own link; earlier ones stay valid, and all of
 * them die together when the first owner is created.
 */
export async function issueSetupToken(db: Kysely<DirectoryDB>): Promise<string | null> {
  return db.transaction().execute(async (tx) => {
    const anyUser = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (anyUser) return null;
    const token = newSecret('enc_setup');
    await tx
      .insertInto('setup_tokens')
      .values({ token_hash: digest(token) })
      .execute();
    return token;
  });
}
