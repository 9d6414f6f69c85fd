import type { WorkspaceRole } from '@enclave/protocol';
import { type Actor, hasDuty } from '../auth/actor.ts';
import { AppError } from '../lib/errors.ts';
import { activePolicy } from '../protection/policy/active.ts';
import { mayOverride, principalsOf } from '../protection/policy/decide.ts';
import type { Services } from '../services.ts';
import type { QuarantineDecision } from '../store/tables.ts';

// Who may review a held message (PL-6, PO-5): people with the reviewer duty
// (and instance admins) everywhere; otherwise whoever the active policy's
// `overrides` let release a `quarantine` decision for every held finding's type
// at the channel's label, given their workspace and channel roles (the default:
// workspace owners and admins, in their own workspaces). Never the author.

export interface HeldRef {
  author_id: string;
  channel_id: string;
  decision: QuarantineDecision;
}

interface Context {
  label: string;
  workspaceRole: WorkspaceRole | undefined;
  channelRole: 'owner' | 'admin' | 'member' | undefined;
}

async function contextOf(
  services: Services,
  actor: Actor,
  region: string,
  channelId: string,
): Promise<Context> {
  const db = services.stores.region(region);
  const channel = await db
    .selectFrom('channels as c')
    .leftJoin('channel_members as m', (j) =>
      j.onRef('m.channel_id', '=', 'c.id').on('m.user_id', '=', actor.userId),
    )
    .select(['c.label', 'c.workspace_id', 'm.role'])
    .where('c.id', '=', channelId)
    .executeTakeFirst();
  if (!channel) return { label: '', workspaceRole: undefined, channelRole: undefined };
  const ws = await services.stores.directory
    .selectFrom('workspace_members')
    .select('role')
    .where('workspace_id', '=', channel.workspace_id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  return { label: channel.label, workspaceRole: ws?.role, channelRole: channel.role ?? undefined };
}

/** Whether `actor` may read and decide this held message. */
export async function mayReview(
  services: Services,
  actor: Actor,
  region: string,
  held: HeldRef,
): Promise<boolean> {
  if (held.author_id === actor.userId) return false;
  if (hasDuty(actor, 'reviewer')) return true;
  const ctx = await contextOf(services, actor, region, held.channel_id);
  if (!ctx.workspaceRole) return false;
  const policy = await activePolicy(services);
  const principals = principalsOf(ctx.workspaceRole, ctx.channelRole);
  const held_ = held.decision.findings.filter((f) => f.action === 'quarantine');
  return (
    held_.length > 0 &&
    held_.every(
      (f) =>
        mayOverride(policy, { action: 'quarantine', type: f.type, label: ctx.label }, principals).allowed,
    )
  );
}

/** Refuses a decision on someone's own message (403) or one they may not review (404: not revealed). */
export async function requireMayReview(services: Services, actor: Actor, region: string, held: HeldRef) {
  if (held.author_id === actor.userId)
    throw new AppError('FORBIDDEN', 'You cannot review your own held message; another reviewer decides.');
  if (!(await mayReview(services, actor, region, held))) throw new AppError('QUARANTINE_NOT_FOUND');
}

/**
 * Workspaces whose held messages the actor may see in the queue: every one for
 * reviewers (null); else those where their workspace role could be granted
 * the release by the policy — owners and admins by default, every membership
 * if a rule grants it to a channel role. Each item is then checked with
 * mayReview. Someone with no such workspace is refused (403).
 */
export async function reviewableWorkspaces(services: Services, actor: Actor): Promise<string[] | null> {
  if (hasDuty(actor, 'reviewer')) return null;
  const policy = await activePolicy(services);
  const grants = policy.overrides.filter((g) => g.actions === null || g.actions.has('quarantine'));
  const byChannelRole = grants.some((g) => [...g.by].some((p) => p.startsWith('channel:')));
  const rows = await services.stores.directory
    .selectFrom('workspace_members')
    .select(['workspace_id', 'role'])
    .where('user_id', '=', actor.userId)
    .execute();
  const mine = rows
    .filter((r) => byChannelRole || grants.some((g) => g.by.has(`workspace:${r.role}`)))
    .map((r) => r.workspace_id);
  if (!mine.length)
    throw new AppError(
      'FORBIDDEN',
      'Only reviewers, and the roles the policy lets release held messages, review them.',
    );
  return mine;
}
