import {
  FollowBody,
  FollowResponse,
  MarkReadBody,
  MessagePageQuery,
  MessagePageResponse,
  ThreadListQuery,
  ThreadListResponse,
  ThreadReadResponse,
} from '@enclave/protocol';
import { channelFor } from '../../access/channels.ts';
import { workspaceFor } from '../../access/workspaces.ts';
import { markThreadRead, setThreadFollow } from '../../actions/threads.ts';
import { followedThreads, replyPage } from '../../queries/threads.ts';
import { route } from '../route.ts';
import { MessageParams } from './message-ops.ts';
import { WorkspaceParams } from './workspaces.ts';

const MESSAGE = '/api/v1/channels/:channelId/messages/:messageId';

export const threadRoutes = [
  route({
    method: 'GET',
    url: `${MESSAGE}/replies`,
    summary:
      'A page of a thread: replies to a root message, paginated like the timeline (latest, before/after a seq, around a reply).',
    tag: 'threads',
    auth: 'user',
    params: MessageParams,
    query: MessagePageQuery,
    response: MessagePageResponse,
    handler: async ({ services, actor, params, query }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return replyPage(services.stores.region(access.region), params.channelId, params.messageId, query);
    },
  }),
  route({
    method: 'PUT',
    url: `${MESSAGE}/follow`,
    summary:
      'Follow or unfollow the thread of a message (members). Replying follows a thread unless you unfollowed it.',
    tag: 'threads',
    auth: 'user',
    params: MessageParams,
    body: FollowBody,
    response: FollowResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return setThreadFollow(services, actor.userId, access, params.messageId, body.following);
    },
  }),
  route({
    method: 'POST',
    url: `${MESSAGE}/read`,
    summary: 'Mark a followed thread read up to a seq. Never moves backwards.',
    tag: 'threads',
    auth: 'user',
    params: MessageParams,
    body: MarkReadBody,
    response: ThreadReadResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return markThreadRead(services, actor.userId, access, params.messageId, body.seq);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/threads',
    summary: 'Threads you follow in a workspace, most recently active first, with unread reply counts.',
    tag: 'threads',
    auth: 'user',
    params: WorkspaceParams,
    query: ThreadListQuery,
    response: ThreadListResponse,
    handler: async ({ services, actor, params, query }) => {
      await workspaceFor(services, actor, params.workspaceId);
      return { threads: await followedThreads(services, actor.userId, params.workspaceId, query.limit) };
    },
  }),
];
