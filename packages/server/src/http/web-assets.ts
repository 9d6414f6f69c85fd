import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

// The web client (packages/web, issue 6), built by `vite build` into its dist/.
// Hashed assets are served as immutable files; every other GET that asks for
// HTML and is not under /api gets index.html, and the client routes it. The
// Content-Security-Policy allows scripts, styles and connections from this
// origin only: no inline script, no eval, nobody may frame the app.

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function webBuildExists(dist = WEB_DIST): boolean {
  return existsSync(`${dist}index.html`);
}

/** Serves the built client; returns false (and serves nothing) when there is no build. */
export async function registerWebAssets(http: FastifyInstance, dist = WEB_DIST): Promise<boolean> {
  if (!webBuildExists(dist)) return false;
  const index = readFileSync(`${dist}index.html`);
  await http.register(fastifyStatic, {
    root: `${dist}assets`,
    prefix: '/assets/',
    wildcard: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    setHeaders: (res) => res.setHeader('content-security-policy', APP_CSP),
  });
  const sendIndex = (reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', APP_CSP)
      .send(index);
  http.get('/', (_req, reply) => sendIndex(reply));
  http.get('/setup', (_req, reply) => sendIndex(reply));
  http.get('/w/*', (_req, reply) => sendIndex(reply));
  http.get('/admin', (_req, reply) => sendIndex(reply));
  http.get('/admin/*', (_req, reply) => sendIndex(reply));
  return true;
}
