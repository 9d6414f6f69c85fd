import type { TokenScope } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { auditDirectory } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { digest, newSecret } from '../lib/secrets.ts';
import { presentAccessToken } from '../presenters/accounts.ts';
import type { Services } from '../services.ts';
import type { DirectoryDB } from '../store/tables.ts';
import { inDirectoryTx } from './transaction.ts';

export interface NewToken {
  userId: string;
  kind: 'personal' | 'bot';
  name: string;
  scopes: TokenScope[];
  expiresInDays?: number | undefined;
}

/**
 * Inserts an access token inside the caller's transaction. The secret is
 * returned once; only its SHA-256 digest is stored, so a database dump cannot
 * be replayed as credentials.
 */
export async function insertAccessToken(db: Kysely<DirectoryDB>, actorId: string, t: NewToken) {
  const secret = newSecret(t.kind === 'bot' ? 'enc_bot' : 'enc_pat');
  const row = await db
    .insertInto('access_tokens')
    .values({
      id: newId(),
      token_hash: digest(secret),
      user_id: t.userId,
      kind: t.kind,
      name: t.name,
      scopes: [...new Set(t.scopes)],
      created_by: actorId,
      expires_at: t.expiresInDays ? new Date(Date.now() + t.expiresInDays * 86_400_000) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await auditDirectory(db, {
    actorId,
    action: 'token.created',
    targetType: 'access_token',
    targetId: row.id,
    details: { kind: t.kind, userId: t.userId, scopes: row.scopes },
  });
  return { secret, accessToken: presentAccessToken(row) };
}

export function createPersonalToken(
  services: Services,
  userId: string,
  input: Omit<NewToken, 'userId' | 'kind'>,
) {
  return inDirectoryTx(services, (db) =>
    insertAccessToken(db, userId, { ...input, userId, kind: 'personal' }),
  );
}

/** Revokes one of the user's own personal tokens. Someone else's token is NOT_FOUND, as if it did not exist. */
export async function revokePersonalToken(
  services: Services,
  userId: string,
  tokenId: string,
): Promise<void> {
  await inDirectoryTx(services, async (db, outbox) => {
    const row = await db
      .updateTable('access_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('kind', '=', 'personal')
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'No such active token.');
    await auditDirectory(db, {
      actorId: userId,
      action: 'token.revoked',
      targetType: 'access_token',
      targetId: tokenId,
    });
    // Connections opened with the token stop at once, like HTTP requests with it.
    outbox.push({ kind: 'control', action: 'disconnect', userId, tokenId, reason: 'token_revoked' });
  });
}
