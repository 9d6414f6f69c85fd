import type { Finding, FindingType } from '@enclave/pii';
import type { Kysely } from 'kysely';
import { newId } from '../../lib/ids.ts';
import type { RegionDB } from '../../store/tables.ts';
import type { KeyEncryptionKey } from '../keys.ts';
import { dataKeyContext, newDataKey } from './value-crypto.ts';

// Subject inference (VA-5, VA-6). Identifiers, strongest first: a value of one
// of these types names the person the other values in the message are about.
export const SUBJECT_IDENTIFIER_TYPES: readonly FindingType[] = ['PLATFORM_USER_ID', 'EMAIL_ADDRESS'];

/** Who a value belongs to: a person found by identifier, or "whoever this message is about". */
export type SubjectWant =
  | { kind: 'identified'; refType: FindingType; normalised: string }
  | { kind: 'message' };

export function normaliseIdentifier(type: FindingType, value: string): string {
  const v = value.normalize('NFKC').trim().toLowerCase();
  return type === 'PLATFORM_USER_ID' ? v.replace(/\s+/g, '') : v;
}

/**
 * For each finding, the subject it belongs to (VA-6):
 * 1. An identifier value belongs to the person it identifies.
 * 2. Every other value belongs to the message's principal subject: the one
 *    distinct value of the strongest identifier type present in the message.
 * 3. If there is none, or that type has two or more distinct values (which
 *    person is meant is ambiguous), they belong to the message's own subject.
 */
export function inferSubjects(text: string, findings: readonly Finding[]): SubjectWant[] {
  const identify = (f: Finding): SubjectWant | null =>
    SUBJECT_IDENTIFIER_TYPES.includes(f.type)
      ? {
          kind: 'identified',
          refType: f.type,
          normalised: normaliseIdentifier(f.type, text.slice(f.start, f.end)),
        }
      : null;
  let principal: SubjectWant = { kind: 'message' };
  for (const type of SUBJECT_IDENTIFIER_TYPES) {
    const distinct = new Set(
      findings
        .filter((f) => f.type === type)
        .map((f) => normaliseIdentifier(type, text.slice(f.start, f.end))),
    );
    if (distinct.size === 0) continue;
    if (distinct.size === 1) principal = { kind: 'identified', refType: type, normalised: [...distinct][0]! };
    break;
  }
  return findings.map((f) => identify(f) ?? principal);
}

export function wantKey(w: SubjectWant): string {
  return w.kind === 'message' ? 'message' : `${w.refType}:${w.normalised}`;
}

export interface OpenSubject {
  id: string;
  dataKey: Buffer;
}

async function unwrapRow(kek: KeyEncryptionKey, row: { id: string; wrapped_key: Buffer | null }) {
  if (!row.wrapped_key) throw new Error('vault: subject has no data key');
  return { id: row.id, dataKey: await kek.unwrap(row.wrapped_key, dataKeyContext(row.id)) };
}

async function createSubject(
  db: Kysely<RegionDB>,
  kek: KeyEncryptionKey,
  values: {
    kind: 'identified' | 'message';
    ref: Buffer | null;
    refType: string | null;
    messageId: string | null;
  },
): Promise<OpenSubject | null> {
  const id = newId();
  const dataKey = newDataKey();
  const inserted = await db
    .insertInto('vault_subjects')
    .values({
      id,
      kind: values.kind,
      subject_ref: values.ref,
      ref_type: values.refType,
      origin_message_id: values.messageId,
      wrapped_key: await kek.wrap(dataKey, dataKeyContext(id)),
      kek_id: kek.keyId,
    })
    // A concurrent writer created the same subject first: the caller reads theirs.
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted ? { id, dataKey } : null;
}

/**
 * Finds or creates the subjects the wants name, returning their data keys.
 * Rows are read FOR SHARE so an erasure cannot shred a key between our read and commit.
 */
export async function openSubjects(
  db: Kysely<RegionDB>,
  kek: KeyEncryptionKey,
  wants: readonly SubjectWant[],
  messageId: string | null,
): Promise<Map<string, OpenSubject>> {
  const out = new Map<string, OpenSubject>();
  const byKey = new Map(wants.map((w) => [wantKey(w), w]));
  for (const [key, want] of byKey) {
    if (want.kind === 'message') {
      out.set(key, await openMessageSubject(db, kek, messageId));
      continue;
    }
    const ref = await kek.keyedHash('subject-ref', key);
    const find = () =>
      db
        .selectFrom('vault_subjects')
        .select(['id', 'wrapped_key'])
        .where('subject_ref', '=', ref)
        .forShare()
        .executeTakeFirst();
    const found = await find();
    const subject = found
      ? await unwrapRow(kek, found)
      : ((await createSubject(db, kek, {
          kind: 'identified',
          ref,
          refType: want.refType,
          messageId: null,
        })) ?? (await unwrapRow(kek, (await find())!)));
    out.set(key, subject);
  }
  return out;
}

async function openMessageSubject(
  db: Kysely<RegionDB>,
  kek: KeyEncryptionKey,
  messageId: string | null,
): Promise<OpenSubject> {
  const create = () => createSubject(db, kek, { kind: 'message', ref: null, refType: null, messageId });
  // Without a message there is nothing to share a subject with: each call gets its own.
  if (!messageId) return (await create())!;
  const find = () =>
    db
      .selectFrom('vault_subjects')
      .select(['id', 'wrapped_key'])
      .where('kind', '=', 'message')
      .where('origin_message_id', '=', messageId)
      .where('erased_at', 'is', null)
      .forShare()
      .executeTakeFirst();
  const found = await find();
  if (found) return unwrapRow(kek, found);
  return (await create()) ?? unwrapRow(kek, (await find())!);
}
