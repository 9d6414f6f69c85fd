import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from '@enclave/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

// Fastify's own errors, mapped onto our catalogue so clients see one shape.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_BAD_URL: 'ROUTE_NOT_FOUND',
  FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
};

export function errorBody(
  code: ErrorCode,
  requestId: string,
  message?: string,
  extra?: AppError['extra'],
): ErrorBody {
  return {
    error: {
      code,
      message: message ?? ERROR_CATALOGUE[code].message,
      requestId,
      ...(extra?.issues ? { issues: extra.issues } : {}),
      ...(extra?.details ? { details: extra.details } : {}),
    },
  };
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ code: err.code }, 'request failed');
      return reply.code(err.status).send(errorBody(err.code, req.id, err.message, err.extra));
    }
    let code: ErrorCode | undefined = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (!code && err.statusCode === 429) code = 'RATE_LIMITED';
    if (!code && err instanceof SyntaxError && err.statusCode === 400) code = 'INVALID_JSON';
    if (code) return reply.code(ERROR_CATALOGUE[code].status).send(errorBody(code, req.id));
    // Unknown failure: log what it was (no bodies, no driver detail: it can echo values).
    req.log.error(
      { err: { type: err.name, code: err.code, message: err.message, stack: err.stack } },
      'unhandled',
    );
    return reply.code(500).send(errorBody('INTERNAL', req.id));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('ROUTE_NOT_FOUND', req.id)));
}
