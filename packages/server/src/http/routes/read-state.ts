import { MarkReadBody, ReadStateListResponse, ReadStateResponse } from '@enclave/protocol';
import { channelFor } from '../../access/channels.ts';
import { workspaceFor } from '../../access/workspaces.ts';
import { markChannelRead } from '../../actions/read-state.ts';
import { workspaceReadStates } from '../../queries/read-state.ts';
import { route } from '../route.ts';
import { ChannelParams } from './channels.ts';
import { WorkspaceParams } from './workspaces.ts';

export const readStateRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/channels/:channelId/read',
    summary:
      'Mark a channel read up to a seq (members). Never moves backwards nor past the channel end; your other connections get read_state.updated.',
    tag: 'read-state',
    auth: 'user',
    params: ChannelParams,
    body: MarkReadBody,
    response: ReadStateResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return { readState: await markChannelRead(services, actor.userId, access, body.seq) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/read-states',
    summary:
      'Your read state of every channel you are in: last read seq, unread root messages and mentions after it.',
    tag: 'read-state',
    auth: 'user',
    params: WorkspaceParams,
    response: ReadStateListResponse,
    handler: async ({ services, actor, params }) => {
      await workspaceFor(services, actor, params.workspaceId);
      return { readStates: await workspaceReadStates(services, actor.userId, params.workspaceId) };
    },
  }),
];
