import { createHash } from 'node:crypto';
import { createDetector, type Detector, type Finding } from '@enclave/pii';
import type { ChannelRole, WorkspaceRole } from '@enclave/protocol';
import { auditRegionDenied } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { activePolicy, type Decision, decide, mayOverride, principalsOf } from './policy/index.ts';
import { checkJustification } from './vault/justification.ts';

// The first two steps of the one write pipeline: scan -> decide (ARCHITECTURE.md,
// docs/data-protection/pipeline.md). Every path that creates or changes content
// calls screenContent() before it writes; the caller then vaults `toTokenise`
// inside its region transaction (vaultFindings) and audits the decision there.

let shared: Detector | null = null;
/** One detector per process: it is pure and configured once. */
export function detector(): Detector {
  shared ??= createDetector();
  return shared;
}

export interface ScreenTarget {
  region: string;
  channelId: string;
  label: string;
  workspaceRole: WorkspaceRole;
  channelRole: ChannelRole | null;
}

export interface Confirmation {
  token: string;
  justification: string;
}

export interface Screened {
  decision: Decision;
  /** The findings whose values go to the vault instead of the stored text. */
  toTokenise: Finding[];
  /** The sender confirmed a warning; the justification goes into the audit row (its length, not its text). */
  confirmedJustificationLength: number | null;
  /** The policy holds this message for review: the caller stores it sealed in the quarantine queue. */
  held?: true;
  /** The sender overrode this decision (PO-5): the blocked values were tokenised instead. */
  overridden?: 'block';
}

export interface ScreenOptions {
  /** Message sends may be held for review; other content fails closed on quarantine. */
  mayHold?: boolean;
  /** A reviewer approved this held message: every finding is tokenised, nothing is refused. */
  approved?: boolean;
}

function tokenisable(f: Decision['findings'][number]): Finding {
  return {
    type: f.type,
    start: f.start,
    end: f.end,
    score: f.score,
    detector: f.detector,
    explanation: f.detection,
  };
}

/** Findings for clients: where and why, never the value. */
export function publicFindings(d: Decision) {
  return d.findings.map((f) => ({
    type: f.type,
    start: f.start,
    end: f.end,
    action: f.action,
    explanation: f.explanation,
  }));
}

const CONFIRM_TTL_MS = 10 * 60_000;

/**
 * A confirmation token binds the sender, the channel, the exact text and the
 * policy version, for ten minutes: a resubmission with it sends exactly what
 * was warned about, nothing else. Keyed by the region key, so any node of the
 * region accepts it and no other region does.
 */
async function confirmToken(
  services: Services,
  t: ScreenTarget,
  actorId: string,
  text: string,
  version: number | null,
  expires: number,
) {
  const digest = createHash('sha256').update(text).digest('base64url');
  const kek = await services.vault.keys.regionKey(t.region);
  const mac = await kek.keyedHash(
    'policy-confirmation',
    `${actorId}|${t.channelId}|${digest}|${version}|${expires}`,
  );
  return `${expires}.${mac.toString('base64url')}`;
}

async function confirmationValid(
  services: Services,
  t: ScreenTarget,
  actorId: string,
  text: string,
  version: number | null,
  token: string,
) {
  const [exp, mac] = token.split('.');
  const expires = Number(exp);
  if (!mac || !Number.isSafeInteger(expires) || expires < Date.now()) return false;
  return (await confirmToken(services, t, actorId, text, version, expires)) === token;
}

/**
 * Scans `text` and applies the active policy for the channel's label.
 * - quarantine: for message sends (options.mayHold) returns `held`, and the
 *   caller stores the message sealed for review (actions/quarantine.ts);
 *   elsewhere it fails closed like block.
 * - block: throws 422 POLICY_BLOCKED with the findings' types, spans and explanations;
 *   the refusal is audited (without values) and nothing else is written.
 * - warn without a valid confirmation: throws 409 POLICY_CONFIRM_REQUIRED with a
 *   confirmation token; with one (and a justification without personal data,
 *   from someone the policy lets override), the content proceeds.
 * - tokenise: returns the findings the caller must vault.
 */
