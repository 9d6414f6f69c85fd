import { compileContext, contextFragments } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { forEachDigitSpan } from '../scan-context.ts';
import { isTrivialSequence, luhnValid } from '../validators.ts';

const AD_ID_WORDS = [
  'idfa',
  'idfv',
  'gaid',
  'aaid',
  'adid',
  'ad id',
  'advertising id',
  'advertiser id',
  'ad identifier',
  'device',
  'device id',
  'deviceid',
  'device identifier',
  'vendor id',
  'android id',
  'android_id',
  'ifa',
  'maid',
  'mobile ad id',
  'handset',
];
const AD_ID_CONTEXT = compileContext(AD_ID_WORDS);
const ANDROID_ID_WORDS = [
  'android id',
  'android_id',
  'androidid',
  'ssaid',
  'device id',
  'deviceid',
  'device',
  'settings.secure',
];
const ANDROID_ID_CONTEXT = compileContext(ANDROID_ID_WORDS);
const IMEI_WORDS = [
  'imei',
  'imei number',
  'imei no',
  'imei1',
  'imei2',
  'meid',
  'handset',
  'device',
  'serial',
  '*#06#',
];
const IMEI_CONTEXT = compileContext(IMEI_WORDS);

const UUID =
  /(?<![0-9A-Za-z-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z-])/g;
const HEX16 = /(?<![0-9A-Za-z])[0-9a-fA-F]{16}(?![0-9A-Za-z])/g;

/**
 * DEVICE_ID (SPEC R20): UUIDs are everywhere (tickets, requests, traces), so an IDFA/GAID is
 * only reported with a device/advertising context word; the same holds for 16-hex Android IDs
 * and for IMEIs, whose Luhn check passes for one number in ten.
 */
export const deviceIdRecognizer: Recognizer = {
  name: 'device_id',
  types: ['DEVICE_ID'],
  gate: (f) => f.digits >= 6,
  // Every form needs a context word (an IMEI without one stays below the reporting threshold).
  requires: contextFragments([...AD_ID_WORDS, ...ANDROID_ID_WORDS, ...IMEI_WORDS]),
  find(ctx, out) {
    const t = ctx.text;
    if (ctx.features.hyphens >= 4) {
      UUID.lastIndex = 0;
      for (let m = UUID.exec(t); m; m = UUID.exec(t)) {
        const end = m.index + m[0].length;
        const word = ctx.context(m.index, end, AD_ID_CONTEXT, 40, 24);
        if (!word || /^[0-]+$/.test(m[0])) continue;
        out.push({
          type: 'DEVICE_ID',
          start: m.index,
          end,
          score: 0.9,
          detector: 'device_id',
          explanation: `UUID-form advertising/device identifier${contextNote(word)}`,
          specificity: 6,
        });
      }
    }
    HEX16.lastIndex = 0;
    for (let m = HEX16.exec(t); m; m = HEX16.exec(t)) {
      const end = m.index + 16;
      const word = ctx.context(m.index, end, ANDROID_ID_CONTEXT, 40, 24);
      if (!word || /^\d+$/.test(m[0])) continue;
      out.push({
        type: 'DEVICE_ID',
        start: m.index,
        end,
        score: 0.85,
        detector: 'device_id',
        explanation: `16-hex Android ID${contextNote(word)}`,
        specificity: 6,
      });
    }
    if (ctx.features.maxGroupedDigits < 15) return;
    for (const run of ctx.digitRuns()) {
      forEachDigitSpan(t, run, 15, 15, (start, end, digits) => {
        if (!luhnValid(digits) || isTrivialSequence(digits)) return false;
        const word = ctx.context(start, end, IMEI_CONTEXT, 40, 24);
        out.push({
          type: 'DEVICE_ID',
          start,
          end,
          score: word ? 0.95 : 0.35,
          detector: 'device_id',
          explanation: `15-digit IMEI, Luhn valid${contextNote(word)}`,
          specificity: 7,
        });
        return true;
      });
    }
  },
};
