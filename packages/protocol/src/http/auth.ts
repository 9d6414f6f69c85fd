import { z } from 'zod';
import { DisplayName, Email, Id, IsoDate, Password, TokenScope, WorkspaceRole } from '../common.ts';
import { CountryCode } from '../countries.ts';
import { AccessToken, Invitation, Session, User, Workspace } from '../entities.ts';

export const SetupStatusResponse = z.object({ setupRequired: z.boolean() });

export const SetupBody = z.strictObject({
  token: z.string().min(16).max(200),
  email: Email,
  password: Password,
  displayName: DisplayName,
  workspaceName: z.string().trim().min(1).max(80),
  /** Where the first administrator works from (the channel rules need it; can be set later). */
  country: CountryCode.optional(),
});

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(256) });

export const SessionResponse = z.object({ user: User, csrfToken: z.string(), session: Session });

export const SessionListResponse = z.object({ sessions: z.array(Session) });

export const UpdateMeBody = z.strictObject({ displayName: DisplayName.optional() });

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});

export const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(TokenScope).min(1),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** The secret is shown once, at creation. */
export const CreatedTokenResponse = z.object({ token: z.string(), accessToken: AccessToken });
export const TokenListResponse = z.object({ tokens: z.array(AccessToken) });

export const CreateBotBody = z.strictObject({
  displayName: DisplayName,
  scopes: z.array(TokenScope).min(1),
});
export const CreatedBotResponse = z.object({ user: User, token: z.string(), accessToken: AccessToken });
/** A workspace's bots with their active tokens (never the secrets). */
export const BotListResponse = z.object({
  bots: z.array(z.object({ user: User, accessTokens: z.array(AccessToken) })),
});

export const CreateInvitationBody = z.strictObject({
  role: WorkspaceRole.exclude(['owner']).default('member'),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24 * 7),
  maxUses: z.number().int().min(1).max(1000).default(1),
});
export const CreatedInvitationResponse = z.object({
  invitation: Invitation,
  token: z.string(),
  url: z.string(),
});
export const InvitationListResponse = z.object({ invitations: z.array(Invitation) });

/**
 * Invitation secrets travel in the query string, never in the path: request
 * paths are logged, query strings are not.
 */
export const InvitationTokenQuery = z.strictObject({ token: z.string().min(1).max(200) });

export const InvitationPreviewResponse = z.object({
  workspace: z.object({ id: Id, name: z.string() }),
  role: WorkspaceRole,
  expiresAt: IsoDate,
});

/** Accept as a new account (no session) or as the signed-in user (empty body). */
export const AcceptInvitationBody = z.union([
  z.strictObject({ email: Email, password: Password, displayName: DisplayName }),
  z.strictObject({}),
]);
export const AcceptInvitationResponse = z.object({
  user: User,
  workspace: Workspace,
  csrfToken: z.string().nullable(),
});
