import type { PostureResponse } from '@enclave/protocol';
import { type Actor, hasDuty } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import { activePolicy } from '../policy/active.ts';
import type { CompiledPolicy } from '../policy/compile.ts';
import { unmetAsMember, unmetAsOwner } from './eligibility.ts';
import { fenceFor, loadCandidates } from './enforce.ts';

// The posture report (FE-8): what an auditor or the privacy team asks first
// about every channel of a workspace — where it lives, how big it is, where its
// members are, what personal data went through it — and every way it breaks
// the active policy's membership rules right now, each with a fix. Read-only;
// names of channels are screened content, shown to the privacy team only.

const DECISIONS = ['policy.decided', 'policy.blocked', 'policy.quarantined'];
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_IDS = 50;

type ChannelPosture = PostureResponse['channels'][number];
type Violation = ChannelPosture['violations'][number];

export async function posture(
  services: Services,
  actor: Actor,
  q: { workspaceId: string; since?: string | undefined; until?: string | undefined },
): Promise<PostureResponse> {
  if (!hasDuty(actor, 'reviewer') && !hasDuty(actor, 'auditor'))
    throw new AppError(
      'FORBIDDEN',
      'Only the privacy team (reviewers, auditors, administrators) sees posture.',
    );
  const until = q.until ? new Date(q.until) : new Date();
  const since = q.since ? new Date(q.since) : new Date(until.getTime() - 30 * DAY_MS);
  if (since >= until)
    throw new AppError('VALIDATION_FAILED', undefined, {
      issues: [{ path: 'query.since', problem: 'must be before until' }],
    });
  const ws = await services.stores.directory
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', q.workspaceId)
    .executeTakeFirst();
  if (!ws) throw new AppError('WORKSPACE_NOT_FOUND');
  const policy = await activePolicy(services);
  const routes = await services.stores.directory
    .selectFrom('channels')
    .select(['id', 'region'])
    .where('workspace_id', '=', q.workspaceId)
    .execute();
  const regions = [...new Set(routes.map((r) => r.region))];
  const perRegion = await Promise.all(
    regions.map((region) =>
      regionPosture(
        services,
        policy,
        q.workspaceId,
        region,
        routes.filter((r) => r.region === region).map((r) => r.id),
        since,
        until,
      ),
    ),
  );
  return {
    workspaceId: q.workspaceId,
    since: since.toISOString(),
    until: until.toISOString(),
    policyVersion: policy.version,
    channels: perRegion
      .flat()
      .sort((a, b) => b.violations.length - a.violations.length || a.name.localeCompare(b.name)),
  };
}

async function regionPosture(
  services: Services,
  policy: CompiledPolicy,
  workspaceId: string,
  region: string,
  ids: string[],
  since: Date,
  until: Date,
): Promise<ChannelPosture[]> {
  if (!ids.length) return [];
  const db = services.stores.region(region);
  const [channels, members, decisions] = await Promise.all([
    db.selectFrom('channels').selectAll().where('id', 'in', ids).execute(),
    db
      .selectFrom('channel_members')
      .select(['channel_id', 'user_id', 'role'])
      .where('channel_id', 'in', ids)
      .execute(),
    db
      .selectFrom('audit_events')
      .select(['channel_id', 'action', 'details'])
      .where('channel_id', 'in', ids)
      .where('action', 'in', DECISIONS)
      .where('at', '>=', since)
      .where('at', '<', until)
      .execute(),
  ]);
  const people = await loadCandidates(services, workspaceId, [...new Set(members.map((m) => m.user_id))]);
  const out: ChannelPosture[] = [];
  for (const c of channels) {
    const fence = await fenceFor(services, c.label, region);
    const mine = members.filter((m) => m.channel_id === c.id);
    const countries: Record<string, number> = {};
    const ineligible: string[] = [];
    const badOwners: string[] = [];
    for (const m of mine) {
      const p = people.get(m.user_id);
      const country = p?.attributes.country ?? 'unknown';
      countries[country] = (countries[country] ?? 0) + 1;
      if (!p || unmetAsMember(fence.rules, fence.ctx, p).length) ineligible.push(m.user_id);
      else if (m.role === 'owner' && unmetAsOwner(fence.rules, fence.ctx, p).length)
        badOwners.push(m.user_id);
    }
    const findings: Record<string, number> = {};
    // Types that were stored (sent, edited), as opposed to refused or held.
    const stored = new Set<string>();
    for (const d of decisions) {
      if (d.channel_id !== c.id) continue;
      for (const type of (d.details as { types?: string[] }).types ?? []) {
        findings[type] = (findings[type] ?? 0) + 1;
        if (d.action === 'policy.decided') stored.add(type);
      }
    }
    const violations: Violation[] = [];
    const max = fence.rules.maxMembers;
    if (max !== null && mine.length > max)
      violations.push({
        kind: 'oversize',
        message: `${mine.length} members; ${c.label} channels allow at most ${max}.`,
        suggestedFix: `Remove ${mine.length - max} members, or split the channel.`,
      });
    if (ineligible.length)
      violations.push({
        kind: 'ineligible_members',
        message: `${ineligible.length} members do not meet the ${c.label} rules (their access is suspended).`,
        suggestedFix:
          'Remove them, correct their attributes if wrong, or move the work to a channel whose rules fit.',
        userIds: ineligible.slice(0, MAX_IDS),
      });
    if (badOwners.length)
      violations.push({
        kind: 'owner_outside_rules',
        message: `${badOwners.length} owners do not meet who may own a ${c.label} channel.`,
        suggestedFix:
          "Transfer ownership to a member located in the channel's region (or with the clearance needed).",
        userIds: badOwners.slice(0, MAX_IDS),
      });
    if (!mine.some((m) => m.role === 'owner') && c.kind !== 'dm' && c.kind !== 'group_dm')
      violations.push({
        kind: 'no_owner',
        message: 'The channel has no owner.',
        suggestedFix: 'Make a qualifying member the owner.',
      });
    const blocked = [...stored].filter((type) => blockedAt(policy, c.label, type)).sort();
    if (blocked.length)
      violations.push({
        kind: 'data_type_not_allowed',
        message: `In this period it held data the policy now blocks at ${c.label}: ${blocked.join(', ')}.`,
        suggestedFix: `Raise the label to ${lowestAllowing(policy, blocked) ?? 'a label that allows it'}, or erase the data subjects concerned.`,
        types: blocked,
      });
    out.push({
      channelId: c.id,
      name: c.name,
      kind: c.kind,
      region,
      label: c.label,
      archived: c.archived_at !== null,
      memberCount: mine.length,
      maxMembers: max,
      memberCountries: countries,
      findingsByType: findings,
      violations,
    });
  }
  return out;
}

/** The policy blocks a confident finding of `type` at `label` (its highest band). */
function blockedAt(policy: CompiledPolicy, label: string, type: string): boolean {
  const cells = policy.table.get(label)?.get(type);
  return cells?.[cells.length - 1]?.action === 'block';
}

function lowestAllowing(policy: CompiledPolicy, types: string[]): string | undefined {
  return policy.labels.find((l) => types.every((t) => !blockedAt(policy, l, t)));
}