export async function screenContent(
  services: Services,
  target: ScreenTarget,
  actorId: string,
  text: string,
  confirmation?: Confirmation,
  findings: Finding[] = detector().scan(text),
  options: ScreenOptions = {},
): Promise<Screened> {
  const policy = await activePolicy(services);
  const decision = decide(policy, target.label, findings);
  if (options.approved) {
    return {
      decision: { ...decision, action: 'tokenise' },
      toTokenise: decision.findings.map(tokenisable),
      confirmedJustificationLength: null,
    };
  }
  if (decision.action === 'quarantine' && options.mayHold) {
    return { decision, toTokenise: [], confirmedJustificationLength: null, held: true };
  }
  const types = [...new Set(decision.findings.map((f) => f.type))];
  const principals = principalsOf(target.workspaceRole, target.channelRole);
  // A block the policy lets this sender override (PO-5): refused like any block until they
  // resubmit with the confirmation token and a justification; the values are then vaulted.
  const overridable =
    decision.action === 'block' &&
    decision.findings
      .filter((f) => f.action === 'block')
      .every(
        (f) =>
          mayOverride(policy, { action: 'block', type: f.type, label: target.label }, principals).allowed,
      );
  const overridden =
    overridable &&
    confirmation !== undefined &&
    (await confirmationValid(services, target, actorId, text, decision.policyVersion, confirmation.token));
  if ((decision.action === 'block' && !overridden) || decision.action === 'quarantine') {
    await auditRegionDenied(services.stores.region(target.region), services.log, {
      actorId,
      action: 'policy.blocked',
      targetType: 'channel',
      targetId: target.channelId,
      channelId: target.channelId,
      details: {
        policyVersion: decision.policyVersion,
        decided: decision.action,
        types,
        count: findings.length,
        ...(overridable && { overridable: true }),
      },
    });
    const reviewQueue = decision.action === 'quarantine';
    const expires = Date.now() + CONFIRM_TTL_MS;
    throw new AppError(
      'POLICY_BLOCKED',
      reviewQueue
        ? 'This would be held for review, which only messages can be; it was not saved.'
        : decision.explanation,
      {
        details: {
          action: decision.action,
          policyVersion: decision.policyVersion,
          findings: publicFindings(decision),
          ...(overridable && {
            overridable: true,
            confirmationToken: await confirmToken(
              services,
              target,
              actorId,
              text,
              decision.policyVersion,
              expires,
            ),
            expiresAt: new Date(expires).toISOString(),
          }),
        },
      },
    );
  }
  let confirmedJustificationLength: number | null = null;
  if (decision.requiresConfirmation || overridden) {
    if (
      !confirmation ||
      !(await confirmationValid(services, target, actorId, text, decision.policyVersion, confirmation.token))
    ) {
      const expires = Date.now() + CONFIRM_TTL_MS;
      throw new AppError('POLICY_CONFIRM_REQUIRED', decision.explanation, {
        details: {
          confirmationToken: await confirmToken(
            services,
            target,
            actorId,
            text,
            decision.policyVersion,
            expires,
          ),
          expiresAt: new Date(expires).toISOString(),
          policyVersion: decision.policyVersion,
          findings: publicFindings(decision),
        },
      });
    }
    for (const f of decision.findings.filter((x) => x.action === 'warn')) {
      if (!mayOverride(policy, { action: 'warn', type: f.type, label: target.label }, principals).allowed) {
        throw new AppError('FORBIDDEN', 'The policy does not let you confirm this warning.');
      }
    }
    if (confirmation.justification.trim().length < 10) {
      throw new AppError('VALIDATION_FAILED', 'Give a justification of at least 10 characters.', {
        issues: [{ path: 'body.confirmation.justification', problem: 'at least 10 characters' }],
      });
    }
    checkJustification(confirmation.justification);
    confirmedJustificationLength = confirmation.justification.trim().length;
  }
  if (overridden) {
    // Past an overridden block every blocked value is vaulted: it is stored as a token, never raw.
    const asTokenise = decision.findings.map((f) =>
      f.action === 'block' ? { ...f, action: 'tokenise' as const } : f,
    );
    return {
      decision: { ...decision, action: 'tokenise', findings: asTokenise },
      toTokenise: asTokenise.filter((f) => f.action === 'tokenise').map(tokenisable),
      confirmedJustificationLength,
      overridden: 'block',
    };
  }
  return {
    decision,
    toTokenise: decision.findings.filter((f) => f.action === 'tokenise').map(tokenisable),
    confirmedJustificationLength,
  };
}
