import {
  EditMessageBody,
  Emoji,
  MessageHistoryResponse,
  MessageResponse,
  PinListResponse,
  ReactionBody,
} from '@enclave/protocol';
import { z } from 'zod';
import { channelFor } from '../../access/channels.ts';
import { deleteMessage, editHistory, editMessage } from '../../actions/message-edits.ts';
import { listPins, pinMessage, unpinMessage } from '../../actions/pins.ts';
import { addReaction, removeReaction } from '../../actions/reactions.ts';
import { AppError } from '../../lib/errors.ts';
import { route } from '../route.ts';
import { ChannelParams } from './channels.ts';

export const MessageParams = z.strictObject({ channelId: z.uuid(), messageId: z.uuid() });
// The emoji is checked in the handler, so a bad one is VALIDATION_FAILED rather than INVALID_ID.
const ReactionParams = z.strictObject({
  channelId: z.uuid(),
  messageId: z.uuid(),
  emoji: z.string().max(200),
});

const MESSAGE = '/api/v1/channels/:channelId/messages/:messageId';

export const messageOpRoutes = [
  route({
    method: 'PATCH',
    url: MESSAGE,
    summary:
      'Edit your own message. The replaced text is kept in the edit history; mentions are parsed again.',
    tag: 'messages',
    auth: 'user',
    params: MessageParams,
    body: EditMessageBody,
    response: MessageResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'post');
      return {
        message: await editMessage(
          services,
          actor.userId,
          access,
          params.messageId,
          body.text,
          body.confirmation,
        ),
      };
    },
  }),
  route({
    method: 'GET',
    url: `${MESSAGE}/edits`,
    summary: 'Earlier versions of a message, oldest first (the current text is the message itself).',
    tag: 'messages',
    auth: 'user',
    params: MessageParams,
    response: MessageHistoryResponse,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return { edits: await editHistory(services, access, params.messageId) };
    },
  }),
  route({
    method: 'DELETE',
    url: MESSAGE,
    summary:
      'Delete a message (its author, a channel owner or admin, or a workspace admin). The text, edit history, reactions, pins and mentions are removed; a thread root with replies stays as a tombstone.',
    tag: 'messages',
    auth: 'user',
    params: MessageParams,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      await deleteMessage(services, actor.userId, access, params.messageId);
      return undefined;
    },
  }),
  route({
    method: 'POST',
    url: `${MESSAGE}/reactions`,
    summary:
      'React to a message with an emoji. Idempotent: reacting again with the same emoji answers 200 and changes nothing.',
    tag: 'messages',
    auth: 'user',
    params: MessageParams,
    body: ReactionBody,
    response: MessageResponse,
    status: 201,
    handler: async ({ services, actor, params, body, reply }) => {
      const access = await channelFor(services, actor, params.channelId, 'post');
      const { message, added } = await addReaction(
        services,
        actor.userId,
        access,
        params.messageId,
        body.emoji,
      );
      reply.code(added ? 201 : 200).send({ message });
      return undefined;
    },
  }),
  route({
    method: 'DELETE',
    url: `${MESSAGE}/reactions/:emoji`,
    summary:
      'Remove your reaction. The emoji is the last path segment, percent-encoded (e.g. %F0%9F%91%8D or thumbsup), because DELETE bodies are not reliably carried by clients and proxies. Idempotent.',
    tag: 'messages',
    auth: 'user',
    params: ReactionParams,
    handler: async ({ services, actor, params }) => {
      const emoji = Emoji.safeParse(params.emoji);
      if (!emoji.success) {
        throw new AppError('VALIDATION_FAILED', undefined, {
          issues: [{ path: 'params.emoji', problem: 'must be an emoji or a short emoji name' }],
        });
      }
      const access = await channelFor(services, actor, params.channelId, 'post');
      await removeReaction(services, actor.userId, access, params.messageId, emoji.data);
      return undefined;
    },
  }),
  route({
    method: 'PUT',
    url: `${MESSAGE}/pin`,
    summary: 'Pin a message to the channel (any member). Idempotent.',
    tag: 'messages',
    auth: 'user',
    params: MessageParams,
    response: MessageResponse,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'post');
      return { message: await pinMessage(services, actor.userId, access, params.messageId) };
    },
  }),
  route({
    method: 'DELETE',
    url: `${MESSAGE}/pin`,
    summary: 'Unpin a message (any member). Idempotent.',
    tag: 'messages',
    auth: 'user',
    params: MessageParams,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'post');
      await unpinMessage(services, actor.userId, access, params.messageId);
      return undefined;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/channels/:channelId/pins',
    summary: 'Pinned messages of a channel, most recently pinned first.',
    tag: 'messages',
    auth: 'user',
    params: ChannelParams,
    response: PinListResponse,
    handler: async ({ services, actor, params }) => {
      const access = await channelFor(services, actor, params.channelId, 'read');
      return { messages: await listPins(services, access) };
    },
  }),
];
