import type { Finding } from '@enclave/pii';
import { ChannelRole, type PolicyAction, type WorkspaceRole } from '@enclave/protocol';
import { bandIndex, type Cell, type CompiledGrant, type CompiledPolicy, OTHER_TYPE } from './compile.ts';
import { explainFinding, explainMessage } from './explain.ts';
import type { Principal } from './schema.ts';

/**
 * Severity, least to most (PO-3). Each step keeps less of what was written in
 * circulation: `warn` still delivers the raw value (after the sender confirms),
 * `tokenise` delivers the message but never the value, `quarantine` delivers
 * nothing until a reviewer decides, `block` stores nothing at all. A message
 * takes the most severe action of its findings.
 */
export const ACTION_ORDER: readonly PolicyAction[] = ['allow', 'warn', 'tokenise', 'quarantine', 'block'];
const SEVERITY: Record<PolicyAction, number> = { allow: 0, warn: 1, tokenise: 2, quarantine: 3, block: 4 };

export function moreSevere(a: PolicyAction, b: PolicyAction): PolicyAction {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

export interface DecidedFinding extends Omit<Finding, 'explanation'> {
  /** The detector's own reason (what matched, which context word): for reviewers. */
  detection: string;
  band: string;
  action: PolicyAction;
  /** The policy rule that decided it ("fallback" when none matched, "unknown-label" when the label is not in the policy). */
  ruleId: string;
  /** For the sender: what happens to this finding and why. Never contains the value. */
  explanation: string;
}

export interface Decision {
  action: PolicyAction;
  findings: DecidedFinding[];
  policyVersion: number | null;
  /** For the sender: one sentence about the whole message. */
  explanation: string;
  /**
   * Some finding is `warn` and the message is not stopped (block/quarantine):
   * the sender must confirm with a justification even when the message is tokenised.
   */
  requiresConfirmation: boolean;
}

/**
 * The policy's verdict on one message (PO-3). Pure and cheap: a map lookup
 * per finding. A label the policy does not know fails closed: every finding
 * is blocked (PO-2.4).
 */
export function decide(policy: CompiledPolicy, label: string, findings: readonly Finding[]): Decision {
  const byType = policy.table.get(label);
  let action: PolicyAction = 'allow';
  let warned = false;
  const decided = findings.map((f): DecidedFinding => {
    const b = bandIndex(policy, f.score);
    const cell: Cell = byType
      ? (byType.get(f.type) ?? byType.get(OTHER_TYPE)!)[b]!
      : {
          action: 'block',
          ruleId: 'unknown-label',
          reason: `the label "${label}" is not in the active policy`,
        };
    action = moreSevere(action, cell.action);
    if (cell.action === 'warn') warned = true;
    // Built field by field: an object spread here costs more than the rest of decide().
    return {
      type: f.type,
      start: f.start,
      end: f.end,
      score: f.score,
      detector: f.detector,
      detection: f.explanation,
      band: policy.bands[b]!.name,
      action: cell.action,
      ruleId: cell.ruleId,
      explanation: cell.explanation ?? explainFinding(f.type, cell.action, label, cell.reason),
    };
  });
  return {
    action,
    findings: decided,
    policyVersion: policy.version,
    explanation: explainMessage(action, label, decided),
    requiresConfirmation: warned && SEVERITY[action] < SEVERITY.quarantine,
  };
}

/** The roles a person holds where a decision is made: their workspace role and channel role (if a member). */
export function principalsOf(
  workspaceRole: WorkspaceRole,
  channelRole: ChannelRole | null | undefined,
): Principal[] {
  const out: Principal[] = [`workspace:${workspaceRole}`];
  if (channelRole && ChannelRole.options.includes(channelRole)) out.push(`channel:${channelRole}`);
  return out;
}

export interface GrantAnswer {
  allowed: boolean;
  /** The rule that decided, or null when none matched (nobody may). */
  ruleId: string | null;
}

function firstGrant(
  grants: readonly CompiledGrant[],
  principals: readonly Principal[],
  match: (g: CompiledGrant) => boolean,
): GrantAnswer {
  const g = grants.find(match);
  if (!g) return { allowed: false, ruleId: null };
  const allowed = principals.some((p) => g.by.has(p)) && !principals.some((p) => g.except.has(p));
  return { allowed, ruleId: g.id };
}

/**
 * May someone with these roles proceed past `action` on a finding of `type`
 * in a `label` channel (PO-5)? For `warn` this means confirming; for the
 * others, sending anyway. The first matching override rule decides; none: nobody.
 */
export function mayOverride(
  policy: CompiledPolicy,
  q: { action: PolicyAction; type: string; label: string },
  principals: readonly Principal[],
): GrantAnswer {
  return firstGrant(
    policy.overrides,
    principals,
    (g) =>
      (g.actions === null || g.actions.has(q.action)) &&
      (g.types === null || g.types.has(q.type)) &&
      (g.labels === null || g.labels.has(q.label)),
  );
}

/** May someone with these roles reveal a vaulted value of `type` in a `label` channel (PO-6)? */
export function mayReveal(
  policy: CompiledPolicy,
  q: { type: string; label: string },
  principals: readonly Principal[],
): GrantAnswer {
  return firstGrant(
    policy.reveal,
    principals,
    (g) => (g.types === null || g.types.has(q.type)) && (g.labels === null || g.labels.has(q.label)),
  );
}
