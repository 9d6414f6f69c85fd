import { z } from 'zod';
import { Id, IsoDate } from './common.ts';

// Vault tokens (docs/data-protection/vault.md, VA-7..VA-10). A token stands in a
// message for a value that lives encrypted in the region's vault. It carries a
// safe mask so a client can render a chip without asking the server anything:
//
//   ⟦vault:<tokenId>:<TYPE>:<mask>⟧
//
// The brackets are U+27E6 / U+27E7. People cannot forge a token by typing one:
// the write pipeline passes user text through escapeUserText(), which turns
// every such bracket into a look-alike (U+301A / U+301B) that parseTokens()
// ignores. Even a forged token reveals nothing: the server only reveals a token
// that the vault itself bound to the very channel and message it is asked about.

export const TOKEN_OPEN = '\u27E6';
export const TOKEN_CLOSE = '\u27E7';
const ESCAPED_OPEN = '\u301A';
const ESCAPED_CLOSE = '\u301B';

/** Entity types as they appear in tokens: upper-case letters, digits and "_". */
export const TOKEN_TYPE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** A mask never contains the brackets, a line break or more than 64 characters. */
const MASK = /^[^\u27E6\u27E7\r\n]{1,64}$/u;

const TOKEN_PATTERN =
  /\u27E6vault:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([A-Z][A-Z0-9_]{0,63}):([^\u27E6\u27E7\r\n]{1,64})\u27E7/gu;

export interface VaultTokenRef {
  /** The whole token as it appears in the text. */
  token: string;
  tokenId: string;
  type: string;
  mask: string;
  /** UTF-16 offsets of the token in the text, end exclusive. */
  start: number;
  end: number;
}

/** Upper-cases and cleans an entity type so it fits TOKEN_TYPE (custom types may be lower-case). */
export function tokenType(type: string): string {
  const t = type.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const fixed = /^[A-Z]/.test(t) ? t : `X_${t}`;
  return fixed.slice(0, 64);
}

export function formatVaultToken(ref: { tokenId: string; type: string; mask: string }): string {
  const type = tokenType(ref.type);
  if (!MASK.test(ref.mask)) throw new Error('vault token: the mask has forbidden characters');
  return `${TOKEN_OPEN}vault:${ref.tokenId.toLowerCase()}:${type}:${ref.mask}${TOKEN_CLOSE}`;
}

/** Every vault token in a text, in order. Text that only looks like a token is not returned. */
export function parseTokens(text: string): VaultTokenRef[] {
  const out: VaultTokenRef[] = [];
  for (const m of text.matchAll(TOKEN_PATTERN)) {
    out.push({
      token: m[0],
      tokenId: m[1]!,
      type: m[2]!,
      mask: m[3]!,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return out;
}

/**
 * Makes user-typed text unable to contain a token: each token bracket becomes a
 * look-alike. Length-preserving (one UTF-16 unit for one), so detector offsets
 * computed before or after escaping stay valid; idempotent.
 */
export function escapeUserText(text: string): string {
  if (!text.includes(TOKEN_OPEN) && !text.includes(TOKEN_CLOSE)) return text;
  return text.replaceAll(TOKEN_OPEN, ESCAPED_OPEN).replaceAll(TOKEN_CLOSE, ESCAPED_CLOSE);
}

// ---- HTTP contract -------------------------------------------------------

export const MIN_JUSTIFICATION = 10;
export const MAX_JUSTIFICATION = 500;
export const Justification = z
  .string()
  .trim()
  .min(MIN_JUSTIFICATION, `must be at least ${MIN_JUSTIFICATION} characters`)
  .max(MAX_JUSTIFICATION, `must be at most ${MAX_JUSTIFICATION} characters`);

export const RevealBody = z.strictObject({ token: Id, justification: Justification });
export const RevealResponse = z.object({
  token: Id,
  type: z.string(),
  value: z.string(),
  /** The client hides the value again at this time. */
  expiresAt: IsoDate,
});

export const RevealOutcome = z.enum(['revealed', 'denied', 'erased']);
export const RevealRecord = z.object({
  id: z.string(),
  token: Id,
  type: z.string(),
  subjectId: Id,
  channelId: Id,
  messageId: Id.nullable(),
  actorId: Id,
  outcome: RevealOutcome,
  /** Why a reveal was denied: role, justification_pii. */
  reason: z.string().nullable(),
  /** Staff-written reason; only stored when it held no personal data. */
  justification: z.string().nullable(),
  at: IsoDate,
  expiresAt: IsoDate.nullable(),
});
export const RevealListResponse = z.object({ reveals: z.array(RevealRecord) });

export const ErasureBody = z.strictObject({ justification: Justification });
export const ErasureReceipt = z.object({
  subjectId: Id,
  region: z.string(),
  /** Values whose data key was destroyed. */
  valueCount: z.number().int().min(0),
  erasedAt: IsoDate,
  erasedBy: Id,
  /** Sequence number of the audit entry that records the erasure. */
  auditSeq: z.number().int().nullable(),
});
export const ErasureResponse = z.object({ receipt: ErasureReceipt });

export const VaultSubject = z.object({
  id: Id,
  region: z.string(),
  /** identified: inferred from an identifier (user id, email); message: the values of one message. */
  kind: z.enum(['identified', 'message']),
  /** Which identifier type identified the subject (never the identifier itself). */
  identifiedBy: z.string().nullable(),
  valueCount: z.number().int(),
  createdAt: IsoDate,
  erasedAt: IsoDate.nullable(),
  receipt: ErasureReceipt.nullable(),
});
export const VaultSubjectResponse = z.object({ subject: VaultSubject });
