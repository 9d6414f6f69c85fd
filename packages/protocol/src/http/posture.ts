import { z } from 'zod';
import { ChannelKind, Id, IsoDate, LabelName, RegionId } from '../common.ts';

// The posture report (docs/data-protection/fencing.md, FE-8): per channel, where
// it lives, who is in it and from where, what personal data went through it,
// and every current violation of the policy's membership rules with a fix.

export const PostureQuery = z.strictObject({
  workspaceId: Id,
  /** Findings counted from this time (default: 30 days ago) ... */
  since: IsoDate.optional(),
  /** ... until this time (default: now). */
  until: IsoDate.optional(),
});

export const PostureViolation = z.object({
  kind: z.enum([
    'oversize',
    'ineligible_members',
    'owner_outside_rules',
    'no_owner',
    'data_type_not_allowed',
  ]),
  message: z.string(),
  suggestedFix: z.string(),
  /** People concerned (ineligible members, owners outside the rules), at most 50. */
  userIds: z.array(Id).optional(),
  /** Entity types concerned (data_type_not_allowed). */
  types: z.array(z.string()).optional(),
});

export const ChannelPosture = z.object({
  channelId: Id,
  name: z.string(),
  kind: ChannelKind,
  region: RegionId,
  label: LabelName,
  archived: z.boolean(),
  memberCount: z.number().int(),
  maxMembers: z.number().int().nullable(),
  /** Country code -> members located there; "unknown" for people with no location set. */
  memberCountries: z.record(z.string(), z.number().int()),
  /** Entity type -> number of decisions (sends, edits, refusals) that found it in the period. */
  findingsByType: z.record(z.string(), z.number().int()),
  violations: z.array(PostureViolation),
});

export const PostureResponse = z.object({
  workspaceId: Id,
  since: IsoDate,
  until: IsoDate,
  policyVersion: z.number().int().nullable(),
  channels: z.array(ChannelPosture),
});
export type PostureResponse = z.infer<typeof PostureResponse>;
