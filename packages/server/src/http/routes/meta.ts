import { z } from 'zod';
import { errorBody } from '../errors.ts';
import { publicRoute } from '../route.ts';

export const metaRoutes = [
  publicRoute({
    method: 'GET',
    url: '/healthz',
    summary: 'Liveness: the process is up and serving HTTP.',
    tag: 'meta',
    auth: 'none',
    response: z.object({ status: z.literal('ok') }),
    handler: async () => ({ status: 'ok' as const }),
  }),
  publicRoute({
    method: 'GET',
    url: '/readyz',
    summary: 'Readiness: every database answers and its migrations are current.',
    tag: 'meta',
    auth: 'none',
    response: z.object({ status: z.literal('ready') }),
    handler: async ({ services, reply, req }) => {
      const { ready, problems } = await services.stores.readiness();
      if (ready) return { status: 'ready' as const };
      reply.code(503).send(errorBody('NOT_READY', req.id, undefined, { details: { problems } }));
      return undefined;
    },
  }),
];
