import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';

const SUFFIX =
  '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Cres|Close|Grove|Gardens|Gdns|Mews|Row|Walk|Parade|Pde|Esplanade|Alley|Loop|Plaza|Pike|Highway|Freeway|Expressway|Broadway)';
const NAME_WORD = "(?:[A-Z][a-z'’]+|[A-Z]{2,}|\\d{1,3}(?:st|nd|rd|th))";
// Number (221B, 12-14), optional direction, 1-4 street-name words, a street suffix.
const STREET = `(?<![A-Za-z0-9])(?:(?:Flat|Unit|Apt|Suite)\\.? ?[0-9A-Za-z]{1,5},? )?\\d{1,6}[A-Za-z]?(?:-\\d{1,5})?,? (?:[NSEW]\\.? |North |South |East |West )?${NAME_WORD}(?: ${NAME_WORD}){0,3} ${SUFFIX}\\.?(?: (?:N|S|E|W|NE|NW|SE|SW)(?![A-Za-z]))?(?![A-Za-z])`;
const UNIT = '(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|#)\\.? ?#?[A-Za-z0-9\\-]{1,6})?';
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR';
const CITY = "[A-Z][A-Za-z'’.\\-]+(?: [A-Z][A-Za-z'’.\\-]+){0,2}";
const SEP = '(?:,\\s?|\\n| )';
const US_TAIL = `${SEP}${CITY},? (?:${US_STATES})\\.? \\d{5}(?:-\\d{4})?`;
const UK_TAIL = `${SEP}(?:${CITY},?\\s)?[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}`;
const AU_TAIL = `${SEP}${CITY},? (?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT) \\d{4}`;
const CITY_ONLY_TAIL = `,\\s?${CITY}(?=[.,;!?)\\n]|$)`;

const ADDRESS = new RegExp(
  `${STREET}${UNIT}(?:(${US_TAIL})|(${UK_TAIL})|(${AU_TAIL})|(${CITY_ONLY_TAIL}))?(?![A-Za-z0-9])`,
  'g',
);
const SUFFIX_PRESENT = new RegExp(`(?<![A-Za-z])${SUFFIX}(?![A-Za-z])`);
const ADDRESS_CONTEXT = compileContext([
  'address',
  'addr',
  'home address',
  'lives at',
  'living at',
  'live at',
  'resides at',
  'residing at',
  'moved to',
  'ship to',
  'shipping',
  'shipped to',
  'deliver to',
  'delivered to',
  'delivery',
  'billing',
  'mailing',
  'postal',
  'located at',
  'house',
  'home',
  'residence',
  'apartment',
  'return address',
  'registered address',
]);

/**
 * STREET_ADDRESS (SPEC R24): house number + street name + street suffix (US, UK, AU styles),
 * extended over a unit and a city/state/ZIP, UK postcode or AU state/postcode tail.
 */
export const streetAddressRecognizer: Recognizer = {
  name: 'street_address',
  types: ['STREET_ADDRESS'],
  gate: (f) => f.digits >= 1 && f.upper >= 2,
  find(ctx, out) {
    const t = ctx.text;
    if (!SUFFIX_PRESENT.test(t)) return;
    ADDRESS.lastIndex = 0;
    for (let m = ADDRESS.exec(t); m; m = ADDRESS.exec(t)) {
      const end = m.index + m[0].length;
      const tail = m[1]
        ? 'US city, state and ZIP'
        : m[2]
          ? 'UK postcode'
          : m[3]
            ? 'AU state and postcode'
            : m[4]
              ? 'town'
              : '';
      const word = ctx.context(m.index, end, ADDRESS_CONTEXT, 40, 16);
      let score = m[1] || m[2] || m[3] ? 0.9 : m[4] ? 0.75 : 0.7;
      if (word) score = Math.max(score, 0.9);
      out.push({
        type: 'STREET_ADDRESS',
        start: m.index,
        end,
        score,
        detector: 'street_address',
        explanation: `house number + street + street suffix${tail ? ` + ${tail}` : ''}${contextNote(word)}`,
        specificity: 5,
      });
    }
  },
};
