import { ERROR_CATALOGUE } from '@enclave/protocol';
import { type ZodType, z } from 'zod';
import type { AnyRoute } from './route.ts';

function schema(s: ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' });
}

/** The OpenAPI 3.0 document, generated from the same zod schemas the server validates with. */
export function buildOpenApi(routes: AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const name of r.url.match(/:([A-Za-z]+)/g) ?? []) {
      parameters.push({
        name: name.slice(1),
        in: 'path',
        required: true,
        schema: { type: 'string', format: 'uuid' },
      });
    }
    if (r.query) {
      const q = schema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: s });
      }
    }
    const ok = String(r.status ?? (r.response ? 200 : 204));
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string) => (c ?? '').toUpperCase())}`,
      parameters,
      responses: {
        [ok]: r.response
          ? { description: 'OK', content: { 'application/json': { schema: schema(r.response, 'output') } } }
          : { description: 'Done' },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (r.auth === 'user') op.security = [{ session: [] }, { bearer: [] }];
    if (r.body) {
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: schema(r.body, 'input') } },
      };
    }
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Enclave API',
      version,
      description: 'HTTP API of Enclave. Realtime events: see docs/realtime.md (WebSocket at /api/v1/ws).',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'enclave_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
                message: { type: 'string' },
                requestId: { type: 'string' },
                issues: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { path: { type: 'string' }, problem: { type: 'string' } },
                  },
                },
                details: { type: 'object' },
              },
            },
          },
        },
      },
    },
  };
}
