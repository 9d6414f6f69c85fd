/**
 * Alphabets, check-digit completion and encodings (base58check, bech32, JWT) used to make fake
 * values that pass the same validators the detector applies.
 */
import { sha256 } from '../../src/sha256.ts';
import { luhnValid } from '../../src/validators.ts';
import type { Random } from './random.ts';

export const HEX = '0123456789abcdef';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function withCheck(body: () => string, ok: (s: string) => boolean): string {
  for (;;) {
    const s = body();
    if (ok(s)) return s;
  }
}

export function group(s: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) {
    parts.push(s.slice(at, at + n));
    at += n;
  }
  return parts.join(sep);
}

export function luhnComplete(r: Random, prefix: string, length: number): string {
  const body = prefix + r.digits(length - prefix.length - 1);
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

export function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}

export function base64url(s: string): string {
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function jwt(r: Random): string {
  const header = base64url(JSON.stringify({ alg: r.pick(['HS256', 'RS256']), typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({ sub: String(r.int(1000, 99999)), iat: 1700000000 + r.int(0, 9999999) }),
  );
  return `${header}.${payload}.${r.chars(ALNUM + '-_', 43)}`;
}

export function base58check(version: number, hash: number[]): string {
  const payload = Uint8Array.from([version, ...hash]);
  const check = sha256(sha256(payload)).slice(0, 4);
  const bytes = [...payload, ...check];
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export function bech32Address(program: number[]): string {
  const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const data = [0];
  let acc = 0;
  let bits = 0;
  for (const b of program) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      data.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) data.push((acc << (5 - bits)) & 31);
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  const polymod = (values: number[]): number => {
    let chk = 1;
    for (const v of values) {
      const top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i] as number;
    }
    return chk;
  };
  const hrp = [3, 3, 0, 2, 3]; // "bc" expanded: high bits 3,3; separator 0; low bits 2,3
  const mod = polymod([...hrp, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `bc1${[...data, ...checksum].map((v) => CHARSET[v]).join('')}`;
}
