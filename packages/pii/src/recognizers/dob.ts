import { compileContext } from '../context.ts';
import type { Recognizer } from '../recognizer.ts';
import type { Candidate, ScanContext } from '../scan-context.ts';
import { isValidDate } from '../validators.ts';

const BIRTH_CONTEXT = compileContext([
  'dob',
  'd.o.b',
  'd.o.b.',
  'date of birth',
  'birth date',
  'birthdate',
  'birthday',
  'bday',
  'b-day',
  'born',
  'born on',
  'birth',
  'geburtsdatum',
  'fecha de nacimiento',
  'date de naissance',
  'data di nascita',
]);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

const ISO = /(?<![\d./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d./-]|:\d)/g;
const DMY = /(?<![\d./-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d./-])/g;
const DAY_MONTH_YEAR = new RegExp(
  `(?<![A-Za-z0-9])(\\d{1,2})(?:st|nd|rd|th)?[ \\-]?(?:of )?${MONTH}\\.?[ \\-,]{1,2}(\\d{4})(?![A-Za-z0-9])`,
  'gi',
);
const MONTH_DAY_YEAR = new RegExp(
  `(?<![A-Za-z0-9])${MONTH}\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})(?![A-Za-z0-9])`,
  'gi',
);

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function plausibleBirth(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2030 && isValidDate(y, m, d);
}

function fullYear(y: string): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n <= 30 ? 2000 + n : 1900 + n;
}

function push(ctx: ScanContext, out: Candidate[], start: number, end: number, layout: string): void {
  const word = ctx.context(start, end, BIRTH_CONTEXT, 48, 24);
  if (!word) return;
  out.push({
    type: 'DATE_OF_BIRTH',
    start,
    end,
    score: 0.9,
    detector: 'date_of_birth',
    explanation: `valid calendar date (${layout}) with birth context "${word}"`,
    specificity: 4,
  });
}

/** DATE_OF_BIRTH (SPEC R18): any valid calendar date, reported only with a birth context word. */
export const dateOfBirthRecognizer: Recognizer = {
  name: 'date_of_birth',
  types: ['DATE_OF_BIRTH'],
  gate: (f) => f.digits >= 4,
  requires: [
    'dob',
    'd.o.b',
    'birth',
    'born',
    'bday',
    'b-day',
    'geburt',
    'nacimiento',
    'naissance',
    'nascita',
  ],
  find(ctx, out) {
    const t = ctx.text;
    for (const re of [ISO, DMY, DAY_MONTH_YEAR, MONTH_DAY_YEAR]) {
      re.lastIndex = 0;
      for (let m = re.exec(t); m; m = re.exec(t)) {
        const end = m.index + m[0].length;
        if (re === ISO && plausibleBirth(Number(m[1]), Number(m[3]), Number(m[4])))
          push(ctx, out, m.index, end, 'year-month-day');
        else if (re === DMY) {
          const y = fullYear(m[4] as string);
          const a = Number(m[1]);
          const b = Number(m[3]);
          if (plausibleBirth(y, b, a) || plausibleBirth(y, a, b))
            push(ctx, out, m.index, end, 'day/month/year');
        } else if (
          re === DAY_MONTH_YEAR &&
          plausibleBirth(Number(m[3]), monthIndex(m[2] as string), Number(m[1]))
        )
          push(ctx, out, m.index, end, 'day month-name year');
        else if (
          re === MONTH_DAY_YEAR &&
          plausibleBirth(Number(m[3]), monthIndex(m[1] as string), Number(m[2]))
        )
          push(ctx, out, m.index, end, 'month-name day year');
      }
    }
  },
};
