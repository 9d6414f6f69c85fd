/**
 * Fake but well-formed values for every entity type: checksummed types get valid check digits,
 * everything else follows the documented layout. Word pools (names, streets, domains) are split
 * by position: the held-out split draws even entries, the dev split odd ones, so the held-out
 * set does not reuse the exact names the dev set was tuned on.
 */
import { mrzCheckDigit } from '../../src/validators.ts';
import {
  ALNUM,
  base58check,
  bech32Address,
  group,
  HEX,
  jwt,
  luhnComplete,
  mod97,
  UPPER,
  withCheck,
} from './encodings.ts';
import type { Random } from './random.ts';

const FULL_NAMES =
  `Emily Carter|Tariq Al-Mansour|Siobhan Gallagher|Ngozi Eze|Bartholomew Finch|Oksana Hryhorenko
|Daniel Okafor|Mei Ling Tan|Rafael Ortega|Hannah Schreiber|Kwame Mensah|Isabella Rossi|Liam O'Connor|Priya Nair
|Jonas Lindgren|Aaliyah Brooks|Mateus Carvalho|Yuki Tanaka|Fatima Zahra Benali|Connor McAllister|Ingrid Solberg
|Arjun Mehta|Chloe Dubois|Samuel Adeyemi|Natalia Kowalczyk|Ethan Rivera|Leila Haddad|Tomasz Wrobel|Grace Whitfield
|Marcus Bell|Sofia Marquez|Henrik Dahl|Amara Okonjo|Dmitri Volkov|Rachel Goldberg|Jamal Washington|Elena Petrova
|Victor Hugo Salazar|Nadia Rahimi|Oliver Thornton|Zainab Yusuf|Lucas Moreau|Beatriz Souza|Kevin Nguyen
|Harriet Blackwood|Mohammed Al-Qahtani|Anika Bose|Patrick Doherty|Camille Laurent|Jin-woo Park|Teresa Lozano
|Wojciech Nowak|Abigail Stone|Rohan Kapoor|Megan Fitzgerald|Andrei Popescu|Lucia Fernandez|Thabo Nkosi|Ruth Adler
|Carlos Mendez|Emma Lindqvist|Hamza Qureshi|Julia Novak|Sean Gallagher|Maya Singh|Bruno Costa|Alice Moreno`
    .replace(/\n/g, '')
    .split('|');
const STREETS =
  `Maple|Oak|Cedar|Willow|Harbor|Kingsley|Elm|Riverside|Chestnut|Lincoln|Park|Victoria|Highland|Birch
|Sunset|Orchard|Station|Church|Mill|Meadow|Pine|Queen|Grove|Hawthorn|Bayview|Ashford|Wattle|Banksia`
    .replace(/\n/g, '')
    .split('|');
const SUFFIXES_US = ['Street', 'St', 'Avenue', 'Ave', 'Road', 'Drive', 'Lane', 'Boulevard', 'Court', 'Place'];
const SUFFIXES_UK = ['Road', 'Street', 'Lane', 'Close', 'Gardens', 'Crescent', 'Terrace', 'Mews'];
const US_CITIES = [
  ['Springfield', 'IL', '62704'],
  ['Austin', 'TX', '78701'],
  ['Portland', 'OR', '97205'],
  ['Columbus', 'OH', '43215'],
  ['Denver', 'CO', '80202'],
  ['Raleigh', 'NC', '27601'],
  ['Tampa', 'FL', '33602'],
  ['Madison', 'WI', '53703'],
] as const;
const UK_TOWNS = [
  ['Manchester', 'M1 4BT'],
  ['Leeds', 'LS1 5DL'],
  ['Bristol', 'BS1 6QA'],
  ['London', 'SE1 7PB'],
  ['Cardiff', 'CF10 1EP'],
  ['York', 'YO1 7HH'],
] as const;
const AU_TOWNS = [
  ['Sydney', 'NSW', '2000'],
  ['Melbourne', 'VIC', '3000'],
  ['Brisbane', 'QLD', '4000'],
  ['Perth', 'WA', '6000'],
  ['Hobart', 'TAS', '7000'],
] as const;
const DOMAINS = `gmail.com|outlook.com|yahoo.com|proton.me|hotmail.co.uk|icloud.com|gmx.de|example.org|mail.ru
|fastmail.fm|web.de|yahoo.fr|aol.com|zoho.com|libero.it|orange.fr`
  .replace(/\n/g, '')
  .split('|');

/** Even entries for held-out, odd for dev. */
function half<T>(items: readonly T[], split: Split): T[] {
  return items.filter((_, i) => i % 2 === (split === 'heldout' ? 0 : 1));
}

