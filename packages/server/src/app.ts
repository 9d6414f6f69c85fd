import { randomUUID } from 'node:crypto';
import { MAX_WS_FRAME_BYTES } from '@enclave/protocol';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AccessCache } from './access/access-cache.ts';
import { startAudit } from './audit/start.ts';
import { CredentialCache } from './auth/credential-cache.ts';
import type { Config } from './config/schema.ts';
import { installErrorHandlers } from './http/errors.ts';
import { buildOpenApi } from './http/openapi.ts';
import { registerRoutes } from './http/route.ts';
import { ROUTES } from './http/routes/index.ts';
import { setupPage } from './http/setup-page.ts';
import { registerWebAssets } from './http/web-assets.ts';
import { policyRevealRule } from './protection/policy/index.ts';
import { createVault } from './protection/vault/index.ts';
import type { Bus } from './realtime/bus.ts';
import { Gateway } from './realtime/gateway.ts';
import type { Services } from './services.ts';
import type { Stores } from './store/stores.ts';
import { VERSION } from './version.ts';

export interface App {
  http: FastifyInstance;
  services: Services;
  gateway: Gateway;
}

export async function buildApp(config: Config, stores: Stores, bus: Bus, log: Logger): Promise<App> {
  const http = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
  });
  const services: Services = {
    config,
    stores,
    log,
    bus,
    credentials: new CredentialCache(config.credentialCacheMs),
    access: new AccessCache(config.credentialCacheMs),
    vault: createVault(config),
    publicUrl: () =>
      config.publicUrl ??
      `http://${config.host}:${http.server.address() && typeof http.server.address() === 'object' ? (http.server.address() as { port: number }).port : config.port}`,
  };

  // Who may reveal which vaulted types is the active policy's decision (PO-6, VA-11).
  services.vault.revealPolicy = policyRevealRule(services);

  // Before the gateway subscribes: a revoked credential is forgotten before its sockets are cut.
  const stopInvalidating = bus.subscribe((e) => {
    if (e.kind !== 'control') return;
    services.credentials.invalidate(e);
    services.access.forgetUser(e.userId);
  });
  http.addHook('onClose', async () => stopInvalidating());
  // Binds each audit chain to its store and loads the checkpoint-signing keys (AU-7, AU-8).
  const stopAudit = await startAudit(services);
  http.addHook('onClose', async () => stopAudit());

  installErrorHandlers(http);
  await http.register(cookie);
  await http.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new Error('rate limited'), { statusCode: ctx.statusCode }),
  });
  await http.register(websocket, { options: { maxPayload: MAX_WS_FRAME_BYTES } });

  http.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  registerRoutes(http, services, ROUTES);
  const openapi = buildOpenApi(ROUTES, VERSION);
  http.get('/api/openapi.json', async () => openapi);
  // The web client when it is built (npm start builds it); otherwise a plain setup page.
  if (!(await registerWebAssets(http)))
    http.get('/setup', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
        )
        .send(setupPage()),
    );

  const gateway = new Gateway(services);
  gateway.register(http);
  http.addHook('onClose', async () => gateway.close());
  return { http, services, gateway };
}
