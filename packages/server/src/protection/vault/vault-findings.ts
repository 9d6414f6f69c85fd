import type { Finding } from '@enclave/pii';
import { escapeUserText, formatVaultToken } from '@enclave/protocol';
import type { Insertable, Kysely } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { RegionDB } from '../../store/tables.ts';
import type { KeyProvider } from '../keys.ts';
import { maskFor } from './masks.ts';
import { inferSubjects, openSubjects, wantKey } from './subjects.ts';
import { sealValue } from './value-crypto.ts';

/** The transaction the write pipeline is already in (a RegionTx fits). */
export interface VaultTx {
  db: Kysely<RegionDB>;
  region: string;
}

export interface VaultInput {
  keys: KeyProvider;
  channelId: string;
  /** The id the message will be stored under (allocate it before vaulting); null for content that is not a message. */
  messageId: string | null;
  /** The text as the person wrote it; findings' offsets point into it. */
  text: string;
  /** The findings the policy decided to tokenise. Overlapping findings after the first are ignored. */
  findings: readonly Finding[];
}

export interface VaultedToken {
  token: string;
  tokenId: string;
  type: string;
  mask: string;
  subjectId: string;
}

export interface VaultResult {
  /** The text to store: user look-alike brackets escaped and every finding replaced by its token. */
  text: string;
  tokens: VaultedToken[];
}

/** Findings sorted by position with overlaps dropped, so each character is vaulted at most once. */
function disjoint(text: string, findings: readonly Finding[]): Finding[] {
  const sorted = [...findings]
    .filter((f) => f.start >= 0 && f.end <= text.length && f.start < f.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let end = 0;
  for (const f of sorted) {
    if (f.start < end) continue;
    out.push(f);
    end = f.end;
  }
  return out;
}

/**
 * Moves the findings' values into the region's vault and returns the text with
 * tokens in their place (VA-4..VA-8). Runs inside the caller's region
 * transaction, so the values, the message that refers to them and its audit
 * row commit or roll back together.
 */
export async function vaultFindings(tx: VaultTx, input: VaultInput): Promise<VaultResult> {
  const safe = escapeUserText(input.text); // length-preserving: the findings' offsets still hold
  const findings = disjoint(safe, input.findings);
  if (findings.length === 0) return { text: safe, tokens: [] };
  const kek = await input.keys.regionKey(tx.region);
  const wants = inferSubjects(input.text, findings);
  const subjects = await openSubjects(tx.db, kek, wants, input.messageId);

  const tokens: VaultedToken[] = [];
  const rows: Insertable<RegionDB['vault_values']>[] = [];
  findings.forEach((f, i) => {
    const subject = subjects.get(wantKey(wants[i]!))!;
    const value = input.text.slice(f.start, f.end);
    const tokenId = newId();
    const mask = maskFor(f.type, value);
    const sealed = sealValue(subject.dataKey, value, { tokenId, subjectId: subject.id, type: f.type });
    rows.push({
      token_id: tokenId,
      subject_id: subject.id,
      channel_id: input.channelId,
      message_id: input.messageId,
      entity_type: f.type,
      ...sealed,
      mask,
    });
    tokens.push({
      token: formatVaultToken({ tokenId, type: f.type, mask }),
      tokenId,
      type: f.type,
      mask,
      subjectId: subject.id,
    });
  });
  await tx.db.insertInto('vault_values').values(rows).execute();

  let text = safe;
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]!;
    text = text.slice(0, f.start) + tokens[i]!.token + text.slice(f.end);
  }
  return { text, tokens };
}

/**
 * Forgets the values a message held (message deleted, or an edit that dropped
 * them). Subjects stay: their other values are unaffected. Returns how many went.
 */
export async function deleteMessageValues(
  tx: VaultTx,
  messageId: string,
  keepTokenIds: readonly string[] = [],
): Promise<number> {
  let q = tx.db.deleteFrom('vault_values').where('message_id', '=', messageId);
  if (keepTokenIds.length) q = q.where('token_id', 'not in', keepTokenIds);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
