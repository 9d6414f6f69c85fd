import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { planRegions, regionHome } from '../config/regions.ts';
import type { Config } from '../config/schema.ts';

// The top of the vault's key hierarchy (docs/data-protection/vault.md, VA-1..VA-4):
//   region key-encryption key (KEK)  ->  per-subject data keys (wrapped)  ->  values
// A KeyProvider hands out one KEK per region. The KEK's raw bytes never leave
// this module: callers can only ask it to wrap, unwrap or keyed-hash, which is
// exactly what a cloud KMS offers, so a KMS provider can implement the same
// interface without the vault changing.

/** One region's key-encryption key, usable only through these operations. */
export interface KeyEncryptionKey {
  readonly region: string;
  /** A public fingerprint of the key (not secret), stored next to what it wrapped. */
  readonly keyId: string;
  /** Encrypts a data key; `context` is bound in (AAD), so the result only unwraps with the same context. */
  wrap(dataKey: Buffer, context: string): Promise<Buffer>;
  /** Throws if the wrapped key was made by another key or for another context. */
  unwrap(wrapped: Buffer, context: string): Promise<Buffer>;
  /** HMAC-SHA-256 under a key derived from the KEK for `purpose`: the same input gives the same output. */
  keyedHash(purpose: string, data: string): Promise<Buffer>;
}

export interface KeyProvider {
  readonly kind: string;
  regionKey(regionId: string): Promise<KeyEncryptionKey>;
}

const WRAP_VERSION = 1;
const KEY_BYTES = 32;

function derive(kek: Buffer, region: string, purpose: string): Buffer {
  // Separate subkeys per purpose and region: a key derived for one use is useless for another.
  return Buffer.from(hkdfSync('sha256', kek, `enclave-vault:${region}`, `enclave/${purpose}`, KEY_BYTES));
}

/** A KEK held in this process (file and environment providers). */
class LocalKek implements KeyEncryptionKey {
  readonly keyId: string;
  private readonly wrapKey: Buffer;
  private readonly macRoot: Buffer;
  private readonly macKeys = new Map<string, Buffer>();

  constructor(
    readonly region: string,
    kek: Buffer,
  ) {
    this.wrapKey = derive(kek, region, 'wrap');
    this.macRoot = derive(kek, region, 'mac');
    this.keyId = derive(kek, region, 'key-id').subarray(0, 8).toString('hex');
    kek.fill(0); // only the derived subkeys are kept
  }

  async wrap(dataKey: Buffer, context: string): Promise<Buffer> {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.wrapKey, nonce);
    c.setAAD(Buffer.from(`${this.region}|${context}`));
    const body = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([Buffer.from([WRAP_VERSION]), nonce, c.getAuthTag(), body]);
  }

  async unwrap(wrapped: Buffer, context: string): Promise<Buffer> {
    if (wrapped.length !== 1 + 12 + 16 + KEY_BYTES || wrapped[0] !== WRAP_VERSION) {
      throw new Error('vault: wrapped data key has an unknown format');
    }
    const d = createDecipheriv('aes-256-gcm', this.wrapKey, wrapped.subarray(1, 13));
    d.setAAD(Buffer.from(`${this.region}|${context}`));
    d.setAuthTag(wrapped.subarray(13, 29));
    return Buffer.concat([d.update(wrapped.subarray(29)), d.final()]);
  }

  async keyedHash(purpose: string, data: string): Promise<Buffer> {
    let key = this.macKeys.get(purpose);
    if (!key) {
      key = derive(this.macRoot, this.region, purpose);
      this.macKeys.set(purpose, key);
    }
    return createHmac('sha256', key).update(data, 'utf8').digest();
  }
}

class StaticProvider implements KeyProvider {
  constructor(
    readonly kind: string,
    private readonly keys: Map<string, KeyEncryptionKey>,
  ) {}
  async regionKey(regionId: string): Promise<KeyEncryptionKey> {
    const k = this.keys.get(regionId);
    // A region only ever gets its own key (VA-3): there is no fallback to another region's.
    if (!k) throw new Error(`vault: no key for region ${regionId}`);
    return k;
  }
}

