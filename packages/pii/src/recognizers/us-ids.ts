import { compileContext, contextFragments } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { type Candidate, forEachDigitSpan, type ScanContext } from '../scan-context.ts';
import { US_DL_FORMATS } from './us-dl-formats.ts';

const SSN_CONTEXT = compileContext([
  'ssn',
  'ssns',
  'ss#',
  'ssn#',
  'social security',
  'social security number',
  'social sec',
  'soc sec',
  'ss no',
  'ssa',
  'tin',
  'itin',
  'taxpayer id',
  'last 4 ssn',
]);
const NOT_SSN_CONTEXT = compileContext([
  'order',
  'ticket',
  'case',
  'invoice',
  'tracking',
  'routing',
  'aba',
  'zip',
  'ref',
  'phone',
  'tel',
  'call',
  'fax',
  'uid',
  'user id',
  'account',
  'passport',
  'licence',
  'license',
  'nhs',
  'tfn',
  'medicare',
  'iqama',
  'imei',
]);
const KNOWN_INVALID_SSNS = new Set(['078051120', '219099999', '457555462']);

function ssnStructureValid(d: string): boolean {
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  return (
    area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0 && !KNOWN_INVALID_SSNS.has(d)
  );
}

/**
 * US_SSN (SPEC R12): the 3-2-4 shape is weak evidence, so without an SSN context word a dashed
 * number stays below the blocking band and an unformatted one below the reporting threshold.
 */
export const ssnRecognizer: Recognizer = {
  name: 'us_ssn',
  types: ['US_SSN'],
  gate: (f) => f.maxGroupedDigits >= 9,
  find(ctx, out) {
    const t = ctx.text;
    for (const run of ctx.digitRuns()) {
      forEachDigitSpan(t, run, 9, 9, (start, end, digits, span) => {
        if (!ssnStructureValid(digits)) return false;
        const lengths = span.lengths();
        const seps = span.separators();
        const shape = lengths.join('-');
        const dashed = shape === '3-2-4' && seps.every((s) => s === '-');
        const spaced = shape === '3-2-4' && !dashed;
        if (!dashed && !spaced && shape !== '9') return false;
        const word = ctx.context(start, end, SSN_CONTEXT, shape === '9' ? 32 : 48, 24);
        let score: number;
        if (word) score = dashed ? 0.95 : 0.85;
        else if (ctx.context(start, end, NOT_SSN_CONTEXT, 32, 0)) score = 0.3;
        else score = dashed ? 0.6 : spaced ? 0.45 : 0.3;
        out.push({
          type: 'US_SSN',
          start,
          end,
          score,
          detector: 'us_ssn',
          explanation: `SSN shape ${dashed ? 'AAA-GG-SSSS' : spaced ? 'AAA GG SSSS' : '(9 digits)'}, valid area/group/serial${contextNote(word)}`,
          specificity: 6,
        });
        return true;
      });
    }
  },
};

const PASSPORT_WORDS = [
  'passport',
  'passport no',
  'passport number',
  'passport #',
  'passport#',
  'pp no',
  'travel document',
];
const PASSPORT_CONTEXT = compileContext(PASSPORT_WORDS);
const US_CONTEXT = compileContext(['us', 'u.s', 'usa', 'united states', 'american']);
const PASSPORT_LETTER_FORM = /(?<![A-Za-z0-9])[A-Z]\d{8}(?![A-Za-z0-9])/g;

function emitPassport(ctx: ScanContext, out: Candidate[], start: number, end: number, form: string): void {
  const word = ctx.context(start, end, PASSPORT_CONTEXT, 48, 24);
  if (!word) return;
  const us = ctx.context(start, end, US_CONTEXT, 64, 24);
  out.push({
    type: 'US_PASSPORT',
    start,
    end,
    score: us ? 0.9 : 0.8,
    detector: 'us_passport',
    explanation: `US passport number form (${form})${contextNote(word)}${us ? `, "${us}"` : ''}`,
    specificity: 5,
  });
}

/** US_PASSPORT: 9 digits (older books) or a letter and 8 digits (since 2021). No checksum: context required. */
export const usPassportRecognizer: Recognizer = {
  name: 'us_passport',
  types: ['US_PASSPORT'],
  gate: (f) => f.digits >= 8,
  requires: contextFragments(PASSPORT_WORDS),
  find(ctx, out) {
    const t = ctx.text;
    for (const run of ctx.digitRuns()) {
      forEachDigitSpan(t, run, 9, 9, (start, end, _digits, span) => {
        if (span.groupCount > 3) return false;
        emitPassport(ctx, out, start, end, '9 digits');
        return true;
      });
    }
    PASSPORT_LETTER_FORM.lastIndex = 0;
    for (let m = PASSPORT_LETTER_FORM.exec(t); m; m = PASSPORT_LETTER_FORM.exec(t))
      emitPassport(ctx, out, m.index, m.index + 9, 'letter + 8 digits');
  },
};

