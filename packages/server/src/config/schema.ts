import { RegionId } from '@enclave/protocol';
import { z } from 'zod';

// Every setting Enclave reads, with its default and the environment variable
// that sets it. docs/configuration.md is generated from ENV_VARS' descriptions.

const Port = z.coerce.number().int().min(0).max(65535);
const PgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
  .describe('postgres URL');

export const RegionConfig = z.strictObject({
  id: RegionId,
  name: z.string().min(1).max(80).optional(),
  /** External PostgreSQL for this region's content; absent = a database in the embedded server. */
  databaseUrl: PgUrl.optional(),
});
export type RegionConfig = z.infer<typeof RegionConfig>;

export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: Port.default(3000),
  publicUrl: z.url().optional(),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: PgUrl.optional(),
  embeddedPostgresPort: Port.default(54329),
  regions: z
    .array(RegionConfig)
    .min(1)
    .default([{ id: 'us', name: 'United States' }]),
  defaultRegion: RegionId.optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  sessionTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 14),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  loginRateLimitPerMinute: z.coerce.number().int().min(1).max(10_000).default(10),
  allowedOrigins: z.array(z.url()).default([]),
  natsUrl: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// URL')
    .optional(),
  wsMaxBufferedBytes: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(4 * 1024 * 1024),
  wsHeartbeatMs: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  trustProxy: z.stringbool().or(z.boolean()).default(false),
  validateResponses: z.stringbool().or(z.boolean()).default(false),
  credentialCacheMs: z.coerce.number().int().min(0).max(60_000).default(10_000),
});
export type Config = z.infer<typeof ConfigSchema> & { defaultRegion: string };

/** Environment variable -> config key, with the description shown in errors and docs. */
export const ENV_VARS: Record<
  string,
  { key: keyof z.infer<typeof ConfigSchema>; help: string; json?: boolean }
> = {
  HOST: { key: 'host', help: 'interface to listen on (default 127.0.0.1)' },
  PORT: { key: 'port', help: 'TCP port, 0-65535 (default 3000)' },
  ENCLAVE_PUBLIC_URL: {
    key: 'publicUrl',
    help: 'URL people use to reach Enclave, for links (default http://HOST:PORT)',
  },
  ENCLAVE_DATA_DIR: { key: 'dataDir', help: 'where the embedded database and files live (default ./data)' },
  DATABASE_URL: {
    key: 'databaseUrl',
    help: 'external PostgreSQL >= 15 for the directory (default: embedded)',
  },
  ENCLAVE_EMBEDDED_PG_PORT: {
    key: 'embeddedPostgresPort',
    help: 'port of the embedded PostgreSQL (default 54329)',
  },
  ENCLAVE_REGIONS: {
    key: 'regions',
    json: true,
    help: 'JSON list of regions, e.g. [{"id":"us"},{"id":"eu","databaseUrl":"postgres://..."}]',
  },
  ENCLAVE_DEFAULT_REGION: {
    key: 'defaultRegion',
    help: 'home region of new workspaces (default: the first region)',
  },
  LOG_LEVEL: { key: 'logLevel', help: 'fatal, error, warn, info, debug, trace or silent (default info)' },
  ENCLAVE_SESSION_TTL_HOURS: { key: 'sessionTtlHours', help: 'session lifetime in hours (default 336)' },
  ENCLAVE_MAX_BODY_BYTES: {
    key: 'maxBodyBytes',
    help: 'largest accepted JSON body in bytes (default 1048576)',
  },
  ENCLAVE_LOGIN_RATE_LIMIT: {
    key: 'loginRateLimitPerMinute',
    help: 'login attempts per minute per client (default 10)',
  },
  ENCLAVE_ALLOWED_ORIGINS: {
    key: 'allowedOrigins',
    json: true,
    help: 'JSON list of extra browser origins allowed to use cookies, e.g. ["https://chat.example.com"]',
  },
  NATS_URL: {
    key: 'natsUrl',
    help: 'NATS server for multi-node fan-out, e.g. nats://127.0.0.1:4222 (default: in-process)',
  },
  ENCLAVE_WS_MAX_BUFFERED_BYTES: {
    key: 'wsMaxBufferedBytes',
    help: 'unsent bytes a WebSocket may queue before it is closed as too slow (default 4194304)',
  },
  ENCLAVE_WS_HEARTBEAT_MS: { key: 'wsHeartbeatMs', help: 'WebSocket ping interval in ms (default 30000)' },
  ENCLAVE_TRUST_PROXY: {
    key: 'trustProxy',
    help: 'true when behind a reverse proxy that sets X-Forwarded-For',
  },
  ENCLAVE_CREDENTIAL_CACHE_MS: {
    key: 'credentialCacheMs',
    help: 'how long resolved sessions, tokens and workspace roles are reused, 0-60000 ms; revocations and role changes clear them at once (default 10000)',
  },
  ENCLAVE_VALIDATE_RESPONSES: {
    key: 'validateResponses',
    help: 'true to check every response body against its schema (tests and development; costs CPU)',
  },
};
