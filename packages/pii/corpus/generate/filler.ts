/** Unlabelled filler: identifiers and numbers that are not personal data (hard negatives). */
import { luhnValid } from '../../src/validators.ts';
import type { Random } from './random.ts';

// Person-shaped brand names, one list per split so the held-out brands are not the tuned ones.
const BRANDS = {
  heldout: [
    'Calvin Klein',
    'Tommy Hilfiger',
    'Michael Kors',
    'Tory Burch',
    'Marc Jacobs',
    'Vera Wang',
    'Betsey Johnson',
  ],
  dev: ['Ralph Lauren', 'Kate Spade', 'Ted Baker', 'Hugo Boss', 'Ben Sherman', 'Paul Smith', 'Tom Ford'],
};
const FIRST = ['Sarah', 'Tom', 'Priya', 'Marco', 'Jen', 'Ade', 'Lena', 'Sam', 'Kenji', 'Ola'];
const HEX = '0123456789abcdef';

export function filler(r: Random, name: string, split: 'heldout' | 'dev'): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  switch (name) {
    case 'order':
      return `${r.int(1, 9)}${r.digits(r.int(7, 9))}`;
    case 'tracking':
      return `1Z${r.chars('0123456789ABCDEFGHJKLMNPRSTUVWXYZ', 16)}`;
    case 'ticket':
      return `TS-${r.int(10000, 99999)}`;
    case 'case':
      return `${r.int(2019, 2025)}-CR-${r.digits(5)}`;
    case 'uuid':
      return `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}-a${r.chars(HEX, 3)}-${r.chars(HEX, 12)}`;
    case 'time':
      return `${pad(r.int(0, 23))}:${pad(r.int(0, 59))}`;
    case 'date':
      return `${r.int(2023, 2025)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
    case 'iso':
      return `${r.int(2023, 2025)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}T${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}Z`;
    case 'year':
      return String(r.int(2026, 2034));
    case 'month':
      return `${pad(r.int(1, 12))}/${r.int(26, 31)}`;
    case 'version':
      return `${r.int(1, 12)}.${r.int(0, 30)}.${r.int(0, 20)}`;
    case 'build':
      return `${r.int(2023, 2025)}.${pad(r.int(1, 12))}.${pad(r.int(1, 28))}-rc${r.int(1, 5)}`;
    case 'hash':
      return r.chars(HEX, 40);
    case 'shorthash':
      return r.chars(HEX, 7);
    case 'sha':
      return r.chars(HEX, 64);
    case 'amount':
      return `${r.int(1, 9)},${r.digits(3)}.${r.digits(2)} ${r.pick(['USD', 'EUR', 'GBP'])}`;
    case 'invoice':
      return `INV-${r.int(2022, 2025)}-${r.digits(5)}`;
    case 'badcard': {
      for (;;) {
        const d = `4${r.digits(15)}`;
        if (!luhnValid(d)) return d.replace(/(\d{4})(?=\d)/g, '$1 ');
      }
    }
    case 'brand':
      return r.pick(BRANDS[split]);
    case 'first':
      return r.pick(FIRST);
    case 'ext':
      return String(r.int(2000, 8999));
    case 'count':
      return String(r.int(12, 9000));
    case 'duration':
      return `${r.int(1, 9)}h ${pad(r.int(0, 59))}m`;
    case 'template':
      return `TPL-${r.int(100, 999)}`;
    case 'costcenter':
      return `CC-${r.digits(4)}`;
    case 'po':
      return `PO${r.digits(8)}`;
    case 'campaign':
      return `cmp_${r.digits(9)}`;
    case 'worker':
      return `w-${r.int(1, 64)}`;
    case 'alert':
      return `ALRT-${r.digits(6)}`;
    case 'batch':
      return `B${r.digits(6)}`;
    case 'last4':
      return r.digits(4);
    default:
      throw new Error(`unknown filler {${name}}`);
  }
}
