import { MessagePageQuery, MessagePageResponse, MessageResponse, SendMessageBody } from '@enclave/protocol';
import { channelFor } from '../../access/channels.ts';
import { sendMessage } from '../../actions/messages.ts';
import { messagePage } from '../../queries/messages.ts';
import { route } from '../route.ts';
import { ChannelParams } from './channels.ts';

export const messageRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/channels/:channelId/messages',
    summary:
      'Send a message (or a thread reply with threadRootId). Idempotent on clientMsgId: a retry returns the stored message with 200 instead of 201.',
    tag: 'messages',
    auth: 'user',
    params: ChannelParams,
    body: SendMessageBody,
    response: MessageResponse,
    status: 201,
    handler: async ({ services, actor, params, body, reply }) => {
      const access = await channelFor(services, actor, params.channelId, 'post');
      const { message, created } = await sendMessage(services, actor.userId, access, body);
      reply.code(created ? 201 : 200).send({ message });
      return undefined;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/channels/:channelId/messages',
    summary: 'A page of the channel timeline: latest, before/after a seq, or around a message id.',
    tag: 'messages',
    auth: 'user',
    params: ChannelParams,
    query: MessagePageQuery,
    response: MessagePageResponse,
    handler: async ({ services, actor, params, query }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return messagePage(services.stores.region(access.region), { channelId: params.channelId }, query);
    },
  }),
];
