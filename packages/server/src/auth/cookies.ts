import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'enclave_session';

function secure(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expires: Date,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(req),
    path: '/',
    expires,
  });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(req), path: '/' });
}
