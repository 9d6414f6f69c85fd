import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { sha256 } from '../sha256.ts';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const WALLET_CONTEXT = compileContext([
  'btc',
  'bitcoin',
  'eth',
  'ether',
  'ethereum',
  'wallet',
  'crypto',
  'address',
  'usdt',
  'send to',
  'deposit',
]);

/** Base58check: the last 4 bytes are the first 4 of sha256(sha256(payload)); version 0x00 or 0x05. */
export function base58checkValid(s: string): boolean {
  let bytes: number[] = [0];
  for (const ch of s) {
    const v = BASE58.indexOf(ch);
    if (v < 0) return false;
    let carry = v;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const ch of s) {
    if (ch !== '1') break;
    bytes.push(0);
  }
  bytes = bytes.reverse();
  // Strip the extra leading zero from the initial accumulator when it did not fill.
  while (bytes.length > 25 && bytes[0] === 0) bytes.shift();
  if (bytes.length !== 25 || (bytes[0] !== 0x00 && bytes[0] !== 0x05)) return false;
  const payload = Uint8Array.from(bytes.slice(0, 21));
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return false;
  return true;
}

function bech32Polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i] as number;
  }
  return chk;
}

/** BIP-173 (bech32, constant 1) and BIP-350 (bech32m) checksums for segwit addresses. */
export function bech32Valid(address: string): boolean {
  const s = address.toLowerCase();
  if (s !== address && address.toUpperCase() !== address) return false;
  const sep = s.lastIndexOf('1');
  if (sep < 1 || s.length - sep < 7) return false;
  const hrp = s.slice(0, sep);
  const data: number[] = [];
  for (const ch of s.slice(sep + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return false;
    data.push(v);
  }
  const expanded: number[] = [];
  for (const ch of hrp) expanded.push(ch.charCodeAt(0) >> 5);
  expanded.push(0);
  for (const ch of hrp) expanded.push(ch.charCodeAt(0) & 31);
  const pm = bech32Polymod([...expanded, ...data]);
  return pm === 1 || pm === 0x2bc830a3;
}

const BTC_BASE58 = /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const BTC_BECH32 = /(?<![A-Za-z0-9])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![A-Za-z0-9])/g;
const ETH = /(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![A-Za-z0-9])/g;

export const cryptoWalletRecognizer: Recognizer = {
  name: 'crypto_wallet',
  types: ['CRYPTO_WALLET'],
  // The shortest address (bech32 "bc1" + 11) is an unbroken run of 14 letters and digits.
  gate: (f) => f.digits >= 2 && f.length >= 26 && f.longestAlnumRun >= 14,
  find(ctx, out) {
    const t = ctx.text;
    const checks: Array<[RegExp, (s: string) => boolean, string, number]> = [
      [BTC_BASE58, base58checkValid, 'Bitcoin base58check address, checksum valid', 0.95],
      [BTC_BECH32, bech32Valid, 'Bitcoin bech32/bech32m address, checksum valid', 0.95],
      [ETH, (s) => !/^0x0+$/.test(s), 'Ethereum 0x + 40 hex address', 0.8],
    ];
    for (const [re, valid, what, base] of checks) {
      re.lastIndex = 0;
      for (let m = re.exec(t); m; m = re.exec(t)) {
        if (!valid(m[0])) continue;
        const word = ctx.context(m.index, m.index + m[0].length, WALLET_CONTEXT);
        out.push({
          type: 'CRYPTO_WALLET',
          start: m.index,
          end: m.index + m[0].length,
          score: word ? Math.max(base, 0.95) : base,
          detector: 'crypto_wallet',
          explanation: `${what}${contextNote(word)}`,
          specificity: 9,
        });
      }
    }
  },
};
