// The two kinds of message the protection benchmark sends: trust-and-safety
// staff prose of exactly 500 characters, (A) without personal data and (B) the
// same prose carrying exactly three values the default policy tokenises in an
// `internal` channel: an email address, a phone number and an IPv4 address
// (contact-tokenise and device-tokenise in packages/server/policies/default.yaml).
// Every B message carries values no earlier message had, so the vault stores new
// values (and a new subject) each time instead of measuring a warm duplicate.

export const MESSAGE_CHARS = 500;

const OPENING =
  'Escalation update for the weekend queue: the reporter says the account kept posting the same ' +
  'scam link after two warnings, so I have paused it pending review. Their contact is ';
const MIDDLE_1 = ' and the callback number they gave is ';
const MIDDLE_2 = ', please use that rather than the old one. The last three logins came from ';
const CLOSING =
  ', which matches the earlier ban evasion case, so I suggest we link both files, keep the ' +
  'restriction in place and reply with the standard template by Monday morning, then close the ' +
  'ticket once the appeal window has passed and the reporter has been told what we decided.';

// Documentation-only address and number ranges (RFC 5737, the 555-01xx fictional block).
const IP_PREFIXES = ['203.0.113.', '198.51.100.', '192.0.2.'];
const AREA_CODES = ['415', '212', '646', '312', '617', '206', '303', '512'];
const FIRST = ['maria', 'jonas', 'amara', 'li', 'tomas', 'sofia', 'kwame', 'ines'];
const LAST = ['lopez', 'berg', 'okafor', 'chen', 'novak', 'rossi', 'mensah', 'silva'];

export interface PersonalValues {
  email: string;
  phone: string;
  ip: string;
}

/** Distinct, well-formed values for message number `n` (distinct for every n below 10^7). */
export function valuesFor(n: number): PersonalValues {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  const area = AREA_CODES[n % AREA_CODES.length]!;
  const line = String(100 + (n % 100)).padStart(4, '0');
  const ip = `${IP_PREFIXES[n % IP_PREFIXES.length]}${1 + (n % 254)}`;
  return { email: `${first}.${last}${n}@example.org`, phone: `+1 ${area} 555 ${line}`, ip };
}

/** Trims or pads the closing so the message is exactly MESSAGE_CHARS long and ends a sentence. */
function toExactLength(head: string, closing: string): string {
  const room = MESSAGE_CHARS - head.length - 1;
  if (room < 20) throw new Error('the message head is too long for 500 characters');
  const tail = closing.length >= room ? closing.slice(0, room).trimEnd() : closing;
  return `${head}${tail}.`.padEnd(MESSAGE_CHARS, ' ').slice(0, MESSAGE_CHARS);
}

/** Kind A: the prose with neutral phrases where B has the values. No finding of any type. */
export function plainText(n: number, mention?: string): string {
  const who = mention ? `${mention} ` : '';
  // n varies the wording a little so no two messages are byte-identical, without digits.
  const day = ['Monday', 'Tuesday', 'Thursday'][n % 3]!;
  return toExactLength(
    `${who}${OPENING}the address in the case file${MIDDLE_1}the one on their profile${MIDDLE_2}their home network`,
    CLOSING.replace('Monday', day),
  );
}

/** Kind B: the same prose with an email address, a phone number and an IPv4 address. */
export function personalText(n: number, mention?: string): { text: string; values: PersonalValues } {
  const who = mention ? `${mention} ` : '';
  const v = valuesFor(n);
  const day = ['Monday', 'Tuesday', 'Thursday'][n % 3]!;
  return {
    text: toExactLength(
      `${who}${OPENING}${v.email}${MIDDLE_1}${v.phone}${MIDDLE_2}${v.ip}`,
      CLOSING.replace('Monday', day),
    ),
    values: v,
  };
}
