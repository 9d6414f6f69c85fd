import type { FieldIssue, TokenScope } from '@enclave/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ZodType, z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { authenticate } from '../auth/authenticate.ts';
import { AppError } from '../lib/errors.ts';
import type { Services } from '../services.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext<P, Q, B, A> {
  req: FastifyRequest;
  reply: FastifyReply;
  services: Services;
  actor: A;
  params: P;
  query: Q;
  body: B;
}

export interface RouteSpec<P, Q, B, A extends Actor | null> {
  method: Method;
  url: string;
  summary: string;
  tag: string;
  /** 'user': a session or token is required. 'none': public. 'optional': actor may be null. */
  auth: A extends null ? 'none' | 'optional' : 'user';
  /** Token scope needed (sessions have every scope). Default: read for GET, write otherwise. */
  scope?: TokenScope;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  response?: ZodType;
  status?: number;
  /** 'login' uses the configured login limit; otherwise requests per window per client address. */
  rateLimit?: 'login' | { max: number; timeWindow: number };
  handler(ctx: RouteContext<P, Q, B, A>): Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry is heterogeneous by design
export type AnyRoute = RouteSpec<any, any, any, any>;

export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B, Actor>,
): AnyRoute {
  return spec;
}

export function publicRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B, Actor | null>,
): AnyRoute {
  return spec;
}

/** Zod issues -> our field issues. Never includes the offending value. */
export function toFieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    problem: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: 'params' | 'query' | 'body'): T {
  if (!schema) {
    if (where === 'body' && value !== undefined && value !== null && value !== '') {
      throw new AppError('VALIDATION_FAILED', 'This endpoint takes no body.');
    }
    return (where === 'body' ? undefined : {}) as T;
  }
  const r = schema.safeParse(where === 'body' ? (value ?? undefined) : value);
  if (r.success) return r.data;
  if (where === 'params') throw new AppError('INVALID_ID', undefined, { issues: toFieldIssues(r.error, '') });
  throw new AppError('VALIDATION_FAILED', undefined, { issues: toFieldIssues(r.error, where) });
}

export function registerRoutes(app: FastifyInstance, services: Services, routes: AnyRoute[]): void {
  for (const spec of routes) {
    const rl =
      spec.rateLimit === 'login'
        ? { max: services.config.loginRateLimitPerMinute, timeWindow: 60_000 }
        : spec.rateLimit;
    app.route({
      method: spec.method,
      url: spec.url,
      ...(rl ? { config: { rateLimit: rl } } : {}),
      handler: async (req, reply) => {
        const actor = spec.auth === 'none' ? null : await authenticate(req, reply, services, spec);
        if (spec.auth === 'user' && !actor) throw new AppError('AUTH_REQUIRED');
        const params = parse(spec.params, req.params, 'params');
        const query = parse(spec.query, req.query, 'query');
        const body = parse(spec.body, req.body, 'body');
        const result = await spec.handler({ req, reply, services, actor, params, query, body });
        if (services.config.validateResponses) checkResponse(spec, reply.sent ? undefined : result);
        if (reply.sent) return reply;
        reply.code(spec.status ?? (result === undefined ? 204 : 200));
        return result === undefined ? reply.send() : reply.send(result);
      },
    });
  }
}

export const NoParams = z.strictObject({});

/**
 * Test-mode guard (ENCLAVE_VALIDATE_RESPONSES): a response body that does not
 * match the route's documented schema is a server bug, so it fails loudly.
 */
function checkResponse(spec: AnyRoute, result: unknown): void {
  if (result === undefined || !spec.response) return;
  const r = spec.response.safeParse(result);
  if (!r.success) {
    throw new Error(
      `response of ${spec.method} ${spec.url} breaks its schema: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
}