export type Split = 'heldout' | 'dev';

export class ValueMaker {
  readonly names: string[];
  constructor(
    private readonly r: Random,
    readonly split: Split,
  ) {
    this.names = half(FULL_NAMES, split);
  }

  person(): string {
    return this.r.pick(this.names);
  }

  email(): string {
    const [first, last] = this.person().toLowerCase().replace(/'/g, '').split(/[ -]/) as [string, string];
    const local = this.r.pick([
      `${first}.${last}`,
      `${first}${this.r.int(1, 99)}`,
      `${first[0]}${last}`,
      `${last}.${first}${this.r.int(70, 99)}`,
    ]);
    return `${local}@${this.r.pick(half(DOMAINS, this.split))}`;
  }

  phone(): string {
    const r = this.r;
    return r.pick([
      () => `+44 7700 900${r.digits(3)}`,
      () => `(${r.int(201, 989)}) 555-0${r.digits(3)}`,
      () => `+1 ${r.int(201, 989)}-555-0${r.digits(3)}`,
      () => `${r.int(201, 989)}.555.0${r.digits(3)}`,
      () => `+61 4${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`,
      () => `07${r.int(400, 999)} ${r.digits(6)}`,
      () => `+49 151 ${r.digits(4)} ${r.digits(4)}`,
      () => `+966 5${r.int(0, 9)} ${r.digits(3)} ${r.digits(4)}`,
      () => `+33 6 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
      () => `${r.int(201, 989)}-555-0${r.digits(3)}`,
    ])();
  }

  ip(): string {
    const r = this.r;
    if (r.chance(0.25))
      return r.pick([
        `2001:db8:${r.chars(HEX, 4)}::${r.chars(HEX, 3)}:${r.chars(HEX, 4)}`,
        `2a02:${r.chars(HEX, 4)}:${r.chars(HEX, 4)}:${r.chars(HEX, 2)}00:${r.chars(HEX, 4)}:${r.chars(HEX, 4)}:${r.chars(HEX, 4)}:${r.chars(HEX, 4)}`,
        `fe80::${r.chars(HEX, 4)}:${r.chars(HEX, 4)}:${r.chars(HEX, 4)}:${r.chars(HEX, 4)}`,
      ]);
    return `${r.pick([23, 45, 77, 81, 91, 104, 151, 185, 203, 212])}.${r.int(1, 254)}.${r.int(0, 254)}.${r.int(1, 254)}`;
  }

  mac(): string {
    const octets = Array.from({ length: 6 }, () => this.r.chars('0123456789ABCDEF', 2));
    return this.r.chance(0.6) ? octets.join(':') : octets.join('-').toLowerCase();
  }

  card(): string {
    const r = this.r;
    const [prefix, length] = r.pick([
      ['4', 16],
      ['4', 16],
      ['51', 16],
      ['55', 16],
      ['2221', 16],
      ['37', 15],
      ['34', 15],
      ['6011', 16],
      ['3530', 16],
    ] as const);
    const d = luhnComplete(r, prefix, length);
    if (length === 15) return r.chance(0.5) ? group(d, [4, 6, 5], ' ') : d;
    return r.pick([group(d, [4, 4, 4, 4], ' '), group(d, [4, 4, 4, 4], '-'), d]);
  }

  iban(): string {
    const r = this.r;
    const [cc, bban] = r.pick([
      ['DE', () => r.digits(18)],
      ['GB', () => `${r.pick(['NWBK', 'BARC', 'MIDL', 'LOYD'])}${r.digits(14)}`],
      ['FR', () => r.digits(23)],
      ['NL', () => `${r.pick(['ABNA', 'INGB', 'RABO'])}${r.digits(10)}`],
      ['ES', () => r.digits(20)],
      ['IT', () => `${r.chars(UPPER, 1)}${r.digits(22)}`],
      ['BE', () => r.digits(12)],
    ] as const);
    const b = bban();
    const check = 98 - mod97(`${b}${cc}00`);
    const iban = `${cc}${String(check).padStart(2, '0')}${b}`;
    return r.chance(0.6) ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
  }

  ssn(): string {
    const r = this.r;
    const d = `${r.int(101, 665)}${r.int(10, 99)}${r.int(1000, 9999)}`;
    return r.pick([group(d, [3, 2, 4], '-'), group(d, [3, 2, 4], '-'), group(d, [3, 2, 4], ' '), d]);
  }

  /** [state name, licence number] pairs matching that state's format. */
  usDriverLicense(): [string, string] {
    const r = this.r;
    return r.pick([
      () => ['California', `${r.chars(UPPER, 1)}${r.digits(7)}`],
      () => ['Texas', `${r.int(1, 4)}${r.digits(7)}`],
      () => ['New York', `${r.int(1, 9)}${r.digits(8)}`],
      () => ['Florida', `${r.chars(UPPER, 1)}${r.digits(12)}`],
      () => ['Illinois', `${r.chars(UPPER, 1)}${r.digits(11)}`],
      () => ['Washington', `WDL${r.chars(UPPER + '0123456789', 9)}`],
      () => ['Pennsylvania', r.digits(8)],
      () => ['Ohio', `${r.chars(UPPER, 2)}${r.digits(6)}`],
    ] as Array<() => [string, string]>)();
  }

  usPassport(): string {
    return this.r.chance(0.5)
      ? `${this.r.int(1, 9)}${this.r.digits(8)}`
      : `${this.r.pick(['A', 'C', 'E'])}${this.r.digits(8)}`;
  }

  /** A TD3 passport MRZ (2 x 44) or a TD1 ID-card MRZ (3 x 30), all check digits valid. */
  mrz(): string {
    const r = this.r;
    const [given, surname] = this.person()
      .toUpperCase()
      .replace(/[^A-Z ]/g, '')
      .split(' ') as [string, string];
    const nat = r.pick(['UTO', 'GBR', 'DEU', 'FRA', 'NLD', 'CAN']);
    const doc = `${r.chars(UPPER, 2)}${r.digits(7)}`;
    const birth = `${r.int(55, 99)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
    const expiry = `${r.int(27, 34)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
    const sex = r.pick(['M', 'F']);
    const c = (s: string) => String(mrzCheckDigit(s));
    if (r.chance(0.7)) {
      const l1 = `P<${nat}${surname}<<${given}`.padEnd(44, '<').slice(0, 44);
      const personal = '<'.repeat(14);
      const part = `${doc}${c(doc)}${nat}${birth}${c(birth)}${sex}${expiry}${c(expiry)}${personal}${c(personal)}`;
      const composite = `${doc}${c(doc)}${birth}${c(birth)}${expiry}${c(expiry)}${personal}${c(personal)}`;
      return `${l1}\n${part}${c(composite)}`;
    }
    const l1 = `I<${nat}${doc}${c(doc)}`.padEnd(30, '<');
    const l2body = `${birth}${c(birth)}${sex}${expiry}${c(expiry)}${nat}`.padEnd(29, '<');
    const composite = `${l1.slice(5, 30)}${l2body.slice(0, 7)}${l2body.slice(8, 15)}${l2body.slice(18, 29)}`;
    const l3 = `${surname}<<${given}`.padEnd(30, '<').slice(0, 30);
    return `${l1}\n${l2body}${c(composite)}\n${l3}`;
  }

  nino(): string {
    const r = this.r;
    const prefix = `${r.pick([...'ABCEGHJKLMNOPRSTWXYZ'])}${r.pick([...'ABCEGHJKLMNPRSTWXYZ'])}`;
    if (['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(prefix)) return this.nino();
    const d = r.digits(6);
    const s = r.pick(['A', 'B', 'C', 'D']);
    return r.chance(0.5) ? `${prefix} ${group(d, [2, 2, 2], ' ')} ${s}` : `${prefix}${d}${s}`;
  }

  ukDrivingLicence(): string {
    const r = this.r;
    const surname = this.person()
      .split(' ')
      .pop()!
      .toUpperCase()
      .replace(/[^A-Z]/g, '')
      .slice(0, 5)
      .padEnd(5, '9');
    const month = r.int(1, 12) + (r.chance(0.5) ? 50 : 0);
    const body = `${surname}${r.int(5, 9)}${String(month).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}${r.int(0, 9)}`;
    return `${body}${r.chars(UPPER, 2)}${r.int(0, 9)}${r.chars(UPPER, 2)}`;
  }

  nhs(): string {
    const d = withCheck(
      () => this.r.digits(9),
      (s) => {
        let sum = 0;
        for (let i = 0; i < 9; i++) sum += Number(s[i]) * (10 - i);
        return 11 - (sum % 11) !== 10;
      },
    );
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(d[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    const full = `${d}${check}`;
    return this.r.chance(0.7) ? group(full, [3, 3, 4], ' ') : full;
  }

  tfn(): string {
    const w = [1, 4, 3, 7, 5, 8, 6, 9, 10];
    const d = withCheck(
      () => this.r.digits(9),
      (s) => [...s].reduce((a, ch, i) => a + Number(ch) * (w[i] as number), 0) % 11 === 0,
    );
    return this.r.chance(0.6) ? group(d, [3, 3, 3], ' ') : d;
  }

  medicare(): string {
    const w = [1, 3, 7, 9, 1, 3, 7, 9];
    const body = `${this.r.int(2, 6)}${this.r.digits(7)}`;
    const check = [...body].reduce((a, ch, i) => a + Number(ch) * (w[i] as number), 0) % 10;
    const full = `${body}${check}${this.r.int(1, 9)}`;
    return this.r.chance(0.6) ? group(full, [4, 5, 1], ' ') : full;
  }

  saudiId(): string {
    return luhnComplete(this.r, this.r.pick(['1', '2']), 10);
  }

  dob(): string {
    const r = this.r;
    const y = r.int(1950, 2010);
    const m = r.int(1, 12);
    const d = r.int(1, 28);
    const months = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ];
    const pad = (n: number) => String(n).padStart(2, '0');
    return r.pick([
      `${y}-${pad(m)}-${pad(d)}`,
      `${pad(d)}/${pad(m)}/${y}`,
      `${m}/${d}/${y}`,
      `${d} ${months[m - 1]} ${y}`,
      `${months[m - 1]} ${d}, ${y}`,
      `${pad(d)}.${pad(m)}.${y}`,
      `${d} ${(months[m - 1] as string).slice(0, 3)} ${y}`,
    ]);
  }

  address(): string {
    const r = this.r;
    const street = r.pick(half(STREETS, this.split));
    const n = r.int(2, 4890);
    const kind = r.int(0, 2);
    if (kind === 0) {
      const [city, st, zip] = r.pick(US_CITIES);
      const unit = r.chance(0.3) ? `, Apt ${r.int(1, 40)}` : '';
      return `${n} ${street} ${r.pick(SUFFIXES_US)}${unit}, ${city}, ${st} ${zip}`;
    }
    if (kind === 1) {
      const [town, pc] = r.pick(UK_TOWNS);
      return `${r.int(1, 220)} ${street} ${r.pick(SUFFIXES_UK)}, ${town} ${pc}`;
    }
    const [town, st, pc] = r.pick(AU_TOWNS);
    return `${r.int(1, 300)} ${street} ${r.pick(['Street', 'Road', 'Avenue', 'Parade'])}, ${town} ${st} ${pc}`;
  }

  uuid(upper = false): string {
    const r = this.r;
    const u = `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}-${r.pick(['8', '9', 'a', 'b'])}${r.chars(HEX, 3)}-${r.chars(HEX, 12)}`;
    return upper ? u.toUpperCase() : u;
  }

  /** [kind, value]: IDFA, GAID, Android ID or IMEI. */
  device(): [string, string] {
    const r = this.r;
    return r.pick([
      () => ['IDFA', this.uuid(true)],
      () => ['GAID', this.uuid()],
      () => ['Android ID', r.chars(HEX, 16)],
      () => ['IMEI', luhnComplete(r, r.pick(['35', '86', '49']), 15)],
    ] as Array<() => [string, string]>)();
  }

  userId(): string {
    return `${this.r.int(1, 9)}${this.r.digits(this.r.int(7, 11))}`;
  }

  geo(): string {
    const r = this.r;
    const lat = (r.next() * 140 - 70).toFixed(r.int(4, 6));
    const lon = (r.next() * 340 - 170).toFixed(r.int(4, 6));
    return r.pick([`${lat}, ${lon}`, `${lat},${lon}`, `${lat} ${lon}`]);
  }

  wallet(): string {
    const r = this.r;
    const kind = r.int(0, 2);
    if (kind === 0) return `0x${r.chars('0123456789abcdefABCDEF', 40)}`;
    if (kind === 1)
      return base58check(
        r.pick([0x00, 0x05]),
        Array.from({ length: 20 }, () => r.int(0, 255)),
      );
    return bech32Address(Array.from({ length: 20 }, () => r.int(0, 255)));
  }

  secret(): string {
    const r = this.r;
    return r.pick([
      () => `AKIA${r.chars(UPPER + '234567', 16)}`,
      () => `ghp_${r.chars(ALNUM, 36)}`,
      () => `glpat-${r.chars(ALNUM, 20)}`,
      () => `xoxb-${r.digits(11)}-${r.digits(12)}-${r.chars(ALNUM, 24)}`,
      () => `sk_live_${r.chars(ALNUM, 24)}`,
      () => `AIza${r.chars(ALNUM, 35)}`,
      () => `npm_${r.chars(ALNUM, 36)}`,
      () => `sk-proj-${r.chars(ALNUM, 40)}`,
      () => jwt(r),
    ])();
  }
}
