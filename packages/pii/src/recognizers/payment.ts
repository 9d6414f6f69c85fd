import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { forEachDigitSpan, isAsciiAlnum } from '../scan-context.ts';
import { ibanMod97Valid, isTrivialSequence, luhnValid } from '../validators.ts';

const CARD_CONTEXT = compileContext([
  'card',
  'credit card',
  'debit card',
  'cc',
  'visa',
  'mastercard',
  'master card',
  'amex',
  'american express',
  'discover',
  'maestro',
  'jcb',
  'diners',
  'unionpay',
  'pan',
  'card number',
  'card no',
  'cardholder',
  'exp',
  'expiry',
  'cvv',
  'chargeback',
  'charged',
  'payment',
  'paid with',
  'billing',
]);
/** Numbers that are identifiers of our own systems, not cards (hard negatives). */
const NOT_CARD_CONTEXT = compileContext([
  'order',
  'tracking',
  'invoice',
  'ticket',
  'case',
  'ref',
  'reference',
  'txn',
  'transaction id',
  'shipment',
  'sku',
  'build',
  'serial',
  'imei',
  'uid',
  'user id',
  'account id',
  'phone',
  'tel',
  'call',
]);

/** Issuer identification: does the prefix and length belong to a real card scheme? */
export function cardScheme(d: string): string | null {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'Visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'Mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'American Express';
  if (
    (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) &&
    n >= 16 &&
    n <= 19
  )
    return 'Discover';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'JCB';
  if ((p4 === 2131 || p4 === 1800) && n === 15) return 'JCB';
  if (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19)
    return 'Diners Club';
  if (p2 === 62 && n >= 16 && n <= 19) return 'UnionPay';
  if (p4 >= 2200 && p4 <= 2204 && n === 16) return 'Mir';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'Maestro';
  return null;
}

function regularGrouping(lengths: readonly number[]): boolean {
  if (lengths.length === 1) return true;
  const key = lengths.join('-');
  if (key === '4-6-5' || key === '4-6-4') return true;
  return lengths.slice(0, -1).every((l) => l === 4) && (lengths[lengths.length - 1] as number) <= 4;
}

export const creditCardRecognizer: Recognizer = {
  name: 'credit_card',
  types: ['CREDIT_CARD'],
  gate: (f) => f.maxGroupedDigits >= 12,
  find(ctx, out) {
    const t = ctx.text;
    for (const run of ctx.digitRuns()) {
      forEachDigitSpan(t, run, 12, 19, (start, end, digits, span) => {
        if (!luhnValid(digits) || isTrivialSequence(digits)) return false;
        const scheme = cardScheme(digits);
        // Without a known issuer prefix only a whole run counts: a fragment of a longer number is noise.
        if (!scheme && (digits.length < 13 || start !== run.start || end !== run.end)) return false;
        const word = ctx.context(start, end, CARD_CONTEXT, 48, 32);
        if (!scheme && !word) return false;
        const regular = regularGrouping(span.lengths());
        let score = scheme ? (regular ? 0.9 : 0.75) : 0.7;
        if (word) score = scheme ? 0.97 : 0.8;
        else if (ctx.context(start, end, NOT_CARD_CONTEXT, 32, 0)) score = 0.4;
        out.push({
          type: 'CREDIT_CARD',
          start,
          end,
          score,
          detector: 'credit_card',
          explanation: `${digits.length} digits, Luhn valid${scheme ? `, ${scheme} prefix` : ', unknown issuer'}${regular ? '' : ', irregular grouping'}${contextNote(word)}`,
          specificity: 8,
        });
        return true;
      });
    }
  },
};

/** IBAN length per country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){10,30}/g;
const IBAN_CONTEXT = compileContext([
  'iban',
  'bank',
  'account',
  'transfer',
  'wire',
  'sepa',
  'payout',
  'refund',
]);

export const ibanRecognizer: Recognizer = {
  name: 'iban',
  types: ['IBAN_CODE'],
  gate: (f) => f.digits >= 12,
  find(ctx, out) {
    const t = ctx.text;
    IBAN_CANDIDATE.lastIndex = 0;
    for (let m = IBAN_CANDIDATE.exec(t); m; m = IBAN_CANDIDATE.exec(t)) {
      const s = m[0].toUpperCase();
      const want = IBAN_LENGTHS[s.slice(0, 2)];
      if (!want) continue;
      let compact = '';
      let k = 0;
      while (k < s.length && compact.length < want) {
        if (s[k] !== ' ' && s[k] !== '-') compact += s[k];
        k++;
      }
      const end = m.index + k;
      if (compact.length !== want || (end < t.length && isAsciiAlnum(t.charCodeAt(end)))) continue;
      if (!ibanMod97Valid(compact)) continue;
      const word = ctx.context(m.index, end, IBAN_CONTEXT);
      out.push({
        type: 'IBAN_CODE',
        start: m.index,
        end,
        score: word ? 0.98 : 0.95,
        detector: 'iban',
        explanation: `${compact.slice(0, 2)} IBAN of the registered length ${want}, mod-97 valid${contextNote(word)}`,
        specificity: 9,
      });
      IBAN_CANDIDATE.lastIndex = end;
    }
  },
};