const DL_WORDS = [
  "driver's license",
  "driver's licence",
  'drivers license',
  'drivers licence',
  'driver license',
  'driver licence',
  'driving license',
  'driving licence',
  'dl',
  'dl#',
  'dl #',
  'dl no',
  'dln',
  'lic',
  'lic#',
  'lic no',
  'license',
  'licence',
  'license no',
  'license number',
  'license #',
  'licence number',
  'id card',
];
const DL_CONTEXT = compileContext(DL_WORDS);
const NOT_DL_CONTEXT = compileContext([
  'license key',
  'licence key',
  'product key',
  'software license',
  'serial',
  'activation',
  'mit license',
  'apache license',
  'seat',
]);

const STATE_NAMES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  florida: 'FL',
  georgia: 'GA',
  guam: 'GU',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'puerto rico': 'PR',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
};
const STATE_NAME_RE = new RegExp(
  `\\b(${Object.keys(STATE_NAMES)
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
  'gi',
);
// Upper-case codes only: "in", "or", "me" in lower case are ordinary words.
const STATE_CODE_RE = new RegExp(`(?<![A-Za-z])(${Object.keys(US_DL_FORMATS).join('|')})(?![A-Za-z])`, 'g');
const FORMATS = Object.fromEntries(Object.entries(US_DL_FORMATS).map(([k, v]) => [k, new RegExp(v)]));
const DL_CANDIDATE = /(?<![A-Za-z0-9\-*])[A-Za-z*]{0,7}\d[A-Za-z0-9\-* ]{2,20}(?![A-Za-z0-9\-*])/g;

function statesNear(t: string, start: number, end: number): string[] {
  const window = t.slice(Math.max(0, start - 80), Math.min(t.length, end + 48));
  const states: string[] = [];
  STATE_NAME_RE.lastIndex = 0;
  for (let m = STATE_NAME_RE.exec(window); m; m = STATE_NAME_RE.exec(window))
    states.push(STATE_NAMES[m[1]!.toLowerCase()] as string);
  STATE_CODE_RE.lastIndex = 0;
  for (let m = STATE_CODE_RE.exec(window); m; m = STATE_CODE_RE.exec(window)) states.push(m[1] as string);
  return states;
}

function dlCandidates(ctx: ScanContext, out: Candidate[]): void {
  const t = ctx.text;
  DL_CANDIDATE.lastIndex = 0;
  for (let m = DL_CANDIDATE.exec(t); m; m = DL_CANDIDATE.exec(t)) {
    // The candidate class allows spaces so "D123 4567 8901" is one value; keep only the leading
    // space-separated tokens that contain a digit ("12345678 expires 2030" -> "12345678").
    const tokens = m[0].split(' ');
    let raw = tokens[0] as string;
    for (let k = 1; k < tokens.length && /\d/.test(tokens[k] as string); k++) raw += ` ${tokens[k]}`;
    const start = m.index;
    const end = start + raw.length;
    DL_CANDIDATE.lastIndex = end;
    const value = raw.replace(/[- ]/g, '').toUpperCase();
    const digitCount = value.replace(/\D/g, '').length;
    if (
      value.length < 5 ||
      value.length > 16 ||
      // Washington's "WDL" + 9 characters may hold only a few digits; other licences have 4+.
      (digitCount < 4 && !(digitCount >= 1 && value.length === 12 && value.startsWith('WDL'))) ||
      /[a-z]/.test(raw.replace(/^[A-Za-z]+/, ''))
    )
      continue;
    const word = ctx.context(start, end, DL_CONTEXT, 48, 40);
    if (!word || ctx.context(start, end, NOT_DL_CONTEXT, 48, 40)) continue;
    const states = statesNear(t, start, end);
    const stateMatch = states.find((s) => FORMATS[s]?.test(value));
    const anyMatch = stateMatch ?? Object.keys(FORMATS).find((s) => FORMATS[s]!.test(value));
    if (!anyMatch) continue;
    const score = stateMatch ? 0.9 : states.length > 0 ? 0.55 : 0.7;
    const why = stateMatch
      ? `matches the ${stateMatch} format`
      : states.length > 0
        ? `state ${states[0]} named but format differs`
        : `matches the ${anyMatch} format, no state named`;
    out.push({
      type: 'US_DRIVER_LICENSE',
      start,
      end,
      score,
      detector: 'us_driver_license',
      explanation: `licence number ${why}${contextNote(word)}`,
      specificity: 4,
    });
  }
}

/** US_DRIVER_LICENSE (SPEC R13): a licence keyword is required; a named state whose format matches makes it blocking. */
export const usDriverLicenseRecognizer: Recognizer = {
  name: 'us_driver_license',
  types: ['US_DRIVER_LICENSE'],
  // Licences have 4+ digits, except Washington's letter-heavy "WDL…" numbers (3+ capitals).
  gate: (f) => f.digits >= 4 || (f.digits >= 1 && f.upper >= 3),
  requires: contextFragments(DL_WORDS),
  find: dlCandidates,
};
