import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret with a readable prefix (so leaked tokens can be recognised by scanners). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets are stored only as SHA-256 digests: they are random, so no salt or slow hash is needed. */
export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
