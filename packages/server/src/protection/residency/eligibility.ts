import type { PersonAttributes, WorkspaceRole } from '@enclave/protocol';
import type { MembershipRules } from '../policy/schema.ts';

// Who qualifies for a channel of a label (FE-3, FE-4): a pure function of the
// label's rules, the channel region's jurisdiction and the person, so the same
// answer comes out at every way in (join, add, DM, upgrade, ownership), at
// every read and in the posture report. Unknown attributes never qualify for a
// rule that needs them (closed).

export interface Candidate {
  attributes: PersonAttributes;
  /** The person's role in the channel's workspace. */
  workspaceRole: WorkspaceRole;
}

export type RuleName =
  | 'country'
  | 'in_region'
  | 'org_unit'
  | 'clearance'
  | 'guest'
  | 'owner_in_region'
  | 'owner_clearance';

export interface Unmet {
  rule: RuleName;
  /** Says what the rule asks; the person's own attributes are staff data the admin set. */
  message: string;
}

export interface ChannelContext {
  label: string;
  region: string;
  jurisdiction: ReadonlySet<string>;
}

function list(values: Iterable<string>): string {
  const all = [...values];
  return all.length > 8 ? `${all.slice(0, 8).join(', ')} and ${all.length - 8} more` : all.join(', ');
}

/** What keeps `p` from being a member; empty = qualifies. */
export function unmetAsMember(rules: MembershipRules, ctx: ChannelContext, p: Candidate): Unmet[] {
  const unmet: Unmet[] = [];
  const { country, orgUnit, clearance } = p.attributes;
  if (rules.countries !== '*' && (!country || !rules.countries.includes(country)))
    unmet.push({
      rule: 'country',
      message: `${ctx.label} channels admit people located in ${list(rules.countries)} only${country ? '' : ' (no location is set)'}`,
    });
  if (!rules.crossRegion && (!country || !ctx.jurisdiction.has(country)))
    unmet.push({
      rule: 'in_region',
      message: `${ctx.label} channels admit only people located in the channel's region "${ctx.region}"${country ? '' : ' (no location is set)'}`,
    });
  if (rules.orgUnits !== '*' && (!orgUnit || !rules.orgUnits.includes(orgUnit)))
    unmet.push({
      rule: 'org_unit',
      message: `${ctx.label} channels admit the units ${list(rules.orgUnits)} only`,
    });
  if (clearance < rules.minClearance)
    unmet.push({
      rule: 'clearance',
      message: `${ctx.label} channels need clearance ${rules.minClearance} or higher`,
    });
  if (!rules.guests && p.workspaceRole === 'guest')
    unmet.push({ rule: 'guest', message: `${ctx.label} channels admit no guests` });
  return unmet;
}

/** What keeps `p` from owning the channel (member rules included); empty = may own. */
export function unmetAsOwner(rules: MembershipRules, ctx: ChannelContext, p: Candidate): Unmet[] {
  const unmet = unmetAsMember(rules, ctx, p);
  const { country, clearance } = p.attributes;
  if (rules.owners.inRegion && (!country || !ctx.jurisdiction.has(country)))
    unmet.push({
      rule: 'owner_in_region',
      message: `owners of ${ctx.label} channels must be located in the channel's region "${ctx.region}"`,
    });
  if (clearance < rules.owners.minClearance)
    unmet.push({
      rule: 'owner_clearance',
      message: `owners of ${ctx.label} channels need clearance ${rules.owners.minClearance} or higher`,
    });
  return unmet;
}

/** True when the rules cannot refuse anyone (the common case: skip the lookups). */
export function admitsEveryone(rules: MembershipRules): boolean {
  return (
    rules.countries === '*' &&
    rules.crossRegion &&
    rules.orgUnits === '*' &&
    rules.minClearance === 0 &&
    rules.guests
  );
}
