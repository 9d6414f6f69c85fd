import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';

const GEO_CONTEXT = compileContext([
  'lat',
  'latitude',
  'lon',
  'lng',
  'long',
  'longitude',
  'coords',
  'coordinates',
  'gps',
  'location',
  'geo',
  'geolocation',
  'position',
  'pinned',
  'maps',
  'located at',
  'last seen',
]);
// "40.7128, -74.0060", "40.7128 -74.0060", "40.7128° N, 74.0060° W", "lat: 40.7128, lng: -74.0060".
const DECIMAL_PAIR =
  /(?<![\w.])(-?\d{1,2}\.\d{3,9})\s?(?:°\s?([NSns])\b)?(?:\s?[,;]\s?|\s)(?:"?(?:lon|lng|long|longitude)"?\s?[:=]\s?)?(-?\d{1,3}\.\d{3,9})\s?(?:°\s?([EWew])\b)?(?![\w.])/g;
const DMS_PAIR =
  /(\d{1,2})°\s?(\d{1,2})['′]\s?(\d{1,2}(?:\.\d+)?)(?:["″]|'')?\s?([NS])[,\s]{1,3}(\d{1,3})°\s?(\d{1,2})['′]\s?(\d{1,2}(?:\.\d+)?)(?:["″]|'')?\s?([EW])/g;

function decimals(s: string): number {
  return s.length - s.indexOf('.') - 1;
}

/** GEO_COORDINATES (SPEC R19): a latitude/longitude pair in range; low precision needs context. */
export const geoRecognizer: Recognizer = {
  name: 'geo_coordinates',
  types: ['GEO_COORDINATES'],
  gate: (f) => f.dots >= 2 && f.digits >= 8,
  find(ctx, out) {
    const t = ctx.text;
    DECIMAL_PAIR.lastIndex = 0;
    for (let m = DECIMAL_PAIR.exec(t); m; m = DECIMAL_PAIR.exec(t)) {
      const lat = Number(m[1]);
      const lon = Number(m[3]);
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
      const end = m.index + m[0].length;
      const word = ctx.context(m.index, end, GEO_CONTEXT, 40, 24);
      const precise = decimals(m[1] as string) >= 4 && decimals(m[3] as string) >= 4;
      const hemispheres = m[2] !== undefined && m[4] !== undefined;
      if (!word && !precise && !hemispheres) continue;
      const score = word ? 0.95 : hemispheres ? 0.9 : 0.75;
      out.push({
        type: 'GEO_COORDINATES',
        start: m.index,
        end,
        score,
        detector: 'geo_coordinates',
        explanation: `latitude/longitude pair in range${precise ? ', 4+ decimals' : ''}${contextNote(word)}`,
        specificity: 6,
      });
    }
    if (!t.includes('°')) return;
    DMS_PAIR.lastIndex = 0;
    for (let m = DMS_PAIR.exec(t); m; m = DMS_PAIR.exec(t)) {
      if (Number(m[1]) > 90 || Number(m[5]) > 180 || Number(m[2]) > 59 || Number(m[6]) > 59) continue;
      out.push({
        type: 'GEO_COORDINATES',
        start: m.index,
        end: m.index + m[0].length,
        score: 0.9,
        detector: 'geo_coordinates',
        explanation: 'degrees-minutes-seconds pair with hemispheres',
        specificity: 6,
      });
    }
  },
};
