import { CreatedTokenResponse, CreateTokenBody, TokenListResponse } from '@enclave/protocol';
import { z } from 'zod';
import { createPersonalToken, revokePersonalToken } from '../../actions/tokens.ts';
import { AppError } from '../../lib/errors.ts';
import { presentAccessToken, TOKEN_COLUMNS } from '../../presenters/accounts.ts';
import { route } from '../route.ts';

const TokenParams = z.strictObject({ tokenId: z.uuid() });

export const tokenRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: 'Create a personal access token. The secret is in this response only; store it now.',
    tag: 'tokens',
    auth: 'user',
    scope: 'admin',
    body: CreateTokenBody,
    response: CreatedTokenResponse,
    status: 201,
    handler: async ({ services, actor, body }) => {
      // A leaked token must not be able to mint fresh, longer-lived ones.
      if (actor.via !== 'session' || actor.kind !== 'human')
        throw new AppError('FORBIDDEN', 'Create tokens from a signed-in browser session.');
      const { secret, accessToken } = await createPersonalToken(services, actor.userId, body);
      return { token: secret, accessToken };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/tokens',
    summary: 'Your personal access tokens that have not been revoked (metadata only).',
    tag: 'tokens',
    auth: 'user',
    response: TokenListResponse,
    handler: async ({ services, actor }) => {
      const rows = await services.stores.directory
        .selectFrom('access_tokens')
        .select(TOKEN_COLUMNS)
        .where('user_id', '=', actor.userId)
        .where('kind', '=', 'personal')
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .execute();
      return { tokens: rows.map(presentAccessToken) };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/tokens/:tokenId',
    summary: 'Revoke one of your personal access tokens; it stops working at once.',
    tag: 'tokens',
    auth: 'user',
    scope: 'admin',
    params: TokenParams,
    handler: async ({ services, actor, params }) => {
      await revokePersonalToken(services, actor.userId, params.tokenId);
      return undefined;
    },
  }),
];
