import {
  ErasureBody,
  ErasureResponse,
  Id,
  RevealBody,
  RevealListResponse,
  RevealResponse,
  VaultSubjectResponse,
} from '@enclave/protocol';
import { z } from 'zod';
import { eraseSubject } from '../../protection/vault/erasure.ts';
import { revealValue } from '../../protection/vault/reveal.ts';
import {
  messageReveals,
  subjectOfToken,
  subjectReveals,
  subjectSummary,
} from '../../protection/vault/subject-admin.ts';
import { route } from '../route.ts';
import { MessageParams } from './message-ops.ts';

// The vault's HTTP surface (docs/data-protection/vault.md). Thin: parse ->
// action -> present. Access, policy, rate limit and audit live in the actions.

const MESSAGE = '/api/v1/channels/:channelId/messages/:messageId';
const SubjectParams = z.strictObject({ subjectId: Id });
const TokenParams = z.strictObject({ tokenId: Id });

export const vaultRoutes = [
  route({
    method: 'POST',
    url: `${MESSAGE}/reveal`,
    summary:
      'Reveal a vaulted value in a message, with a justification (10-500 characters, no personal data). Channel members whose role the policy allows (default: channel owners/admins, workspace owners/admins); rate-limited per person; audited, allowed or not. The value is for display until expiresAt (30 s). 410 VALUE_ERASED once the data subject was erased.',
    tag: 'vault',
    auth: 'user',
    params: MessageParams,
    body: RevealBody,
    response: RevealResponse,
    handler: async ({ services, actor, params, body, reply }) => {
      const revealed = await revealValue(services, actor, {
        channelId: params.channelId,
        messageId: params.messageId,
        token: body.token,
        justification: body.justification,
      });
      reply.header('cache-control', 'no-store');
      return revealed;
    },
  }),
  route({
    method: 'GET',
    url: `${MESSAGE}/reveals`,
    summary:
      "Reveal attempts on a message's vaulted values, newest first (channel owners/admins and workspace admins).",
    tag: 'vault',
    auth: 'user',
    params: MessageParams,
    response: RevealListResponse,
    handler: async ({ services, actor, params }) => ({
      reveals: await messageReveals(services, actor, params.channelId, params.messageId),
    }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/vault/subjects/:subjectId',
    summary: 'A data subject: kind, value count, and the erasure receipt once erased (instance admins).',
    tag: 'vault',
    auth: 'user',
    scope: 'admin',
    params: SubjectParams,
    response: VaultSubjectResponse,
    handler: async ({ services, actor, params }) => ({
      subject: await subjectSummary(services, actor, params.subjectId),
    }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/vault/subjects/:subjectId/reveals',
    summary: "Reveal attempts on any of a data subject's values, newest first (instance admins).",
    tag: 'vault',
    auth: 'user',
    scope: 'admin',
    params: SubjectParams,
    response: RevealListResponse,
    handler: async ({ services, actor, params }) => ({
      reveals: await subjectReveals(services, actor, params.subjectId),
    }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/vault/tokens/:tokenId/subject',
    summary: 'The data subject a token belongs to, so an erasure can start from a message (instance admins).',
    tag: 'vault',
    auth: 'user',
    scope: 'admin',
    params: TokenParams,
    response: VaultSubjectResponse,
    handler: async ({ services, actor, params }) => ({
      subject: await subjectOfToken(services, actor, params.tokenId),
    }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/vault/subjects/:subjectId/erase',
    summary:
      'Erase a data subject by crypto-shredding: their data key is destroyed, so every value about them is unrecoverable at once. Instance admins, with a justification; audited. Returns the erasure receipt.',
    tag: 'vault',
    auth: 'user',
    scope: 'admin',
    params: SubjectParams,
    body: ErasureBody,
    response: ErasureResponse,
    handler: async ({ services, actor, params, body }) => ({
      receipt: await eraseSubject(services, actor, params.subjectId, body.justification),
    }),
  }),
];
