import { LoginBody, type Session, SessionListResponse, SessionResponse } from '@enclave/protocol';
import { z } from 'zod';
import { insertSession } from '../../actions/accounts.ts';
import { revokeSessions } from '../../actions/sessions.ts';
import { auditDirectory } from '../../audit/record.ts';
import { clearSessionCookie, setSessionCookie } from '../../auth/cookies.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import { AppError } from '../../lib/errors.ts';
import { presentUser, USER_COLUMNS } from '../../presenters/users.ts';
import { publicRoute, route } from '../route.ts';

const SessionParams = z.strictObject({ sessionId: z.uuid() });

export function presentSession(
  s: { id: string; created_at: Date; last_seen_at: Date; expires_at: Date; user_agent: string | null },
  currentId: string | null,
): Session {
  return {
    id: s.id,
    createdAt: s.created_at.toISOString(),
    lastSeenAt: s.last_seen_at.toISOString(),
    expiresAt: s.expires_at.toISOString(),
    userAgent: s.user_agent,
    current: s.id === currentId,
  };
}

export const sessionRoutes = [
  publicRoute({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Sign in with email and password; sets the session cookie and returns the CSRF token.',
    tag: 'auth',
    auth: 'none',
    body: LoginBody,
    response: SessionResponse,
    rateLimit: 'login',
    handler: async ({ services, body, req, reply }) => {
      const db = services.stores.directory;
      const user = await db
        .selectFrom('users')
        .select([...USER_COLUMNS, 'password_hash'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', body.email.toLowerCase()))
        .where('kind', '=', 'human')
        .executeTakeFirst();
      const ok = await verifyPassword(user?.password_hash ?? null, body.password);
      if (!user || !ok) {
        await auditDirectory(db, {
          actorId: user?.id ?? null,
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: user?.id ?? null,
          outcome: 'denied',
        });
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (user.deactivated_at) throw new AppError('ACCOUNT_DEACTIVATED');
      const session = await db.transaction().execute(async (tx) => {
        const s = await insertSession(
          tx,
          user.id,
          req.headers['user-agent'],
          services.config.sessionTtlHours,
        );
        await auditDirectory(tx, {
          actorId: user.id,
          action: 'auth.login',
          targetType: 'session',
          targetId: s.id,
        });
        return s;
      });
      setSessionCookie(req, reply, session.token, session.expiresAt);
      const now = new Date();
      return {
        user: presentUser(user),
        csrfToken: session.csrfToken,
        session: presentSession(
          {
            id: session.id,
            created_at: now,
            last_seen_at: now,
            expires_at: session.expiresAt,
            user_agent: req.headers['user-agent'] ?? null,
          },
          session.id,
        ),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: 'Sign out: revokes the current session and clears the cookie.',
    tag: 'auth',
    auth: 'user',
    handler: async ({ services, actor, req, reply }) => {
      if (!actor.sessionId)
        throw new AppError('FORBIDDEN', 'Sign out applies to browser sessions; revoke tokens instead.');
      await revokeSessions(services, actor.userId, actor.userId, actor.sessionId);
      clearSessionCookie(req, reply);
      return undefined;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/auth/session',
    summary: 'The current session, its user and CSRF token.',
    tag: 'auth',
    auth: 'user',
    response: SessionResponse,
    handler: async ({ services, actor }) => {
      if (!actor.sessionId)
        throw new AppError('FORBIDDEN', 'This request was made with a token, not a session.');
      const db = services.stores.directory;
      const [user, s] = await Promise.all([
        db.selectFrom('users').select(USER_COLUMNS).where('id', '=', actor.userId).executeTakeFirstOrThrow(),
        db.selectFrom('sessions').selectAll().where('id', '=', actor.sessionId).executeTakeFirstOrThrow(),
      ]);
      return {
        user: presentUser(user),
        csrfToken: s.csrf_token,
        session: presentSession(s, actor.sessionId),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/auth/sessions',
    summary: "List the signed-in user's active sessions.",
    tag: 'auth',
    auth: 'user',
    response: SessionListResponse,
    handler: async ({ services, actor }) => {
      const rows = await services.stores.directory
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', actor.userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .orderBy('last_seen_at', 'desc')
        .execute();
      return { sessions: rows.map((s) => presentSession(s, actor.sessionId)) };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/auth/sessions/:sessionId',
    summary: 'Revoke one of your sessions (its live connections close at once).',
    tag: 'auth',
    auth: 'user',
    params: SessionParams,
    handler: async ({ services, actor, params }) => {
      const n = await revokeSessions(services, actor.userId, actor.userId, params.sessionId);
      if (n === 0) throw new AppError('NOT_FOUND', 'No such active session.');
      return undefined;
    },
  }),
];
