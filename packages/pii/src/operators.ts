/**
 * Operators turn findings into safe text (SPEC R10). They are separate from detection: the
 * policy engine decides which operator applies to which finding.
 */
import { hmacSha256, toHex, utf8 } from './sha256.ts';
import type { Finding, FindingType } from './types.ts';

export type Operator =
  /** Replace characters with `char`, keeping `keepLast` alphanumerics (a safe suffix) and separators. */
  | { kind: 'mask'; char?: string; keepLast?: number }
  /** Replace the whole value with `replacement` (default "[TYPE]"). */
  | { kind: 'redact'; replacement?: string }
  /** Replace with a caller-supplied token, e.g. a vault reference. */
  | { kind: 'tokenise'; token: (finding: Finding, value: string) => string }
  /** Replace with HMAC-SHA-256(key, value) in hex, optionally truncated; same value + key -> same output. */
  | { kind: 'keyedHash'; key: Uint8Array | string; length?: number; prefix?: string };

/** How many trailing alphanumerics a mask keeps by default: only where the suffix is commonly shown. */
export const DEFAULT_SAFE_SUFFIX: Partial<Record<FindingType, number>> = {
  CREDIT_CARD: 4,
  IBAN_CODE: 4,
  PHONE_NUMBER: 2,
};

function isAlnum(ch: string): boolean {
  return /[\p{L}\p{N}]/u.test(ch);
}

export function maskValue(value: string, type: FindingType, char = '*', keepLast?: number): string {
  if (type === 'EMAIL_ADDRESS' && keepLast === undefined) {
    // The domain is the safe suffix of an e-mail address.
    const at = value.lastIndexOf('@');
    if (at > 0) return char.repeat(at) + value.slice(at);
  }
  let keep = keepLast ?? DEFAULT_SAFE_SUFFIX[type] ?? 0;
  const chars = Array.from(value);
  // Never keep more than a third of the value, so short values are not revealed by their suffix.
  const alnumCount = chars.filter(isAlnum).length;
  keep = Math.min(keep, Math.floor(alnumCount / 3));
  let out = '';
  for (let i = chars.length - 1; i >= 0; i--) {
    const ch = chars[i] as string;
    if (!isAlnum(ch)) out = (/\s/.test(ch) || /[-./:()+]/.test(ch) ? ch : char) + out;
    else if (keep > 0) {
      out = ch + out;
      keep--;
    } else out = char + out;
  }
  return out;
}

export function keyedHash(value: string, key: Uint8Array | string, length = 64): string {
  const k = typeof key === 'string' ? utf8(key) : key;
  if (k.length < 16) throw new Error('keyedHash: key must be at least 16 bytes');
  return toHex(hmacSha256(k, utf8(value))).slice(0, length);
}

/** The same HMAC through WebCrypto (Node 20 and browsers), for callers that prefer native crypto. */
export async function keyedHashAsync(value: string, key: Uint8Array | string, length = 64): Promise<string> {
  const k = typeof key === 'string' ? utf8(key) : key;
  if (k.length < 16) throw new Error('keyedHash: key must be at least 16 bytes');
  const subtle = globalThis.crypto.subtle;
  const cryptoKey = await subtle.importKey(
    'raw',
    k as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await subtle.sign('HMAC', cryptoKey, utf8(value) as Uint8Array<ArrayBuffer>));
  return toHex(mac).slice(0, length);
}

export function applyOperator(value: string, finding: Finding, op: Operator): string {
  switch (op.kind) {
    case 'mask':
      return maskValue(value, finding.type, op.char ?? '*', op.keepLast);
    case 'redact':
      return op.replacement ?? `[${finding.type}]`;
    case 'tokenise':
      return op.token(finding, value);
    case 'keyedHash':
      return `${op.prefix ?? ''}${keyedHash(value, op.key, op.length)}`;
  }
}

/**
 * Applies an operator to every finding and returns the new text. Findings must not overlap
 * (scan() guarantees that); they are applied right to left so earlier offsets stay valid.
 */
export function anonymise(
  text: string,
  findings: readonly Finding[],
  operator: Operator | ((f: Finding) => Operator | null),
): string {
  const ordered = [...findings].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = text.length;
  for (const f of ordered) {
    if (f.end > limit || f.start < 0 || f.start >= f.end) continue; // overlapping or invalid: skip, never corrupt
    const op = typeof operator === 'function' ? operator(f) : operator;
    if (!op) continue;
    out = out.slice(0, f.start) + applyOperator(text.slice(f.start, f.end), f, op) + out.slice(f.end);
    limit = f.start;
  }
  return out;
}
