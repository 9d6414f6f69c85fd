import { z } from 'zod';
import { Emoji, Id, Limit, MAX_MESSAGE_LENGTH, Seq } from '../common.ts';
import { Message, MessageEdit, ReadState } from '../entities.ts';

/** Length is checked by the server (MESSAGE_TOO_LONG), not here, so the error is specific. */
/** Resubmitting content the policy warned about (POLICY_CONFIRM_REQUIRED): its token and the sender's reason. */
export const PolicyConfirmation = z.strictObject({
  token: z.string().min(10).max(200),
  justification: z.string().max(500),
});

export const SendMessageBody = z.strictObject({
  confirmation: PolicyConfirmation.optional(),
  clientMsgId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "-" and "_"'),
  text: z.string(),
  threadRootId: Id.optional(),
});
export const EditMessageBody = z.strictObject({
  text: z.string(),
  confirmation: PolicyConfirmation.optional(),
});
/** What the data-protection policy did to the content (absent or null when nothing was found). */
export const Protection = z.object({
  action: z.enum(['allow', 'warn', 'tokenise', 'quarantine', 'block']),
  policyVersion: z.number().int().nullable(),
  explanation: z.string(),
  findings: z.array(
    z.object({
      type: z.string(),
      start: z.number().int(),
      end: z.number().int(),
      action: z.string(),
      explanation: z.string(),
    }),
  ),
});
export type Protection = z.infer<typeof Protection>;

export const MessageResponse = z.object({ message: Message, protection: Protection.nullable().optional() });

/** Exactly one of before/after/around, or none for the latest page. */
export const MessagePageQuery = z
  .strictObject({ before: Seq.optional(), after: Seq.optional(), around: Id.optional(), limit: Limit })
  .refine(
    (q) => [q.before, q.after, q.around].filter((v) => v !== undefined).length <= 1,
    'use at most one of before, after, around',
  );
export const MessagePageResponse = z.object({
  messages: z.array(Message),
  hasMoreBefore: z.boolean(),
  hasMoreAfter: z.boolean(),
});
export const MessageHistoryResponse = z.object({ edits: z.array(MessageEdit) });
export const ReactionBody = z.strictObject({ emoji: Emoji });
export const FollowBody = z.strictObject({ following: z.boolean() });
export const PinListResponse = z.object({ messages: z.array(Message) });

export const MarkReadBody = z.strictObject({ seq: Seq });
export const ReadStateResponse = z.object({ readState: ReadState });
export const ReadStateListResponse = z.object({ readStates: z.array(ReadState) });

export const ThreadListQuery = z.strictObject({ limit: Limit });
export const ThreadListResponse = z.object({
  threads: z.array(z.object({ root: Message, unreadReplies: z.number().int() })),
});
export const FollowResponse = z.object({ rootId: Id, following: z.boolean() });
export const ThreadReadResponse = z.object({ rootId: Id, lastReadSeq: z.number().int() });

export const MAX_TEXT = MAX_MESSAGE_LENGTH;
