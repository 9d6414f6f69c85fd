import { SessionResponse, SetupBody, SetupStatusResponse } from '@enclave/protocol';
import { insertSession, insertUser } from '../../actions/accounts.ts';
import { createChannel } from '../../actions/channels.ts';
import { insertWorkspace } from '../../actions/workspaces.ts';
import { setSessionCookie } from '../../auth/cookies.ts';
import { AppError } from '../../lib/errors.ts';
import { digest } from '../../lib/secrets.ts';
import { presentUser } from '../../presenters/users.ts';
import { publicRoute } from '../route.ts';
import { presentSession } from './sessions.ts';

export const setupRoutes = [
  publicRoute({
    method: 'GET',
    url: '/api/v1/setup',
    summary: 'Whether first-run setup is still needed.',
    tag: 'setup',
    auth: 'none',
    response: SetupStatusResponse,
    handler: async ({ services }) => {
      const anyUser = await services.stores.directory
        .selectFrom('users')
        .select('id')
        .limit(1)
        .executeTakeFirst();
      return { setupRequired: !anyUser };
    },
  }),
  publicRoute({
    method: 'POST',
    url: '/api/v1/setup',
    summary:
      'First-run setup: with the one-time token printed at first start, create the first owner and workspace.',
    tag: 'setup',
    auth: 'none',
    body: SetupBody,
    response: SessionResponse,
    status: 201,
    rateLimit: { max: 10, timeWindow: 60_000 },
    handler: async ({ services, body, req, reply }) => {
      const { user, session, workspaceId } = await services.stores.directory
        .transaction()
        .execute(async (db) => {
          // The token row is locked and consumed in the same transaction as the account is created.
          const token = await db
            .selectFrom('setup_tokens')
            .select('token_hash')
            .where('token_hash', '=', digest(body.token))
            .where('used_at', 'is', null)
            .forUpdate()
            .executeTakeFirst();
          const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
          if (!token || anyUser) throw new AppError('SETUP_NOT_AVAILABLE');
          await db
            .updateTable('setup_tokens')
            .set({ used_at: new Date() })
            .where('token_hash', '=', token.token_hash)
            .execute();
          const user = await insertUser(
            db,
            {
              email: body.email,
              password: body.password,
              displayName: body.displayName,
              kind: 'human',
              instanceRole: 'admin',
              country: body.country,
            },
            null,
          );
          const ws = await insertWorkspace(db, user.id, {
            name: body.workspaceName,
            homeRegion: services.config.defaultRegion,
          });
          const session = await insertSession(
            db,
            user.id,
            req.headers['user-agent'],
            services.config.sessionTtlHours,
          );
          return { user, session, workspaceId: ws.id };
        });
      await createChannel(services, user.id, workspaceId, 'owner', {
        name: 'general',
        kind: 'public',
        topic: '',
        purpose: 'Everyone in the workspace.',
      });
      setSessionCookie(req, reply, session.token, session.expiresAt);
      services.log.info({ userId: user.id, workspaceId }, 'setup completed');
      return {
        user: presentUser(user),
        csrfToken: session.csrfToken,
        session: presentSession(
          {
            id: session.id,
            created_at: new Date(),
            last_seen_at: new Date(),
            expires_at: session.expiresAt,
            user_agent: null,
          },
          session.id,
        ),
      };
    },
  }),
];