function envKek(regionKeys: Record<string, string>, id: string): KeyEncryptionKey {
  const b64 = regionKeys[id];
  if (!b64) {
    throw new ConfigError(
      `ENCLAVE_REGION_KEYS: region "${id}" has no key. Fix: add "${id}": "<openssl rand -base64 32>".`,
    );
  }
  return new LocalKek(id, Buffer.from(b64, 'base64'));
}

/** Keys from ENCLAVE_REGION_KEYS: for multi-node installs and secret managers that inject env vars. */
export function envKeyProvider(regionKeys: Record<string, string>, regionIds: string[]): KeyProvider {
  return new StaticProvider('env', new Map(regionIds.map((id) => [id, envKek(regionKeys, id)])));
}

/** Group or other permission bits on a secret: refuse rather than use a key others could read. */
function tooOpen(mode: number): boolean {
  return (mode & 0o077) !== 0;
}

function ensureKeyDir(dir: string): void {
  // Only the key directory itself is private: as root, an embedded cluster's OS user must be
  // able to pass through its parent (DATA_DIR/regions/<id>).
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory()) throw new ConfigError(`vault key directory ${dir} is not a directory.`);
  if (tooOpen(st.mode)) {
    throw new ConfigError(
      `vault key directory ${dir} is readable by others (mode ${(st.mode & 0o777).toString(8)}). Fix: chmod 700 ${dir}`,
    );
  }
}

/** Reads a region's key file, creating it (0600, exclusive) on first start. */
function loadOrCreateKeyFile(path: string): Buffer {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, randomBytes(KEY_BYTES));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    // EEXIST: made by an earlier start (or a node racing us); read it below.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = statSync(path);
  if (!st.isFile()) throw new ConfigError(`vault key ${path} is not a file.`);
  if (tooOpen(st.mode)) {
    throw new ConfigError(
      `vault key ${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}). Fix: chmod 600 ${path}`,
    );
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`vault key ${path} is not a ${KEY_BYTES}-byte key; restore it from backup.`);
  }
  return key;
}

/**
 * Where a region's key file is: in its configured directory; else, on an install from before
 * per-region directories, the shared `<dataDir>/keys` file if it exists (kept, so the vault still
 * opens); else `<dataDir>/regions/<id>/keys`.
 */
export function regionKeyPath(dataDir: string, regionId: string, dir?: string | null): string {
  const name = `region-${regionId}.kek`;
  if (dir) return join(dir, name);
  const shared = join(dataDir, 'keys', name);
  if (existsSync(shared)) return shared;
  return join(regionHome(dataDir, regionId), 'keys', name);
}

function fileKek(dataDir: string, id: string, dir?: string | null): KeyEncryptionKey {
  const path = regionKeyPath(dataDir, id, dir);
  ensureKeyDir(dirname(path));
  return new LocalKek(id, loadOrCreateKeyFile(path));
}

/** Key files (32 random bytes each, created on first start) at regionKeyPath. */
export function fileKeyProvider(
  dataDir: string,
  regionIds: string[],
  dirs: Record<string, string | null | undefined> = {},
): KeyProvider {
  return new StaticProvider('file', new Map(regionIds.map((id) => [id, fileKek(dataDir, id, dirs[id])])));
}

/**
 * Chosen at start, per region: its keyProvider, by default environment keys when
 * ENCLAVE_REGION_KEYS is set, otherwise a key file. Throws to stop the start.
 */
export function openKeyProvider(config: Config): KeyProvider {
  const keys = new Map<string, KeyEncryptionKey>();
  const kinds = new Set<string>();
  for (const plan of planRegions(config)) {
    kinds.add(plan.keys.type);
    keys.set(
      plan.id,
      plan.keys.type === 'env'
        ? envKek(config.regionKeys ?? {}, plan.id)
        : fileKek(config.dataDir, plan.id, plan.keys.dir),
    );
  }
  return new StaticProvider(kinds.size === 1 ? [...kinds][0]! : 'mixed', keys);
}
