import { DEFAULT_SAFE_SUFFIX, type FindingType, maskValue } from '@enclave/pii';

// The safe mask a token carries (VA-8): enough for a person to tell two values
// apart and recognise the one they expect, never enough to recover the value.

const DOT = '\u2022';
const HIDDEN = DOT.repeat(4);
const MIN_FOR_SUFFIX = 6;

/** Suffix lengths beyond @enclave/pii's defaults (cards, IBANs, phones): IDs staff quote by their tail. */
const EXTRA_SUFFIX: Partial<Record<FindingType, number>> = {
  US_SSN: 4,
  PLATFORM_USER_ID: 3,
  DEVICE_ID: 4,
  US_PASSPORT: 2,
  US_DRIVER_LICENSE: 2,
  UK_DRIVING_LICENCE: 2,
  UK_NINO: 2,
  UK_NHS: 2,
  AU_TFN: 2,
  AU_MEDICARE: 2,
  SA_NATIONAL_ID: 2,
};

function alnums(value: string): string[] {
  return Array.from(value).filter((ch) => /[\p{L}\p{N}]/u.test(ch));
}

/** `•••• 4821`: a fixed-width prefix (so the length is not revealed) and a short safe suffix. */
function suffixMask(value: string, type: FindingType, keep: number): string {
  if (alnums(value).length < MIN_FOR_SUFFIX) return HIDDEN; // a suffix of a short value is most of it
  // Reuse @enclave/pii's mask operator for the safe-suffix rule (at most a third of the value).
  const masked = maskValue(value, type, '*', keep);
  const shown = alnums(masked).join('');
  return shown ? `${HIDDEN} ${shown.slice(-8)}` : HIDDEN;
}

/** `j•••@g•••.com`: first letter of the local part and of the domain, and the top-level domain. */
function emailMask(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return HIDDEN;
  const local = Array.from(value.slice(0, at));
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot).toLowerCase() : '';
  const first = (s: string) => {
    const ch = Array.from(s)[0] ?? '';
    return /[\p{L}\p{N}]/u.test(ch) ? ch.toLowerCase() : '';
  };
  const safeTld = /^\.[a-z]{2,24}$/.test(tld) ? tld : '';
  return `${first(local.join(''))}${DOT.repeat(3)}@${first(domain)}${DOT.repeat(3)}${safeTld}`;
}

export function maskFor(type: FindingType, value: string): string {
  if (type === 'EMAIL_ADDRESS') return emailMask(value);
  const keep = DEFAULT_SAFE_SUFFIX[type] ?? EXTRA_SUFFIX[type] ?? 0;
  // Names, addresses, dates of birth, secrets, IPs, coordinates: nothing is safe to show.
  if (keep === 0) return HIDDEN;
  return suffixMask(value, type, keep);
}
