import type { TokenScope } from '@enclave/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditDenied } from '../audit/record.ts';
import type { AnyRoute } from '../http/route.ts';
import { AppError } from '../lib/errors.ts';
import { digest, safeEqual } from '../lib/secrets.ts';
import type { Services } from '../services.ts';
import { type Actor, ALL_SCOPES, attributesOf } from './actor.ts';
import { clearSessionCookie, SESSION_COOKIE } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Touching last_seen_at on every request would turn every read into a write.
const TOUCH_INTERVAL_MS = 60_000;

export interface Credential {
  kind: 'session' | 'token';
  secret: string;
}

export function credentialOf(req: FastifyRequest): Credential | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? { kind: 'token', secret: m[1]! } : { kind: 'token', secret: '' };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? { kind: 'session', secret: cookie } : null;
}

/** Resolves a credential to an actor, or throws the precise 401/403. */
export async function resolveCredential(services: Services, cred: Credential): Promise<Actor> {
  const hash = digest(cred.secret);
  const key = `${cred.kind}:${hash.toString('base64')}`;
  const cached = services.credentials.get(key);
  if (cached) return cached;
  const { actor, expiresAt } = await lookUpCredential(services, cred, hash);
  services.credentials.set(key, actor, expiresAt);
  return actor;
}

async function lookUpCredential(
  services: Services,
  cred: Credential,
  hash: Buffer,
): Promise<{ actor: Actor; expiresAt: Date | null }> {
  const db = services.stores.directory;
  const now = new Date();
  if (cred.kind === 'session') {
    const row = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.csrf_token', 's.expires_at', 's.revoked_at', 's.last_seen_at', 'u.id as user_id'])
      .select(['u.display_name', 'u.kind', 'u.instance_role', 'u.deactivated_at'])
      .select(['u.country', 'u.org_unit', 'u.clearance', 'u.duties'])
      .select(['u.country', 'u.org_unit', 'u.clearance', 'u.duties'])
      .where('s.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at || row.expires_at <= now) throw new AppError('SESSION_EXPIRED');
    if (row.deactivated_at) throw new AppError('ACCOUNT_DEACTIVATED');
    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
    }
    const actor: Actor = {
      userId: row.user_id,
      displayName: row.display_name,
      kind: row.kind,
      instanceRole: row.instance_role,
      via: 'session',
      sessionId: row.id,
      tokenId: null,
      csrfToken: row.csrf_token,
      scopes: ALL_SCOPES,
      duties: row.duties,
      attributes: attributesOf(row),
    };
    return { actor, expiresAt: row.expires_at };
  }
  if (!/^enc_(pat|bot)_[A-Za-z0-9_-]{20,}$/.test(cred.secret)) throw new AppError('INVALID_TOKEN');
  const row = await db
    .selectFrom('access_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.id as user_id'])
    .select(['u.display_name', 'u.kind', 'u.instance_role', 'u.deactivated_at'])
    .select(['u.country', 'u.org_unit', 'u.clearance', 'u.duties'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now))
    throw new AppError('INVALID_TOKEN');
  if (row.deactivated_at) throw new AppError('ACCOUNT_DEACTIVATED');
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('access_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const actor: Actor = {
    userId: row.user_id,
    displayName: row.display_name,
    kind: row.kind,
    instanceRole: row.instance_role,
    via: 'token',
    sessionId: null,
    tokenId: row.id,
    csrfToken: null,
    scopes: new Set(row.scopes as TokenScope[]),
    duties: row.duties,
    attributes: attributesOf(row),
  };
  return { actor, expiresAt: row.expires_at };
}

/**
 * Authenticates an HTTP request for a route. Cookie-authenticated writes must
 * carry the session's CSRF token in `X-CSRF-Token` (bearer tokens cannot be
 * sent by a browser on another site's behalf, so they need none).
 */
export async function authenticate(
  req: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  spec: AnyRoute,
): Promise<Actor | null> {
  const cred = credentialOf(req);
  if (!cred) return null;
  let actor: Actor;
  try {
    actor = await resolveCredential(services, cred);
  } catch (err) {
    if (cred.kind === 'session') clearSessionCookie(req, reply);
    // An optional-auth route (e.g. accept invitation) treats a dead cookie as anonymous.
    if (spec.auth === 'optional' && cred.kind === 'session') return null;
    throw err;
  }
  if (actor.via === 'session' && !SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
      // A forged cross-site write is a security event: recorded (AU-5), without the token.
      await auditDenied(services.stores.directory, services.log, {
        actorId: actor.userId,
        action: 'auth.csrf_failed',
        targetType: 'session',
        targetId: actor.sessionId,
        details: { method: spec.method, route: spec.url, tokenSent: typeof sent === 'string' },
      });
      throw new AppError('CSRF_FAILED');
    }
  }
  const needed: TokenScope = spec.scope ?? (SAFE_METHODS.has(spec.method) ? 'read' : 'write');
  if (!actor.scopes.has(needed) && !actor.scopes.has('admin')) {
    await auditDenied(services.stores.directory, services.log, {
      actorId: actor.userId,
      action: 'auth.scope_denied',
      targetType: 'access_token',
      targetId: actor.tokenId,
      details: { method: spec.method, route: spec.url, needed },
    });
    throw new AppError('TOKEN_SCOPE_MISSING', `The access token needs the "${needed}" scope.`);
  }
  return actor;
}
