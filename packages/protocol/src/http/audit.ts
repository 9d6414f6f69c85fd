import { z } from 'zod';
import { Id, IsoDate, REGION_ID } from '../common.ts';

// The auditor API (docs/data-protection/audit.md). Instance admins only.

/** `directory` or a region id. */
export const AuditStore = z
  .string()
  .refine((s) => s === 'directory' || REGION_ID.test(s), 'must be "directory" or a region id');

export const AuditOutcome = z.enum(['allowed', 'denied', 'error']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

const AuditFilters = {
  store: AuditStore.default('directory'),
  actor: Id.optional(),
  action: z
    .string()
    .regex(/^[a-z0-9_.]{1,64}$/, 'must be an action name such as "auth.login_failed"')
    .optional(),
  targetType: z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/)
    .optional(),
  targetId: z.string().min(1).max(64).optional(),
  outcome: AuditOutcome.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
};

/** Newest first by default; `order=asc` walks the chain in sequence order. */
export const AuditEventsQuery = z.strictObject({
  ...AuditFilters,
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditEventsQuery = z.infer<typeof AuditEventsQuery>;

/** Export streams every matching entry in sequence order, one JSON object per line. */
export const AuditExportQuery = z.strictObject(AuditFilters);
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;

export const AuditEvent = z.object({
  store: z.string(),
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** The workspace (directory entries) or channel (region entries) the entry belongs to. */
  workspaceId: z.string().nullable(),
  channelId: z.string().nullable(),
  outcome: AuditOutcome,
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditEventsResponse = z.object({
  events: z.array(AuditEvent),
  nextCursor: z.string().nullable(),
});
export type AuditEventsResponse = z.infer<typeof AuditEventsResponse>;

export const AuditVerifyBody = z.strictObject({
  /** One store; absent = the directory and every region. */
  store: AuditStore.optional(),
});
export type AuditVerifyBody = z.infer<typeof AuditVerifyBody>;

export const AuditVerifyProblem = z.object({
  seq: z.number().int(),
  kind: z.enum([
    'hash_mismatch',
    'chain_broken',
    'gap',
    'reordered',
    'truncated',
    'bad_signature',
    'unknown_key',
    'checkpoint_mismatch',
  ]),
  detail: z.string(),
});

export const AuditVerifyReport = z.object({
  store: z.string(),
  intact: z.boolean(),
  entries: z.number().int(),
  lastSeq: z.number().int(),
  lastHash: z.string().nullable(),
  checkpoints: z.number().int(),
  lastCheckpointSeq: z.number().int().nullable(),
  keySource: z.enum(['trusted', 'database']),
  firstProblem: AuditVerifyProblem.nullable(),
  problems: z.array(AuditVerifyProblem),
});
export type AuditVerifyReport = z.infer<typeof AuditVerifyReport>;

export const AuditVerifyResponse = z.object({ intact: z.boolean(), reports: z.array(AuditVerifyReport) });
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponse>;

export const AuditPublicKeysResponse = z.object({
  keys: z.array(z.object({ store: z.string(), keyId: z.string(), publicKey: z.string() })),
});
export type AuditPublicKeysResponse = z.infer<typeof AuditPublicKeysResponse>;
