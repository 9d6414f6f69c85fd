import { compileContext, contextFragments } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { forEachDigitSpan } from '../scan-context.ts';
import { isTrivialSequence, medicareValid, nhsValid, saudiIdValid, tfnValid } from '../validators.ts';

interface WeakNumericSpec {
  name: string;
  type: string;
  minDigits: number;
  maxDigits: number;
  /** Group shapes written the official way, e.g. "3-3-4"; a plain run is shape "10". */
  officialShapes: string[];
  validate(digits: string): boolean;
  contextWords: string[];
  checksum: string;
}

/**
 * Numbers whose checksum is weak (1 in 10 or 1 in 11 random numbers pass): NHS, TFN, Medicare,
 * Saudi ID (SPEC R11). Without a context word they stay below the reporting threshold; an
 * official grouping alone is not enough either, it only lifts them to "low".
 */
function weakNumeric(spec: WeakNumericSpec): Recognizer {
  const context = compileContext(spec.contextWords);
  return {
    name: spec.name,
    types: [spec.type],
    // Nothing is reported without context, so a text that never names the type is skipped.
    requires: contextFragments(spec.contextWords),
    gate: (f) => f.maxGroupedDigits >= spec.minDigits,
    find(ctx, out) {
      const t = ctx.text;
      for (const run of ctx.digitRuns()) {
        forEachDigitSpan(t, run, spec.minDigits, spec.maxDigits, (start, end, digits, span) => {
          if (!spec.validate(digits) || isTrivialSequence(digits)) return false;
          const lengths = span.lengths();
          const shape = lengths.join('-');
          const official = spec.officialShapes.includes(shape);
          if (!official && lengths.length > 1 && lengths.some((l) => l < 2)) return false;
          const word = ctx.context(start, end, context, 48, 24);
          const score = word ? (official ? 0.92 : 0.85) : official && lengths.length > 1 ? 0.45 : 0.3;
          out.push({
            type: spec.type,
            start,
            end,
            score,
            detector: spec.name,
            explanation: `${digits.length} digits, ${spec.checksum} valid${official ? `, official grouping ${shape}` : ''}${contextNote(word)}`,
            specificity: 7,
          });
          return true;
        });
      }
    },
  };
}

export const ukNhsRecognizer = weakNumeric({
  name: 'uk_nhs',
  type: 'UK_NHS',
  minDigits: 10,
  maxDigits: 10,
  officialShapes: ['3-3-4', '10'],
  validate: nhsValid,
  contextWords: [
    'nhs',
    'nhs number',
    'nhs no',
    'nhs#',
    'national health service',
    'chi number',
    'patient number',
    'health number',
  ],
  checksum: 'NHS mod-11 check digit',
});

export const auTfnRecognizer = weakNumeric({
  name: 'au_tfn',
  type: 'AU_TFN',
  minDigits: 8,
  maxDigits: 9,
  officialShapes: ['3-3-3', '9', '3-3-2', '8'],
  validate: tfnValid,
  contextWords: ['tfn', 'tax file number', 'tax file no', 'tax file', 'ato'],
  checksum: 'TFN weighted mod-11 check',
});

export const auMedicareRecognizer = weakNumeric({
  name: 'au_medicare',
  type: 'AU_MEDICARE',
  minDigits: 10,
  maxDigits: 11,
  officialShapes: ['4-5-1', '10', '4-5-1-1', '11', '4-5-2'],
  validate: medicareValid,
  contextWords: ['medicare', 'medicare card', 'medicare number', 'medicare no', 'irn'],
  checksum: 'Medicare weighted mod-10 check digit',
});

export const saNationalIdRecognizer = weakNumeric({
  name: 'sa_national_id',
  type: 'SA_NATIONAL_ID',
  minDigits: 10,
  maxDigits: 10,
  officialShapes: ['10'],
  validate: saudiIdValid,
  contextWords: [
    'saudi',
    'saudi id',
    'national id',
    'national identity',
    'iqama',
    'iqama number',
    'muqeem',
    'absher',
    'hawiya',
    'civil id',
    'هوية',
    'رقم الهوية',
    'الهوية الوطنية',
    'إقامة',
    'الإقامة',
    'رقم الإقامة',
  ],
  checksum: 'Saudi ID prefix 1/2 and Luhn check',
});
