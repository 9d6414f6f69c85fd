import { z } from 'zod';
import { Id, IsoDate } from '../common.ts';
import { Message } from '../entities.ts';
import { Protection } from './messages.ts';

// The quarantine review queue (docs/data-protection/pipeline.md, PL-6). Items
// never carry the held text, except the reviewer's own view of one item.

export const QuarantineStatus = z.enum(['pending', 'approved', 'rejected']);

export const QuarantineItem = z.object({
  id: Id,
  channelId: Id,
  authorId: Id,
  threadRootId: Id.nullable(),
  status: QuarantineStatus,
  policyVersion: z.number().int().nullable(),
  explanation: z.string(),
  findings: Protection.shape.findings,
  createdAt: IsoDate,
  reviewedAt: IsoDate.nullable(),
  /** Why a reviewer rejected it (screened to hold no personal data). */
  reviewReason: z.string().nullable(),
  deliveredMessageId: Id.nullable(),
});
export type QuarantineItem = z.infer<typeof QuarantineItem>;

/** A send the policy held for review (202). */
export const QuarantineResponse = z.object({ quarantine: QuarantineItem });
export const QuarantineListResponse = z.object({ items: z.array(QuarantineItem) });
export const QuarantineListQuery = z.strictObject({ status: QuarantineStatus.optional() });
/** The reviewer's view of one item: the held text, opened for them (and audited). */
export const QuarantineReviewResponse = z.object({ quarantine: QuarantineItem, text: z.string() });
export const QuarantineApproveResponse = z.object({ quarantine: QuarantineItem, message: Message });
export const QuarantineRejectBody = z.strictObject({ reason: z.string().min(10).max(500) });
