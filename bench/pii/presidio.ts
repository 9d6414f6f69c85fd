import { existsSync, readFileSync } from 'node:fs';
import type { Example, Span } from './corpus.ts';

/**
 * Loads the Presidio synthetic sets from ../shared at run time (not copied: their licence and the
 * Fake Name Generator notice stay with the files). Their labels are mapped onto ours; types we do
 * not share (GPE, ORGANIZATION, DATE_TIME, TITLE, ZIP_CODE, DOMAIN_NAME, AGE, NRP, LOCATION,
 * PREFIX) are dropped. Offsets are Python code-point indices, converted to UTF-16.
 */
export const PRESIDIO_TYPE_MAP: Record<string, string> = {
  PERSON: 'PERSON',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  PHONE_NUMBER: 'PHONE_NUMBER',
  CREDIT_CARD: 'CREDIT_CARD',
  IBAN_CODE: 'IBAN_CODE',
  US_SSN: 'US_SSN',
  US_DRIVER_LICENSE: 'US_DRIVER_LICENSE',
  IP_ADDRESS: 'IP_ADDRESS',
  STREET_ADDRESS: 'STREET_ADDRESS',
  ADDRESS: 'STREET_ADDRESS',
};

interface PresidioRecord {
  full_text: string;
  spans: Array<{ entity_type: string; start_position: number; end_position: number }>;
}

function codePointToUtf16(text: string): (cp: number) => number {
  if (!/[\uD800-\uDBFF]/.test(text)) return (cp) => cp;
  const map: number[] = [];
  let unit = 0;
  for (const ch of text) {
    map.push(unit);
    unit += ch.length;
  }
  map.push(unit);
  return (cp) => map[cp] ?? unit;
}

export function loadPresidio(path: string, name: string, multiTokenPersonsOnly = false): Example[] | null {
  if (!existsSync(path)) return null;
  const records = JSON.parse(readFileSync(path, 'utf8')) as PresidioRecord[];
  return records.map((r, i) => {
    const toUnit = codePointToUtf16(r.full_text);
    const spans: Span[] = [];
    for (const s of r.spans) {
      const type = PRESIDIO_TYPE_MAP[s.entity_type];
      if (!type) continue;
      const span = { type, start: toUnit(s.start_position), end: toUnit(s.end_position) };
      // Presidio labels lone first names as PERSON; ours reports full names (SPEC R23).
      if (
        multiTokenPersonsOnly &&
        type === 'PERSON' &&
        !/\s/.test(r.full_text.slice(span.start, span.end).trim())
      )
        continue;
      spans.push(span);
    }
    return { id: `${name}:${i}`, text: r.full_text, spans };
  });
}
