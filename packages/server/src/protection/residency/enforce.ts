import type { WorkspaceRole } from '@enclave/protocol';
import { auditRegionDenied } from '../../audit/record.ts';
import type { Actor } from '../../auth/actor.ts';
import { attributesOf } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import { activePolicy } from '../policy/active.ts';
import { membershipRules } from '../policy/compile.ts';
import type { MembershipRules } from '../policy/schema.ts';
import {
  type Candidate,
  type ChannelContext,
  type Unmet,
  unmetAsMember,
  unmetAsOwner,
} from './eligibility.ts';
import { jurisdictions } from './jurisdictions.ts';

// The server side of the channel rules (FE-4, FE-5): loads the rules and the
// people, refuses with the reasons, and audits the refusal.

export interface Fence {
  rules: MembershipRules;
  ctx: ChannelContext;
  policyVersion: number | null;
}

const jurisdictionCache = new WeakMap<Services, ReturnType<typeof jurisdictions>>();

function jurisdictionFor(services: Services, region: string): ReadonlySet<string> {
  let all = jurisdictionCache.get(services);
  if (!all) {
    all = jurisdictions(services.config.regions);
    jurisdictionCache.set(services, all);
  }
  return all.get(region) ?? new Set();
}

export async function fenceFor(services: Services, label: string, region: string): Promise<Fence> {
  const policy = await activePolicy(services);
  return {
    rules: membershipRules(policy, label),
    ctx: { label, region, jurisdiction: jurisdictionFor(services, region) },
    policyVersion: policy.version,
  };
}

/** Why the actor may not use the channel now (FE-5); empty = may. */
export function readerUnmet(fence: Fence, actor: Actor, workspaceRole: WorkspaceRole): Unmet[] {
  return unmetAsMember(fence.rules, fence.ctx, { attributes: actor.attributes, workspaceRole });
}

/**
 * The labels of `region` whose rules admit the actor, or null when every label
 * does (the common case). The one-statement send checks the channel's label
 * against this list inside its SQL, so it needs no extra round trip (FE-5).
 */
export async function admittedLabels(
  services: Services,
  actor: Actor,
  region: string,
  workspaceRole: WorkspaceRole,
): Promise<string[] | null> {
  const policy = await activePolicy(services);
  const jurisdiction = jurisdictionFor(services, region);
  const person = { attributes: actor.attributes, workspaceRole };
  const admitted = [...policy.membership].filter(
    ([label, rules]) => unmetAsMember(rules, { label, region, jurisdiction }, person).length === 0,
  );
  return admitted.length === policy.membership.size ? null : admitted.map(([label]) => label);
}

/** People of a workspace as the rules see them (attributes and workspace role). */
export async function loadCandidates(
  services: Services,
  workspaceId: string,
  userIds: readonly string[],
): Promise<Map<string, Candidate>> {
  if (!userIds.length) return new Map();
  const rows = await services.stores.directory
    .selectFrom('users as u')
    .innerJoin('workspace_members as m', (j) =>
      j.onRef('m.user_id', '=', 'u.id').on('m.workspace_id', '=', workspaceId),
    )
    .select(['u.id', 'u.country', 'u.org_unit', 'u.clearance', 'm.role'])
    .where('u.id', 'in', [...userIds])
    .execute();
  return new Map(rows.map((r) => [r.id, { attributes: attributesOf(r), workspaceRole: r.role }]));
}

export interface Refusal {
  userId: string;
  unmet: Unmet[];
}

/** Each person's unmet rules (as member, or as owner for `owners`); people who qualify are left out. */
export function refusals(
  fence: Fence,
  candidates: ReadonlyMap<string, Candidate>,
  owners: ReadonlySet<string> = new Set(),
): Refusal[] {
  const out: Refusal[] = [];
  for (const [userId, c] of candidates) {
    const unmet = owners.has(userId)
      ? unmetAsOwner(fence.rules, fence.ctx, c)
      : unmetAsMember(fence.rules, fence.ctx, c);
    if (unmet.length) out.push({ userId, unmet });
  }
  return out;
}

/**
 * Refuses a way in (join, add, DM, ownership, upgrade) when someone does not
 * qualify: audited as denied in the channel's region, then MEMBER_NOT_ELIGIBLE
 * with each person's unmet rules.
 */
export async function refuseIneligible(
  services: Services,
  actorId: string,
  channelId: string,
  fence: Fence,
  action: string,
  found: Refusal[],
): Promise<void> {
  if (!found.length) return;
  await auditRegionDenied(services.stores.region(fence.ctx.region), services.log, {
    actorId,
    action,
    targetType: 'channel',
    targetId: channelId,
    channelId,
    details: {
      label: fence.ctx.label,
      policyVersion: fence.policyVersion,
      people: found.slice(0, 20).map((r) => ({ userId: r.userId, rules: r.unmet.map((u) => u.rule) })),
      count: found.length,
    },
  });
  throw new AppError(
    'MEMBER_NOT_ELIGIBLE',
    found.length === 1 && found[0]!.userId === actorId
      ? `You do not meet this ${fence.ctx.label} channel's rules: ${found[0]!.unmet.map((u) => u.message).join('; ')}.`
      : undefined,
    { details: { label: fence.ctx.label, region: fence.ctx.region, people: found } },
  );
}

/** The member cap of the label (FE-6) as an error, or null while `members` is within it. */
export function overCap(fence: Fence, members: number): AppError | null {
  const limit = fence.rules.maxMembers;
  if (limit === null || members <= limit) return null;
  return new AppError(
    'CHANNEL_MEMBER_LIMIT',
    `This ${fence.ctx.label} channel allows at most ${limit} members; it would have ${members}.`,
    { details: { label: fence.ctx.label, limit, members } },
  );
}

/**
 * Runs a way in and audits a cap refusal as denied. The cap is checked inside
 * the transaction, on the locked member count, so two concurrent joins cannot
 * both take the last place; the refusal rolls that transaction back, so its
 * audit entry is written after, on its own.
 */
export async function auditingCap<T>(
  services: Services,
  actorId: string,
  channelId: string,
  fence: Fence,
  action: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.code === 'CHANNEL_MEMBER_LIMIT') {
      await auditRegionDenied(services.stores.region(fence.ctx.region), services.log, {
        actorId,
        action,
        targetType: 'channel',
        targetId: channelId,
        channelId,
        details: { ...(err.extra.details ?? {}), policyVersion: fence.policyVersion },
      });
    }
    throw err;
  }
}
