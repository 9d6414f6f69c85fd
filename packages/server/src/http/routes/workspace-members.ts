import { ChangeRoleBody, WorkspaceMemberResponse } from '@enclave/protocol';
import { z } from 'zod';
import { workspaceFor } from '../../access/workspaces.ts';
import { changeRole, leaveWorkspace } from '../../actions/workspace-members.ts';
import { route } from '../route.ts';
import { WorkspaceParams } from './workspaces.ts';

const MemberParams = z.strictObject({ workspaceId: z.uuid(), userId: z.uuid() });

export const workspaceMemberRoutes = [
  route({
    method: 'PATCH',
    url: '/api/v1/workspaces/:workspaceId/members/:userId',
    summary: "Change a member's role (owners; admins for non-owner roles). The last owner cannot be demoted.",
    tag: 'workspaces',
    auth: 'user',
    scope: 'admin',
    params: MemberParams,
    body: ChangeRoleBody,
    response: WorkspaceMemberResponse,
    handler: async ({ services, actor, params, body }) => {
      const { role } = await workspaceFor(services, actor, params.workspaceId, 'admin');
      return {
        member: await changeRole(
          services,
          { userId: actor.userId, role },
          params.workspaceId,
          params.userId,
          body.role,
        ),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/workspaces/:workspaceId/leave',
    summary: 'Leave a workspace and all its channels. The last owner must hand over ownership first.',
    tag: 'workspaces',
    auth: 'user',
    params: WorkspaceParams,
    handler: async ({ services, actor, params }) => {
      await workspaceFor(services, actor, params.workspaceId);
      await leaveWorkspace(services, actor.userId, params.workspaceId);
      return undefined;
    },
  }),
];
