// The policy engine (docs/data-protection/policy.md). What the write pipeline
// and the CLI use; everything else in this folder is an implementation detail.
export { activePolicy, forgetActivePolicy } from './active.ts';
export { changeChannelLabel } from './change-label.ts';
export { bandIndex, type CompiledPolicy } from './compile.ts';
export {
  ACTION_ORDER,
  type DecidedFinding,
  type Decision,
  decide,
  mayOverride,
  mayReveal,
  moreSevere,
  principalsOf,
} from './decide.ts';
export { DEFAULT_POLICY_PATH, defaultPolicyYaml } from './default-policy.ts';
export { explainFinding, typeName } from './explain.ts';
export { labelForNewChannel, mayChangeLabel } from './labels.ts';
export { formatIssues, mustParsePolicy, type ParseResult, parsePolicy } from './parse.ts';
export { PRINCIPALS, type Principal } from './schema.ts';

import type { Services } from '../../services.ts';
import type { RevealPolicy } from '../vault/reveal-policy.ts';
import { activePolicy as active } from './active.ts';
import { principalsOf as principals, mayReveal as reveal } from './decide.ts';

/** The vault's reveal question answered by the active policy's `reveal` rules (PO-6). */
export function policyRevealRule(services: Services): RevealPolicy {
  return async (ctx) => {
    const policy = await active(services);
    return reveal(
      policy,
      { type: ctx.type, label: ctx.label ?? '' },
      principals(ctx.workspaceRole, ctx.channelRole),
    ).allowed;
  };
}
