import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// AU-8: one Ed25519 checkpoint-signing key per store. It comes from the
// configuration (ENCLAVE_AUDIT_SIGNING_KEYS, PKCS#8 PEM or base64 DER per
// store: the way to share one key across nodes) or else from
// <dataDir>/keys/audit-<store>.ed25519, created with 0600 on first use.

export interface SigningKey {
  store: string;
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM: what an outside auditor is given. */
  publicPem: string;
}

export function keyPath(dataDir: string, store: string): string {
  return join(dataDir, 'keys', `audit-${store}.ed25519`);
}

/** Key id: the first 16 bytes (hex) of SHA-256 over the public key's SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

function fromPrivate(store: string, privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`the audit key for ${store} is not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return {
    store,
    keyId: keyIdOf(publicKey),
    privateKey,
    publicKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function parsePrivate(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPrivateKey(t);
  return createPrivateKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'pkcs8' });
}

const cache = new Map<string, SigningKey>();

/**
 * The store's signing key, or null when none exists and `create` is false
 * (verification must never mint a key it would then trust).
 */
export function loadSigningKey(
  dataDir: string,
  store: string,
  opts: { create: boolean; configured?: Record<string, string> | undefined },
): SigningKey | null {
  const given = opts.configured?.[store];
  if (given) return fromPrivate(store, parsePrivate(given));
  const path = keyPath(dataDir, store);
  const cached = cache.get(path);
  if (cached) return cached;
  let pem: string | null = null;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (pem === null) {
    if (!opts.create) return null;
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const out = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // 'wx': two nodes sharing a data directory must not overwrite each other's key.
      writeFileSync(path, out, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
      pem = out;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      pem = readFileSync(path, 'utf8');
    }
  }
  const key = fromPrivate(store, parsePrivate(pem));
  cache.set(path, key);
  return key;
}

/** Parses an exported public key (SPKI PEM) for verification. */
export function parsePublicKey(pem: string): { keyId: string; key: KeyObject } {
  const key = createPublicKey(pem.trim());
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return { keyId: keyIdOf(key), key };
}
