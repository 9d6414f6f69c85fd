import {
  AcceptInvitationBody,
  AcceptInvitationResponse,
  CreatedInvitationResponse,
  CreateInvitationBody,
  InvitationListResponse,
  InvitationPreviewResponse,
  InvitationTokenQuery,
} from '@enclave/protocol';
import { z } from 'zod';
import { workspaceFor } from '../../access/workspaces.ts';
import {
  acceptAsNewAccount,
  acceptAsUser,
  createInvitation,
  findUsableInvitation,
  revokeInvitation,
} from '../../actions/invitations.ts';
import { joinDefaultChannels } from '../../actions/memberships.ts';
import { setSessionCookie } from '../../auth/cookies.ts';
import { AppError } from '../../lib/errors.ts';
import { presentInvitation } from '../../presenters/accounts.ts';
import { presentUser, presentWorkspace, USER_COLUMNS } from '../../presenters/users.ts';
import { publicRoute, route } from '../route.ts';
import { WorkspaceParams } from './workspaces.ts';

type NewAccount = { email: string; password: string; displayName: string };
const isNewAccount = (b: object): b is NewAccount => 'email' in b;

const InvitationParams = z.strictObject({ workspaceId: z.uuid(), invitationId: z.uuid() });
// Invitation secrets are 256-bit, so this only blunts scanners; it is per client address.
const PUBLIC_LIMIT = { max: 60, timeWindow: 60_000 };

export const invitationRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/workspaces/:workspaceId/invitations',
    summary: 'Create an invitation link (owners and admins). The link is in this response only.',
    tag: 'invitations',
    auth: 'user',
    scope: 'admin',
    params: WorkspaceParams,
    body: CreateInvitationBody,
    response: CreatedInvitationResponse,
    status: 201,
    handler: async ({ services, actor, params, body }) => {
      await workspaceFor(services, actor, params.workspaceId, 'admin');
      return createInvitation(services, actor.userId, params.workspaceId, body);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/invitations',
    summary: 'Invitations that can still be used (owners and admins).',
    tag: 'invitations',
    auth: 'user',
    params: WorkspaceParams,
    response: InvitationListResponse,
    handler: async ({ services, actor, params }) => {
      await workspaceFor(services, actor, params.workspaceId, 'admin');
      const rows = await services.stores.directory
        .selectFrom('invitations')
        .selectAll()
        .where('workspace_id', '=', params.workspaceId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .where((eb) => eb('uses', '<', eb.ref('max_uses')))
        .orderBy('created_at', 'desc')
        .execute();
      return { invitations: rows.map(presentInvitation) };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/workspaces/:workspaceId/invitations/:invitationId',
    summary: 'Revoke an invitation; its link stops working at once.',
    tag: 'invitations',
    auth: 'user',
    scope: 'admin',
    params: InvitationParams,
    handler: async ({ services, actor, params }) => {
      await workspaceFor(services, actor, params.workspaceId, 'admin');
      await revokeInvitation(services, actor.userId, params.workspaceId, params.invitationId);
      return undefined;
    },
  }),
  publicRoute({
    method: 'GET',
    url: '/api/v1/invitations/preview',
    summary: 'What an invitation link leads to (workspace name, role, expiry); no sign-in needed.',
    tag: 'invitations',
    auth: 'none',
    query: InvitationTokenQuery,
    response: InvitationPreviewResponse,
    rateLimit: PUBLIC_LIMIT,
    handler: async ({ services, query }) => {
      const inv = await findUsableInvitation(services.stores.directory, query.token);
      return {
        workspace: { id: inv.workspace_id, name: inv.workspace_name },
        role: inv.role,
        expiresAt: inv.expires_at.toISOString(),
      };
    },
  }),
  publicRoute({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    summary:
      'Accept an invitation: with email, password and display name to create an account (sets the session cookie), or with an empty body as the signed-in person.',
    tag: 'invitations',
    auth: 'optional',
    query: InvitationTokenQuery,
    body: AcceptInvitationBody.optional(),
    response: AcceptInvitationResponse,
    rateLimit: PUBLIC_LIMIT,
    handler: async ({ services, actor, query, body, req, reply }) => {
      const account = body && isNewAccount(body) ? body : null;
      let accepted: Awaited<ReturnType<typeof acceptAsUser>>;
      if (account) {
        accepted = await acceptAsNewAccount(services, query.token, account, req.headers['user-agent']);
      } else {
        if (!actor)
          throw new AppError(
            'AUTH_REQUIRED',
            'Sign in, or give an email, password and display name to create an account.',
          );
        if (actor.kind !== 'human')
          throw new AppError('FORBIDDEN', 'Bots join workspaces only by being created in them.');
        accepted = await acceptAsUser(services, actor.userId, query.token);
      }
      await joinDefaultChannels(services, accepted.userId, accepted.workspaceId);
      const db = services.stores.directory;
      const [user, ws] = await Promise.all([
        db
          .selectFrom('users')
          .select(USER_COLUMNS)
          .where('id', '=', accepted.userId)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('workspaces as w')
          .innerJoin('workspace_members as m', 'm.workspace_id', 'w.id')
          .selectAll('w')
          .select('m.role')
          .where('w.id', '=', accepted.workspaceId)
          .where('m.user_id', '=', accepted.userId)
          .executeTakeFirstOrThrow(),
      ]);
      if (accepted.session) setSessionCookie(req, reply, accepted.session.token, accepted.session.expiresAt);
      return {
        user: presentUser(user),
        workspace: presentWorkspace(ws, ws.role),
        csrfToken: accepted.session?.csrfToken ?? null,
      };
    },
  }),
];
