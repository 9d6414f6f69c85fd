import {
  MessagePageQuery,
  MessagePageResponse,
  MessageResponse,
  QuarantineResponse,
  SendMessageBody,
} from '@enclave/protocol';
import { z } from 'zod';
import { channelFor, channelRoute } from '../../access/channels.ts';
import { parseMentions } from '../../actions/mentions.ts';
import { isSendableText, sendMessage } from '../../actions/messages.ts';
import { sendPlainMessage } from '../../actions/send-plain-message.ts';
import { admittedLabels } from '../../protection/residency/enforce.ts';
import { detector } from '../../protection/screen.ts';
import { messagePage } from '../../queries/messages.ts';
import { route } from '../route.ts';
import { ChannelParams } from './channels.ts';

export const messageRoutes = [
  route({
    method: 'POST',
    url: '/api/v1/channels/:channelId/messages',
    summary:
      'Send a message (or a thread reply with threadRootId). Idempotent on clientMsgId: a retry returns the stored message with 200 instead of 201. A message the policy holds for review answers 202 with the quarantine item (the same item on a retry).',
    tag: 'messages',
    auth: 'user',
    params: ChannelParams,
    body: SendMessageBody,
    response: z.union([MessageResponse, QuarantineResponse]),
    status: 201,
    handler: async ({ services, actor, params, body, reply }) => {
      // scan first (pure CPU, no I/O): content with personal data always takes the full pipeline.
      const findings = isSendableText(body.text) ? detector().scan(body.text) : [];
      // Hot path: a plain message without findings needs the directory route (cached) and one
      // statement that checks membership itself. Anything else, or any refusal, takes the full check.
      const mentions = parseMentions(body.text);
      if (!body.threadRootId && !mentions.userIds.length && !findings.length && isSendableText(body.text)) {
        const { region, role } = await channelRoute(services, actor, params.channelId);
        // The statement checks the channel's label against the labels whose rules admit the sender (FE-5).
        const admitted = await admittedLabels(services, actor, region, role);
        const sent = await sendPlainMessage(
          services,
          actor.userId,
          { channelId: params.channelId, region, admittedLabels: admitted },
          body,
          mentions,
        );
        if (sent) {
          reply.code(201).send({ message: sent, protection: null });
          return undefined;
        }
      }
      const access = await channelFor(services, actor, params.channelId, 'post');
      const sent = await sendMessage(services, actor.userId, access, body, findings);
      if ('held' in sent) {
        reply.code(202).send({ quarantine: sent.held });
        return undefined;
      }
      reply.code(sent.created ? 201 : 200).send({ message: sent.message, protection: sent.protection });
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
