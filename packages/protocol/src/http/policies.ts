import { z } from 'zod';
import { Id, IsoDate, LabelName } from '../common.ts';

// The policy API (instance admins) and label changes. The policy document
// itself is YAML validated on the server: docs/data-protection/policy.md.

export const POLICY_ACTIONS = ['allow', 'warn', 'tokenise', 'quarantine', 'block'] as const;
export const PolicyAction = z.enum(POLICY_ACTIONS);
export type PolicyAction = z.infer<typeof PolicyAction>;

/** The largest policy document accepted (a realistic one is a few KB). */
export const MAX_POLICY_BYTES = 256 * 1024;

export const PolicyVersion = z.object({
  version: z.number().int(),
  name: z.string(),
  /** sha256 of the YAML text, so two versions can be compared without reading them. */
  sha256: z.string(),
  /** Null for the built-in default stored on first start. */
  author: Id.nullable(),
  createdAt: IsoDate,
  /** When it was last activated (null if never). */
  activatedAt: IsoDate.nullable(),
  active: z.boolean(),
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

export const PolicyVersionDetail = PolicyVersion.extend({
  yaml: z.string(),
  /** The policy's labels, least to most protected. */
  labels: z.array(LabelName),
});
export type PolicyVersionDetail = z.infer<typeof PolicyVersionDetail>;

/** One problem in a policy document: where (1-based line/column in the YAML) and what. */
export const PolicyIssue = z.object({
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  problem: z.string(),
});
export type PolicyIssue = z.infer<typeof PolicyIssue>;

export const PolicyListResponse = z.object({ policies: z.array(PolicyVersion) });
export const PolicyResponse = z.object({ policy: PolicyVersionDetail });
export const CreatePolicyBody = z.strictObject({ yaml: z.string().min(1).max(MAX_POLICY_BYTES) });

const ActionCounts = z.object({
  allow: z.number().int(),
  warn: z.number().int(),
  tokenise: z.number().int(),
  quarantine: z.number().int(),
  block: z.number().int(),
});
export type ActionCounts = z.infer<typeof ActionCounts>;

const Comparison = z.object({ scanned: z.number().int(), candidate: ActionCounts, active: ActionCounts });

export const PolicyDryRunBody = z
  .strictObject({
    /** A candidate policy as YAML text… */
    yaml: z.string().min(1).max(MAX_POLICY_BYTES).optional(),
    /** …or a stored version. */
    version: z.number().int().min(1).optional(),
    /** Only channels of this workspace (default: every workspace). */
    workspaceId: Id.optional(),
    /** Most recent messages scanned per region. */
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .refine((b) => (b.yaml === undefined) !== (b.version === undefined), 'give exactly one of yaml, version');

/** Counts only: a dry run never returns message text or detected values. */
export const PolicyDryRunResponse = z.object({
  candidate: z.object({ version: z.number().int().nullable(), name: z.string() }),
  active: z.object({ version: z.number().int(), name: z.string() }),
  /** Messages whose action differs between the candidate and the active policy. */
  changed: z.number().int(),
  totals: Comparison,
  byLabel: z.array(Comparison.extend({ label: z.string() })),
  byChannel: z.array(
    Comparison.extend({ channelId: Id, workspaceId: Id, region: z.string(), label: z.string() }),
  ),
});
export type PolicyDryRunResponse = z.infer<typeof PolicyDryRunResponse>;

export const ChangeLabelBody = z.strictObject({ label: LabelName });
