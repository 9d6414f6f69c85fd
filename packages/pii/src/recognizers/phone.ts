import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { type DigitRun, forEachDigitSpan } from '../scan-context.ts';
import { isTrivialSequence, isValidDate } from '../validators.ts';

const PHONE_CONTEXT = compileContext([
  'phone',
  'phone number',
  'phone no',
  'tel',
  'telephone',
  'mobile',
  'mob',
  'cell',
  'cellphone',
  'call',
  'called',
  'calling',
  'text',
  'texted',
  'sms',
  'whatsapp',
  'signal',
  'telegram',
  'viber',
  'contact',
  'contact number',
  'ph',
  'landline',
  'fax',
  'dial',
  'reach',
  'hotline',
  'callback',
  'otp sent to',
  'msisdn',
]);
const NOT_PHONE_CONTEXT = compileContext([
  'order',
  'ticket',
  'case',
  'invoice',
  'tracking',
  'ref',
  'reference',
  'txn',
  'transaction',
  'sku',
  'build',
  'version',
  'uid',
  'user id',
  'account id',
  'id',
  'ssn',
  'nhs',
  'tfn',
  'medicare',
  'iqama',
  'national id',
  'imei',
  'serial',
  'passport',
  'licence',
  'license',
  'zip',
  'postcode',
  'amount',
  'total',
  'usd',
  'eur',
  'gbp',
  'balance',
]);
const EXTENSION = /^\s?(?:x|ext\.?|extension)\s?\d{1,6}/i;

function digitCount(run: DigitRun): number {
  let n = 0;
  for (let k = 0; k < run.groups.length; k += 2)
    n += (run.groups[k + 1] as number) - (run.groups[k] as number);
  return n;
}

/**
 * A date, or a date followed by more numbers ("2025-05-26 04:12" read as 2025-05-26 04): the
 * first three groups form a valid date with date separators between them.
 */
function looksLikeDate(lengths: readonly number[], digits: string, seps: readonly string[]): boolean {
  if (lengths.length < 3) return false;
  for (let k = 0; k < 2; k++) if (seps[k] !== '-' && seps[k] !== '/' && seps[k] !== '.') return false;
  if (lengths.length > 3 && (lengths[0] as number) !== 4) return false;
  const shape = lengths.slice(0, 3).join('-');
  const [a, b, c] = [
    Number(digits.slice(0, lengths[0])),
    Number(digits.slice(lengths[0], lengths[0]! + lengths[1]!)),
    Number(digits.slice(lengths[0]! + lengths[1]!, lengths[0]! + lengths[1]! + lengths[2]!)),
  ];
  if (shape === '4-2-2') return isValidDate(a, b, c);
  if (shape === '2-2-4' || shape === '1-2-4' || shape === '2-1-4' || shape === '1-1-4')
    return isValidDate(c, a, b) || isValidDate(c, b, a);
  return false;
}

/**
 * PHONE_NUMBER (SPEC R17): NANP numbers written in a phone layout, international numbers with
 * "+"/"00", and national numbers with a trunk 0 score on their own; any other digit grouping
 * needs a phone context word. Dates and identifier-context numbers are rejected.
 */
export const phoneRecognizer: Recognizer = {
  name: 'phone',
  types: ['PHONE_NUMBER'],
  gate: (f) => f.maxGroupedDigits >= 7,
  find(ctx, out) {
    const t = ctx.text;
    for (const run of ctx.digitRuns()) {
      // A card-like run (13-19 digits in 3+ groups) is one value: never read a phone out of part of it.
      const runDigits = digitCount(run);
      const cardLike = run.groups.length >= 6 && runDigits >= 13 && runDigits <= 19;
      forEachDigitSpan(t, run, 7, 15, (start, end, digits, span) => {
        if (cardLike && (start !== run.start || end !== run.end)) return false;
        // Phone layouts never have single-digit groups after the first (country code or trunk),
        // except right after an international country code: "+33 6 14 75 89 98".
        const plusBefore = t[start - 1] === '+';
        for (let k = 1; k < span.groupCount; k++)
          if (span.groupLength(k) < 2 && !(k === 1 && plusBefore && span.groupLength(0) <= 3)) return false;
        const lengths = span.lengths();
        const seps = span.separators();
        if (isTrivialSequence(digits) || looksLikeDate(lengths, digits, seps)) return false;
        let s = start;
        let e = end;
        const plus = t[s - 1] === '+' || (t[s - 1] === '(' && t[s - 2] === '+');
        if (t[s - 1] === '(') s--;
        if (t[s - 1] === '+') s--;
        // Most numbers are not followed by an extension: test the next character before slicing.
        const next = t.charCodeAt(e) | 0x20;
        const ext =
          next === 0x20 || next === 0x78 || next === 0x65 ? EXTENSION.exec(t.slice(e, e + 16)) : null;
        if (ext) e += ext[0].length;
        const grouped = lengths.length > 1 || seps.length > 0;
        const n = digits.length;
        const nanp =
          (n === 10 && /^[2-9]\d\d[2-9]/.test(digits)) || (n === 11 && /^1[2-9]\d\d[2-9]/.test(digits));
        const intl = (plus && n >= 8) || (/^00[1-9]/.test(digits) && n >= 10);
        const trunk = !intl && digits[0] === '0' && digits[1] !== '0' && n >= 9 && n <= 11 && grouped;
        let score: number;
        let kind: string;
        if (intl) [score, kind] = [0.75, 'international format'];
        else if (nanp)
          [score, kind] = [grouped ? 0.7 : 0.4, `North American layout${grouped ? '' : ' (unformatted)'}`];
        else if (trunk) [score, kind] = [0.6, 'national format with trunk 0'];
        else if (grouped && n <= 13) [score, kind] = [0.3, 'digit groups'];
        else return false;
        const word = ctx.context(s, e, PHONE_CONTEXT, 40, 24);
        if (score === 0.3 && !word) return false;
        if (word) score = Math.max(score, 0.85);
        else if (ctx.context(s, e, NOT_PHONE_CONTEXT, 32, 0)) score = Math.min(score, 0.3);
        out.push({
          type: 'PHONE_NUMBER',
          start: s,
          end: e,
          score,
          detector: 'phone',
          explanation: `${n} digits, ${kind}${ext ? ', extension' : ''}${contextNote(word)}`,
          specificity: 3,
        });
        return true;
      });
    }
  },
};
