import type { ChannelKind, WorkspaceRole } from '@enclave/protocol';
import { AppError } from '../../lib/errors.ts';
import type { CompiledPolicy } from './compile.ts';
import { type GrantAnswer, principalsOf } from './decide.ts';
import type { Principal } from './schema.ts';

/**
 * May someone with these roles move a channel from one label to another (PO-2)?
 * "up" means towards the end of labels.order (more protected). The first
 * transition rule whose from/to/direction match decides; none: nobody.
 */
export function mayChangeLabel(
  policy: CompiledPolicy,
  from: string,
  to: string,
  principals: readonly Principal[],
): GrantAnswer {
  const rf = policy.rank.get(from);
  const rt = policy.rank.get(to);
  // A channel whose label the policy no longer has may move to any known label:
  // that only ever repairs it (decide() blocks everything in it meanwhile).
  const direction = rf === undefined || rt === undefined ? undefined : rt > rf ? 'up' : 'down';
  const t = policy.transitions.find(
    (t) =>
      (t.from === null || t.from.has(from)) &&
      (t.to === null || t.to.has(to)) &&
      (t.direction === undefined || t.direction === direction),
  );
  if (!t) return { allowed: false, ruleId: null };
  return {
    allowed: principals.some((p) => t.by.has(p)) && !principals.some((p) => t.except.has(p)),
    ruleId: t.id,
  };
}

/**
 * The label a new channel gets (PO-2.2): the policy's default for its kind, or
 * the one asked for. Asking for a less protected label than the default is a
 * downgrade the creator (who becomes the channel's owner) must be allowed to make.
 */
export function labelForNewChannel(
  policy: CompiledPolicy,
  kind: ChannelKind,
  requested: string | undefined,
  workspaceRole: WorkspaceRole,
): string {
  const fallback = policy.defaults[kind];
  if (requested === undefined || requested === fallback) return fallback;
  if (!policy.rank.has(requested)) throw unknownLabel(policy, 'body.label');
  if (policy.rank.get(requested)! < policy.rank.get(fallback)!) {
    const owner = principalsOf(workspaceRole, kind === 'dm' || kind === 'group_dm' ? 'member' : 'owner');
    if (!mayChangeLabel(policy, fallback, requested, owner).allowed)
      throw new AppError(
        'LABEL_CHANGE_FORBIDDEN',
        `The policy does not let you create a ${kind} channel below its default label "${fallback}".`,
      );
  }
  return requested;
}

export function unknownLabel(policy: CompiledPolicy, path: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Unknown label.', {
    issues: [{ path, problem: `not a label of the active policy (${policy.labels.join(', ')})` }],
  });
}
