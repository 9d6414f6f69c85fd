import { BotListResponse, CreateBotBody, CreatedBotResponse, UserResponse } from '@enclave/protocol';
import { z } from 'zod';
import { workspaceFor } from '../../access/workspaces.ts';
import { createBot, listBots, revokeBot } from '../../actions/bots.ts';
import { AppError } from '../../lib/errors.ts';
import { route } from '../route.ts';
import { WorkspaceParams } from './workspaces.ts';

const BotParams = z.strictObject({ workspaceId: z.uuid(), botId: z.uuid() });

export const botRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/workspaces/:workspaceId/bots',
    summary: 'Create a bot user in the workspace (owners and admins). Its token is in this response only.',
    tag: 'bots',
    auth: 'user',
    scope: 'admin',
    params: WorkspaceParams,
    body: CreateBotBody,
    response: CreatedBotResponse,
    status: 201,
    handler: async ({ services, actor, params, body }) => {
      await workspaceFor(services, actor, params.workspaceId, 'admin');
      // Bots do not breed: a bot token with admin scope still cannot create bots.
      if (actor.kind === 'bot') throw new AppError('FORBIDDEN', 'Bots cannot create bots.');
      return createBot(services, actor.userId, params.workspaceId, body);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/bots',
    summary: "The workspace's bots and their active tokens (owners and admins; never the secrets).",
    tag: 'bots',
    auth: 'user',
    params: WorkspaceParams,
    response: BotListResponse,
    handler: async ({ services, actor, params }) => {
      await workspaceFor(services, actor, params.workspaceId, 'admin');
      return { bots: await listBots(services, params.workspaceId) };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/workspaces/:workspaceId/bots/:botId',
    summary: 'Revoke a bot: it is deactivated, its tokens stop working and its live connections close.',
    tag: 'bots',
    auth: 'user',
    scope: 'admin',
    params: BotParams,
    response: UserResponse,
    handler: async ({ services, actor, params }) => {
      await workspaceFor(services, actor, params.workspaceId, 'admin');
      return { user: await revokeBot(services, actor.userId, params.workspaceId, params.botId) };
    },
  }),
];
