import type { TokenScope } from '@enclave/protocol';
import { auditDirectory } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { presentAccessToken, TOKEN_COLUMNS } from '../presenters/accounts.ts';
import { presentUser, USER_COLUMNS } from '../presenters/users.ts';
import type { Services } from '../services.ts';
import { insertUser } from './accounts.ts';
import { insertAccessToken } from './tokens.ts';
import { inDirectoryTx } from './transaction.ts';
import { deactivateUser } from './users.ts';

/**
 * A bot is a user of kind 'bot' with no email and no password (so it can never
 * sign in), a plain member of exactly one workspace, and one bearer token.
 * It posts and listens through the same routes and gateway as people do.
 */
export async function createBot(
  services: Services,
  actorId: string,
  workspaceId: string,
  input: { displayName: string; scopes: TokenScope[] },
) {
  return inDirectoryTx(services, async (db) => {
    const user = await insertUser(
      db,
      { email: null, password: null, displayName: input.displayName, kind: 'bot' },
      actorId,
    );
    await db
      .insertInto('workspace_members')
      .values({ workspace_id: workspaceId, user_id: user.id, role: 'member' })
      .execute();
    const { secret, accessToken } = await insertAccessToken(db, actorId, {
      userId: user.id,
      kind: 'bot',
      name: input.displayName,
      scopes: input.scopes,
    });
    await auditDirectory(db, {
      actorId,
      action: 'bot.created',
      targetType: 'user',
      targetId: user.id,
      workspaceId,
      details: { scopes: accessToken.scopes },
    });
    return { user: presentUser(user), token: secret, accessToken };
  });
}

export async function listBots(services: Services, workspaceId: string) {
  const db = services.stores.directory;
  const users = await db
    .selectFrom('users as u')
    .innerJoin('workspace_members as m', 'm.user_id', 'u.id')
    .select(USER_COLUMNS.map((c) => `u.${c}` as const))
    .where('m.workspace_id', '=', workspaceId)
    .where('u.kind', '=', 'bot')
    .orderBy('u.created_at')
    .execute();
  const tokens = users.length
    ? await db
        .selectFrom('access_tokens')
        .select(TOKEN_COLUMNS)
        .where(
          'user_id',
          'in',
          users.map((u) => u.id),
        )
        .where('revoked_at', 'is', null)
        .orderBy('created_at')
        .execute()
    : [];
  return users.map((u) => ({
    user: presentUser(u),
    accessTokens: tokens.filter((t) => t.user_id === u.id).map(presentAccessToken),
  }));
}

/** Revoking a bot deactivates it: its tokens stop working and its live connections close. */
export async function revokeBot(services: Services, actorId: string, workspaceId: string, botId: string) {
  const bot = await services.stores.directory
    .selectFrom('users as u')
    .innerJoin('workspace_members as m', 'm.user_id', 'u.id')
    .select('u.id')
    .where('u.id', '=', botId)
    .where('u.kind', '=', 'bot')
    .where('m.workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!bot) throw new AppError('USER_NOT_FOUND', 'No such bot in this workspace.');
  return presentUser(await deactivateUser(services, actorId, botId, workspaceId));
}
