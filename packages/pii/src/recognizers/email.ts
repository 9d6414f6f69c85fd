import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import { type Candidate, isAsciiAlnum, type ScanContext } from '../scan-context.ts';

const CONTEXT = compileContext(['email', 'e-mail', 'mail', 'contact', 'address', 'from', 'to', 'reply']);

function isLocalChar(c: number): boolean {
  // a-z A-Z 0-9 . _ % + - '
  return isAsciiAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39;
}

function isDomainChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 45 || c === 46;
}

/** Local parts that name a service, not a person: "git@github.com:org/repo" is an SSH remote. */
const SERVICE_LOCALS = new Set(['git']);

/**
 * Expands outwards from each '@' instead of running a regex over the whole text: linear time
 * even on a long run of word characters, which a naive /[\w.]+@/ scan is not (SPEC R8).
 */
export const emailRecognizer: Recognizer = {
  name: 'email',
  types: ['EMAIL_ADDRESS'],
  gate: (f) => f.at > 0,
  find(ctx: ScanContext, out: Candidate[]) {
    const t = ctx.text;
    let at = t.indexOf('@');
    while (at >= 0) {
      let s = at;
      while (s > 0 && at - s < 64 && isLocalChar(t.charCodeAt(s - 1))) s--;
      while (s < at && (t.charCodeAt(s) === 46 || t.charCodeAt(s) === 39)) s++;
      let e = at + 1;
      while (e < t.length && e - at <= 253 && isDomainChar(t.charCodeAt(e))) e++;
      // Trailing dots/hyphens are sentence punctuation, not part of the domain.
      while (e > at + 1 && (t.charCodeAt(e - 1) === 46 || t.charCodeAt(e - 1) === 45)) e--;
      const local = t.slice(s, at);
      const domain = t.slice(at + 1, e);
      if (local.length > 0 && validDomain(domain) && !local.endsWith('.') && !local.includes('..')) {
        const sshRemote = SERVICE_LOCALS.has(local.toLowerCase()) && t.charCodeAt(e) === 58;
        if (!sshRemote) {
          const word = ctx.context(s, e, CONTEXT, 24, 16);
          out.push({
            type: 'EMAIL_ADDRESS',
            start: s,
            end: e,
            score: word ? 0.95 : 0.9,
            detector: 'email',
            explanation: `local part + domain with a valid top-level domain${contextNote(word)}`,
            specificity: 6,
          });
        }
      }
      at = t.indexOf('@', Math.max(e, at + 1));
    }
  },
};

function validDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
  }
  const tld = labels[labels.length - 1] as string;
  return /^[A-Za-z]{2,24}$/.test(tld);
}
