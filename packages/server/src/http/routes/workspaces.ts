import {
  CreateWorkspaceBody,
  MemberListQuery,
  MemberListResponse,
  WorkspaceListResponse,
  WorkspaceResponse,
} from '@enclave/protocol';
import { z } from 'zod';
import { workspaceFor } from '../../access/workspaces.ts';
import { createWorkspace } from '../../actions/workspaces.ts';
import { AppError } from '../../lib/errors.ts';
import { presentUser, presentWorkspace } from '../../presenters/users.ts';
import { route } from '../route.ts';

export const WorkspaceParams = z.strictObject({ workspaceId: z.uuid() });

export const workspaceRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/workspaces',
    summary: 'Workspaces you belong to.',
    tag: 'workspaces',
    auth: 'user',
    response: WorkspaceListResponse,
    handler: async ({ services, actor }) => {
      const rows = await services.stores.directory
        .selectFrom('workspaces as w')
        .innerJoin('workspace_members as m', 'm.workspace_id', 'w.id')
        .selectAll('w')
        .select('m.role')
        .where('m.user_id', '=', actor.userId)
        .orderBy('w.created_at')
        .execute();
      return { workspaces: rows.map((r) => presentWorkspace(r, r.role)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/workspaces',
    summary: 'Create a workspace (you become its owner; it gets a #general channel).',
    tag: 'workspaces',
    auth: 'user',
    body: CreateWorkspaceBody,
    response: WorkspaceResponse,
    status: 201,
    handler: async ({ services, actor, body }) => {
      if (actor.kind === 'bot') throw new AppError('FORBIDDEN', 'Bots cannot create workspaces.');
      const ws = await createWorkspace(services, actor.userId, body);
      return { workspace: presentWorkspace(ws, 'owner') };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId',
    summary: 'One workspace you belong to.',
    tag: 'workspaces',
    auth: 'user',
    params: WorkspaceParams,
    response: WorkspaceResponse,
    handler: async ({ services, actor, params }) => {
      const { workspace, role } = await workspaceFor(services, actor, params.workspaceId);
      return { workspace: presentWorkspace(workspace, role) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/members',
    summary: 'Members of a workspace, ordered by display name, paginated with an opaque cursor.',
    tag: 'workspaces',
    auth: 'user',
    params: WorkspaceParams,
    query: MemberListQuery,
    response: MemberListResponse,
    handler: async ({ services, actor, params, query }) => {
      await workspaceFor(services, actor, params.workspaceId);
      let after: { name: string; id: string } | null = null;
      if (query.cursor) {
        try {
          after = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
          if (typeof after?.name !== 'string' || typeof after?.id !== 'string') throw new Error('shape');
        } catch {
          throw new AppError('INVALID_CURSOR');
        }
      }
      let q = services.stores.directory
        .selectFrom('workspace_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select([
          'u.id',
          'u.email',
          'u.display_name',
          'u.kind',
          'u.created_at',
          'u.deactivated_at',
          'm.role',
          'm.joined_at',
        ])
        .where('m.workspace_id', '=', params.workspaceId);
      if (after) {
        const a = after;
        q = q.where((eb) =>
          eb.or([
            eb('u.display_name', '>', a.name),
            eb.and([eb('u.display_name', '=', a.name), eb('u.id', '>', a.id)]),
          ]),
        );
      }
      const rows = await q
        .orderBy('u.display_name')
        .orderBy('u.id')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        members: page.map((r) => ({
          user: presentUser(r),
          role: r.role,
          joinedAt: r.joined_at.toISOString(),
        })),
        nextCursor:
          rows.length > query.limit && last
            ? Buffer.from(JSON.stringify({ name: last.display_name, id: last.id })).toString('base64url')
            : null,
      };
    },
  }),
];
