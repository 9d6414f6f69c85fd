import type { KeyEncryptionKey } from '../keys.ts';
import { newDataKey, openValue, type SealedValue, sealValue } from './value-crypto.ts';

// A whole text held sealed (the quarantine queue, PL-6): AES-256-GCM under a
// fresh data key of its own, wrapped by the region key and bound to the row, so
// dropping the wrapped key (or the row) destroys the text for good.

export interface SealedText extends SealedValue {
  wrapped_key: Buffer;
}

const context = (rowId: string) => `quarantine:${rowId}`;
const ids = (rowId: string) => ({ tokenId: rowId, subjectId: rowId, type: 'QUARANTINED_TEXT' });

export async function sealText(kek: KeyEncryptionKey, rowId: string, text: string): Promise<SealedText> {
  const dataKey = newDataKey();
  const sealed = sealValue(dataKey, text, ids(rowId));
  return { ...sealed, wrapped_key: await kek.wrap(dataKey, context(rowId)) };
}

export async function openText(kek: KeyEncryptionKey, rowId: string, sealed: SealedText): Promise<string> {
  const dataKey = await kek.unwrap(sealed.wrapped_key, context(rowId));
  return openValue(dataKey, sealed, ids(rowId));
}
