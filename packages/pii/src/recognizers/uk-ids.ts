import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';

const NINO =
  /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2})(?: ?([A-D]))?(?![A-Za-z0-9])/g;
const NINO_INVALID_PREFIXES = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);
const NINO_CONTEXT = compileContext([
  'nino',
  'ni number',
  'ni no',
  'ni',
  'national insurance',
  'national insurance number',
  'insurance number',
  'hmrc',
  'dwp',
]);

/** UK_NINO: two prefix letters from the allowed sets, six digits, suffix A-D (SPEC R14). */
export const ukNinoRecognizer: Recognizer = {
  name: 'uk_nino',
  types: ['UK_NINO'],
  gate: (f) => f.digits >= 6 && f.upper >= 2,
  find(ctx, out) {
    const t = ctx.text;
    NINO.lastIndex = 0;
    for (let m = NINO.exec(t); m; m = NINO.exec(t)) {
      if (NINO_INVALID_PREFIXES.has(m[1] as string)) continue;
      const end = m.index + m[0].length;
      const word = ctx.context(m.index, end, NINO_CONTEXT, 48, 24);
      const suffix = m[5] !== undefined;
      if (!suffix && !word) continue;
      const score = word ? (suffix ? 0.95 : 0.8) : 0.75;
      out.push({
        type: 'UK_NINO',
        start: m.index,
        end,
        score,
        detector: 'uk_nino',
        explanation: `National Insurance number: valid prefix ${m[1]}, six digits${suffix ? `, suffix ${m[5]}` : ', no suffix'}${contextNote(word)}`,
        specificity: 7,
      });
    }
  },
};

const UK_DL =
  /\b([A-Z9]{5}) ?(\d)([0156]\d)([0-3]\d)(\d) ?([A-Z9]{2})(\d)([A-Z]{2})(?: ?\d{2})?(?![A-Za-z0-9])/g;
const UK_DL_CONTEXT = compileContext([
  'driving licence',
  'driving license',
  'licence',
  'license',
  'dvla',
  'licence number',
  'driver number',
  'dl',
]);

/**
 * UK_DRIVING_LICENCE: 5 surname characters (padded with 9), decade, month (+50 for women), day,
 * year digit, 2 initials, a digit and 2 check letters (SPEC R15).
 */
export const ukDrivingLicenceRecognizer: Recognizer = {
  name: 'uk_driving_licence',
  types: ['UK_DRIVING_LICENCE'],
  gate: (f) => f.digits >= 6 && f.upper >= 6,
  find(ctx, out) {
    const t = ctx.text;
    UK_DL.lastIndex = 0;
    for (let m = UK_DL.exec(t); m; m = UK_DL.exec(t)) {
      const surname = m[1] as string;
      // Padding 9s only trail the surname ("LI999"), never lead it.
      if (!/^[A-Z]+9*$/.test(surname)) continue;
      const month = Number(m[3]) % 50;
      const day = Number(m[4]);
      if (month < 1 || month > 12 || day < 1 || day > 31) continue;
      const end = m.index + m[0].length;
      const word = ctx.context(m.index, end, UK_DL_CONTEXT, 48, 24);
      out.push({
        type: 'UK_DRIVING_LICENCE',
        start: m.index,
        end,
        score: word ? 0.95 : 0.85,
        detector: 'uk_driving_licence',
        explanation: `DVLA licence layout: surname ${surname}, valid birth month/day${contextNote(word)}`,
        specificity: 8,
      });
    }
  },
};
