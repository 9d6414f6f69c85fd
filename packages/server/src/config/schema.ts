import { CountryCode, RegionId } from '@enclave/protocol';
import { z } from 'zod';

// Every setting Enclave reads, with its default and the environment variable
// that sets it. docs/configuration.md is generated from ENV_VARS' descriptions.

const Port = z.coerce.number().int().min(0).max(65535);
const PgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
  .describe('postgres URL');

/** A directory on this machine; relative paths are resolved from the working directory. */
const DirPath = z
  .string()
  .min(1)
  .refine((s) => !s.includes('\0'), 'must be a directory path')
  .describe('directory path');

/**
 * Where a region's vault key comes from: `file` (a key file, created on first start, in `dir` or
 * by default DATA_DIR/regions/<id>/keys) or `env` (ENCLAVE_REGION_KEYS). A bare string is the type.
 */
const KeyProviderConfig = z.union(
  [
    z.enum(['file', 'env']).transform((type) => ({ type })),
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('file'), dir: DirPath.optional() }),
      z.strictObject({ type: z.literal('env') }),
    ]),
  ],
  { error: 'must be "file", "env", {"type":"file","dir":"<directory>"} or {"type":"env"}' },
);

export const RegionConfig = z.strictObject({
  id: RegionId,
  name: z.string().min(1).max(80).optional(),
  /** External PostgreSQL for this region's content; absent = embedded (or beside DATABASE_URL). */
  databaseUrl: PgUrl.optional(),
  /**
   * Without any database URL: `own` = a PostgreSQL cluster of the region's own in
   * DATA_DIR/regions/<id>/pg (the default for new installs), `shared` = a database in the
   * directory's cluster (how installs before per-region clusters kept it; still detected).
   */
  embedded: z.enum(['own', 'shared']).optional(),
  /** Port of the region's own cluster (default: ENCLAVE_EMBEDDED_PG_PORT + 1 + its position). */
  embeddedPort: Port.min(1).optional(),
  /** Where the region's files are kept (default DATA_DIR/regions/<id>/files). */
  fileStore: DirPath.optional(),
  keyProvider: KeyProviderConfig.optional(),
  /** Overrides ENCLAVE_REVEAL_RATE_LIMIT for reveals in this region. */
  revealRateLimitPerMinute: z.coerce.number().int().min(1).max(10_000).optional(),
  /**
   * The region's jurisdiction: ISO 3166-1 alpha-2 codes of the countries whose
   * people count as "in region" for the channel rules (docs/data-protection/fencing.md).
   * Default for well-known ids (us, eu, uk, au, ca, …); other ids should declare it.
   */
  countries: z.array(CountryCode).min(1).optional(),
});
export type RegionConfig = z.infer<typeof RegionConfig>;

/** A 256-bit key, base64 (standard or url-safe alphabet). Never echoed in errors. */
const RegionKeyBase64 = z
  .string()
  .refine(
    (s) => /^[A-Za-z0-9+/_-]{43}=?$/.test(s) && Buffer.from(s, 'base64').length === 32,
    'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)',
  );

export const ConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: Port.default(3000),
  publicUrl: z.url().optional(),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: PgUrl.optional(),
  embeddedPostgresPort: Port.min(1).default(54329),
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
  /** Region key-encryption keys from the environment instead of key files (vault, VA-2). */
  regionKeys: z.record(RegionId, RegionKeyBase64).optional(),
  revealRateLimitPerMinute: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Audit checkpoints (docs/data-protection/audit.md, AU-7): every N entries or M minutes. */
  auditCheckpointEvery: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  auditCheckpointMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** Ed25519 checkpoint keys (PKCS#8 PEM or base64 DER) per store instead of key files (AU-8). */
  auditSigningKeys: z
    .record(z.string().regex(/^(directory|[a-z][a-z0-9-]{1,15})$/), z.string().min(40))
    .optional(),
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
  ENCLAVE_DATA_DIR: {
    key: 'dataDir',
    help: 'where the embedded databases, key files and region file stores live unless configured elsewhere (default ./data)',
  },
  DATABASE_URL: {
    key: 'databaseUrl',
    help: 'external PostgreSQL >= 15 for the directory (default: embedded)',
  },
  ENCLAVE_EMBEDDED_PG_PORT: {
    key: 'embeddedPostgresPort',
    help: "port of the directory's embedded PostgreSQL; regions' own clusters take the next ports in declaration order (default 54329)",
  },
  ENCLAVE_REGIONS: {
    key: 'regions',
    json: true,
    help: 'JSON list of regions, e.g. [{"id":"us"},{"id":"eu","databaseUrl":"postgres://..."}]; each may set name, databaseUrl, embedded, embeddedPort, fileStore, keyProvider, revealRateLimitPerMinute (docs/regions.md)',
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
  ENCLAVE_REGION_KEYS: {
    key: 'regionKeys',
    json: true,
    help: 'JSON object of base64 256-bit vault keys per region, e.g. {"us":"<openssl rand -base64 32>"}; used by every region whose keyProvider is env, which is the default when this is set (default: a key file per region)',
  },
  ENCLAVE_REVEAL_RATE_LIMIT: {
    key: 'revealRateLimitPerMinute',
    help: 'vault reveals per minute per person in a region; a region may override it (default 20)',
  },
  ENCLAVE_AUDIT_CHECKPOINT_EVERY: {
    key: 'auditCheckpointEvery',
    help: 'sign an audit checkpoint at least every N entries per store (default 1000)',
  },
  ENCLAVE_AUDIT_CHECKPOINT_MINUTES: {
    key: 'auditCheckpointMinutes',
    help: 'sign an audit checkpoint when the last one is older than M minutes and entries were added (default 60)',
  },
  ENCLAVE_AUDIT_SIGNING_KEYS: {
    key: 'auditSigningKeys',
    json: true,
    help: 'JSON object of Ed25519 audit checkpoint keys (base64 PKCS#8 DER) per store, e.g. {"directory":"...","us":"..."}; share them across nodes (default: key files in DATA_DIR/keys)',
  },
  ENCLAVE_VALIDATE_RESPONSES: {
    key: 'validateResponses',
    help: 'true to check every response body against its schema (tests and development; costs CPU)',
  },
};
