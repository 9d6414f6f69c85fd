import {
  Id,
  QuarantineApproveResponse,
  QuarantineListQuery,
  QuarantineListResponse,
  QuarantineRejectBody,
  QuarantineResponse,
  QuarantineReviewResponse,
} from '@enclave/protocol';
import { z } from 'zod';
import { sendMessage } from '../../actions/messages.ts';
import { approveHeld, ownQuarantine, rejectHeld, reviewQueue, viewHeld } from '../../actions/quarantine.ts';
import { route } from '../route.ts';
import { ChannelParams } from './channels.ts';

// The quarantine review queue (docs/data-protection/pipeline.md, PL-6).
const QuarantineParams = z.strictObject({ quarantineId: Id });

export const quarantineRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/channels/:channelId/quarantine',
    summary: "The caller's own messages held for review in this channel, with their status (no text).",
    tag: 'messages',
    auth: 'user',
    params: ChannelParams,
    response: QuarantineListResponse,
    handler: ({ services, actor, params }) => ownQuarantine(services, actor, params.channelId),
  }),
  route({
    method: 'GET',
    url: '/api/v1/review/quarantine',
    summary: 'Instance admins: held messages across every region, oldest first (no text).',
    tag: 'review',
    auth: 'user',
    scope: 'admin',
    query: QuarantineListQuery,
    response: QuarantineListResponse,
    handler: ({ services, actor, query }) => reviewQueue(services, actor, query.status),
  }),
  route({
    method: 'GET',
    url: '/api/v1/review/quarantine/:quarantineId',
    summary: 'Instance admins: one held message with its text (the viewing is audited).',
    tag: 'review',
    auth: 'user',
    scope: 'admin',
    params: QuarantineParams,
    response: QuarantineReviewResponse,
    handler: ({ services, actor, params }) => viewHeld(services, actor, params.quarantineId),
  }),
  route({
    method: 'POST',
    url: '/api/v1/review/quarantine/:quarantineId/approve',
    summary: 'Instance admins: deliver a held message as its author, every finding tokenised.',
    tag: 'review',
    auth: 'user',
    scope: 'admin',
    params: QuarantineParams,
    response: QuarantineApproveResponse,
    handler: ({ services, actor, params }) =>
      approveHeld(services, actor, params.quarantineId, async (access, authorId, input) => {
        const sent = await sendMessage(services, authorId, access, input, undefined, { approved: true });
        if ('held' in sent) throw new Error('an approved message was held again');
        return sent;
      }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/review/quarantine/:quarantineId/reject',
    summary: 'Instance admins: reject a held message; its text is destroyed and the sender told.',
    tag: 'review',
    auth: 'user',
    scope: 'admin',
    params: QuarantineParams,
    body: QuarantineRejectBody,
    response: QuarantineResponse,
    handler: ({ services, actor, params, body }) =>
      rejectHeld(services, actor, params.quarantineId, body.reason),
  }),
];
