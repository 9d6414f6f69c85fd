import type { ChannelRole, WorkspaceRole } from '@enclave/protocol';

// Who may reveal which types (VA-11). The server asks the active policy document
// (app.ts wires policyRevealRule); the conservative default below is what the
// vault uses on its own (tools, tests of the vault alone). Membership of the channel is checked
// before the policy is asked: a policy can only narrow who sees values.

export interface RevealContext {
  channelRole: ChannelRole;
  workspaceRole: WorkspaceRole;
  /** The entity type of the value, e.g. "EMAIL_ADDRESS". */
  type: string;
  /** The channel's classification label, when labels exist (null before that). */
  label: string | null;
}

export type RevealPolicy = (ctx: RevealContext) => boolean | Promise<boolean>;

/** Channel owners/admins and workspace owners/admins; never guests. */
export const defaultRevealPolicy: RevealPolicy = (ctx) =>
  ctx.workspaceRole !== 'guest' &&
  (ctx.channelRole === 'owner' ||
    ctx.channelRole === 'admin' ||
    ctx.workspaceRole === 'owner' ||
    ctx.workspaceRole === 'admin');
