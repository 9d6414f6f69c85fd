import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import type { Candidate, ScanContext } from '../scan-context.ts';

const IP_CONTEXT = compileContext([
  'ip',
  'ip address',
  'ipv4',
  'ipv6',
  'logged in from',
  'login from',
  'source',
  'src',
  'client',
  'remote addr',
  'x-forwarded-for',
  'connected from',
  'vpn',
]);
const VERSION_CONTEXT = compileContext([
  'version',
  'ver',
  'release',
  'build',
  'firmware',
  'sdk',
  'app',
  'v',
  'oid',
  'chrome',
  'firefox',
  'safari',
  'android',
  'ios',
  'update',
  'patch',
]);
const MAC_CONTEXT = compileContext([
  'mac',
  'mac address',
  'hardware address',
  'hwaddr',
  'ether',
  'bssid',
  'wifi',
  'wi-fi',
  'bluetooth',
]);

function isPrivateV4(o: number[]): boolean {
  const [a, b] = o as [number, number];
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254)
  );
}

function ipv4Candidates(ctx: ScanContext, out: Candidate[]): void {
  const t = ctx.text;
  for (const run of ctx.digitRuns()) {
    const g = run.groups;
    const count = g.length / 2;
    if (count < 4) continue;
    for (let i = 0; i + 4 <= count; i++) {
      let ok = true;
      const octets: number[] = [];
      for (let k = i; k < i + 4 && ok; k++) {
        const s = g[k * 2] as number;
        const e = g[k * 2 + 1] as number;
        const part = t.slice(s, e);
        if (part.length > 3 || (part.length > 1 && part[0] === '0') || Number(part) > 255) ok = false;
        if (k < i + 3 && t.slice(e, g[k * 2 + 2] as number) !== '.') ok = false;
        octets.push(Number(part));
      }
      if (!ok) continue;
      // Part of a longer dotted sequence (OIDs, 1.2.3.4.5) is not an address.
      const before = i > 0 && t.slice(g[i * 2 - 1] as number, g[i * 2] as number) === '.';
      const after = i + 4 < count && t.slice(g[(i + 3) * 2 + 1] as number, g[(i + 4) * 2] as number) === '.';
      if (before || after) continue;
      if (octets[0] === 0 || octets[0] === 255 || octets[0]! >= 224) continue;
      const start = g[i * 2] as number;
      const end = g[(i + 3) * 2 + 1] as number;
      // "version 1.2.3.4" right before the number outranks an "IP" further away.
      if (ctx.context(start, end, VERSION_CONTEXT, 16, 0)) continue;
      const word = ctx.context(start, end, IP_CONTEXT, 40, 16);
      if (!word && ctx.context(start, end, VERSION_CONTEXT, 48, 0)) continue;
      const priv = isPrivateV4(octets);
      const score = priv ? (word ? 0.75 : 0.6) : word ? 0.95 : 0.85;
      out.push({
        type: 'IP_ADDRESS',
        start,
        end,
        score,
        detector: 'ip_address',
        explanation: `IPv4 dotted quad, each octet 0-255${priv ? ' (private range)' : ''}${contextNote(word)}`,
        specificity: 5,
      });
      i += 3;
    }
  }
}

// Two colons around at most 4 hex digits: a fast anchored test before the full candidate scan.
const V6_ANCHOR = /:[0-9A-Fa-f]{0,4}:/;
const V6_CANDIDATE =
  /(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![0-9A-Za-z:])/g;

/** Structural IPv6 check: 8 groups, or fewer with exactly one "::", optional dotted IPv4 tail. */
export function validIpv6(s: string): boolean {
  let body = s;
  let extraGroups = 0;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const parts = tail.split('.');
    if (parts.length !== 4 || parts.some((p) => p === '' || Number(p) > 255)) return false;
    body = `${s.slice(0, lastColon + 1)}0`;
    extraGroups = 1;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((x) => x.length === 0 || x.length > 4)) return false;
  const total = groups.length + extraGroups;
  return halves.length === 2 ? total <= 7 : total === 8;
}

function ipv6Candidates(ctx: ScanContext, out: Candidate[]): void {
  const t = ctx.text;
  V6_CANDIDATE.lastIndex = 0;
  for (let m = V6_CANDIDATE.exec(t); m; m = V6_CANDIDATE.exec(t)) {
    const s = m[0];
    if (!validIpv6(s)) continue;
    const nonEmpty = s.split(':').filter((x) => x.length > 0).length;
    // "a::b" in code (C++ scopes) parses as IPv6; demand real structure or context.
    const word = ctx.context(m.index, m.index + s.length, IP_CONTEXT, 40, 16);
    if (nonEmpty < 3 && !word && s !== '::1') continue;
    out.push({
      type: 'IP_ADDRESS',
      start: m.index,
      end: m.index + s.length,
      score: word ? 0.95 : 0.85,
      detector: 'ip_address',
      explanation: `IPv6 address, valid group structure${contextNote(word)}`,
      specificity: 5,
    });
  }
}

export const ipRecognizer: Recognizer = {
  name: 'ip_address',
  types: ['IP_ADDRESS'],
  gate: (f) => (f.dots >= 3 && f.digits >= 4) || f.colons >= 2,
  find(ctx, out) {
    if (ctx.features.dots >= 3) ipv4Candidates(ctx, out);
    if (ctx.features.colons >= 2 && V6_ANCHOR.test(ctx.text)) ipv6Candidates(ctx, out);
  },
};

const MAC_SEPARATED =
  /(?<![0-9A-Za-z:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![0-9A-Za-z:-])/g;
// Patterns that may start at any hex digit scan slowly; a test anchored on the dot runs first.
const DOTTED_ANCHOR = /\.[0-9A-Fa-f]{4}\./;
const MAC_DOTTED = /(?<![0-9A-Za-z.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z.])/g;

export const macRecognizer: Recognizer = {
  name: 'mac_address',
  types: ['MAC_ADDRESS'],
  gate: (f) => f.colons >= 5 || f.hyphens >= 5 || f.dots >= 2,
  find(ctx, out) {
    const t = ctx.text;
    const patterns = [
      ctx.features.colons >= 5 || ctx.features.hyphens >= 5 ? MAC_SEPARATED : null,
      ctx.features.dots >= 2 && DOTTED_ANCHOR.test(t) ? MAC_DOTTED : null,
    ];
    for (const re of patterns) {
      if (!re) continue;
      re.lastIndex = 0;
      for (let m = re.exec(t); m; m = re.exec(t)) {
        const hex = m[0].replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
        if (/^0+$/.test(hex) || /^f+$/.test(hex)) continue; // null and broadcast are not devices
        const dotted = re === MAC_DOTTED;
        // Dotted 4-4-4 groups of pure digits are more often version-like numbers.
        if (dotted && /^\d+$/.test(hex)) continue;
        const word = ctx.context(m.index, m.index + m[0].length, MAC_CONTEXT, 40, 16);
        const score = word ? 0.95 : dotted ? 0.6 : 0.85;
        out.push({
          type: 'MAC_ADDRESS',
          start: m.index,
          end: m.index + m[0].length,
          score,
          detector: 'mac_address',
          explanation: `six hex octets${dotted ? ' (dotted form)' : ''}${contextNote(word)}`,
          specificity: 5,
        });
      }
    }
  },
};
