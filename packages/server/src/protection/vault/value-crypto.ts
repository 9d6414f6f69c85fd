import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM for vaulted values under a subject's data key (VA-4). The
// associated data binds each ciphertext to its token, subject and type, so a
// ciphertext copied onto another row (or another subject's key) fails to decrypt.

export interface SealedValue {
  ciphertext: Buffer;
  nonce: Buffer;
  tag: Buffer;
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

function aad(tokenId: string, subjectId: string, type: string): Buffer {
  return Buffer.from(`enclave-vault-value|${tokenId}|${subjectId}|${type}`);
}

/** Context a subject's wrapped data key is bound to (see KeyEncryptionKey.wrap). */
export function dataKeyContext(subjectId: string): string {
  return `subject:${subjectId}`;
}

export function sealValue(
  dataKey: Buffer,
  value: string,
  ids: { tokenId: string; subjectId: string; type: string },
): SealedValue {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', dataKey, nonce);
  c.setAAD(aad(ids.tokenId, ids.subjectId, ids.type));
  const ciphertext = Buffer.concat([c.update(value, 'utf8'), c.final()]);
  return { ciphertext, nonce, tag: c.getAuthTag() };
}

export function openValue(
  dataKey: Buffer,
  sealed: SealedValue,
  ids: { tokenId: string; subjectId: string; type: string },
): string {
  const d = createDecipheriv('aes-256-gcm', dataKey, sealed.nonce);
  d.setAAD(aad(ids.tokenId, ids.subjectId, ids.type));
  d.setAuthTag(sealed.tag);
  return Buffer.concat([d.update(sealed.ciphertext), d.final()]).toString('utf8');
}
