import { compileContext } from '../context.ts';
import type { Recognizer } from '../recognizer.ts';
import type { Candidate, ScanContext } from '../scan-context.ts';

interface TokenFormat {
  name: string;
  /** Literal that must occur for the pattern to be tried (the prefilter). */
  literal: string | RegExp;
  pattern: RegExp;
  score: number;
}

// Documented, prefixed credential formats: the prefix makes them near-certain.
const FORMATS: TokenFormat[] = [
  {
    name: 'AWS access key ID',
    literal: /A(?:KIA|SIA|GPA|IDA|ROA|NPA)/,
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    score: 0.95,
  },
  {
    name: 'GitHub token',
    literal: /gh[pousr]_/,
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g,
    score: 0.99,
  },
  {
    name: 'GitHub fine-grained token',
    literal: 'github_pat_',
    pattern: /github_pat_[A-Za-z0-9_]{60,255}/g,
    score: 0.99,
  },
  { name: 'GitLab token', literal: 'glpat-', pattern: /glpat-[A-Za-z0-9_-]{20,}/g, score: 0.99 },
  {
    name: 'Slack token',
    literal: 'xox',
    pattern: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,250}/g,
    score: 0.97,
  },
  {
    name: 'Slack webhook',
    literal: 'hooks.slack.com',
    pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_/]{20,120}/g,
    score: 0.97,
  },
  {
    name: 'Stripe key',
    literal: '_live_',
    pattern: /(?<![A-Za-z0-9])(?:sk|rk|pk)_live_[A-Za-z0-9]{16,247}/g,
    score: 0.99,
  },
  {
    name: 'Stripe test key',
    literal: '_test_',
    pattern: /(?<![A-Za-z0-9])(?:sk|rk)_test_[A-Za-z0-9]{16,247}/g,
    score: 0.9,
  },
  {
    name: 'Google API key',
    literal: 'AIza',
    pattern: /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    score: 0.97,
  },
  {
    name: 'OpenAI/Anthropic-style key',
    literal: 'sk-',
    pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{32,200}(?![A-Za-z0-9_-])/g,
    score: 0.95,
  },
  {
    name: 'npm token',
    literal: 'npm_',
    pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
    score: 0.99,
  },
  { name: 'SendGrid key', literal: 'SG.', pattern: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/g, score: 0.99 },
  {
    name: 'Twilio key',
    literal: /SK[0-9a-f]{8}/,
    pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g,
    score: 0.85,
  },
  {
    name: 'Hugging Face token',
    literal: 'hf_',
    pattern: /(?<![A-Za-z0-9])hf_[A-Za-z0-9]{34,40}(?![A-Za-z0-9])/g,
    score: 0.95,
  },
  {
    name: 'JSON Web Token',
    literal: 'eyJ',
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{0,1000}(?![A-Za-z0-9_-])/g,
    score: 0.95,
  },
];

// "password: hunter2!" — a credential keyed by its name, when the value is not obviously a placeholder.
const KEYED =
  /(?<![A-Za-z0-9])(?:password|passwd|pwd|passcode|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|bearer|private[_-]?key)["']?\s{0,3}(?:[:=]|is)\s{0,3}["']?([^\s"'<>,;]{8,200})/gi;
// The literals documented formats start with, split by the rare character they contain: a
// literal with "_" cannot occur in a message without "_", and so on. The capital-letter
// literals form one pattern V8 scans quickly (it starts with one of three letters); one regex
// over all literals is several times slower because no single character anchors it.
const CAPITAL_LITERALS = /A(?:KIA|SIA|GPA|IDA|ROA|NPA|Iza)|SK[0-9a-f]|eyJ/;
const UNDERSCORE_LITERALS = /gh[pousr]_|github_pat_|_live_|_test_|npm_|hf_/;
const HYPHEN_LITERALS = /glpat-|xox|sk-/;

function mayHoldTokenFormat(ctx: ScanContext): boolean {
  const t = ctx.text;
  const f = ctx.features;
  // Every format but the Slack webhook (whose path segments may be short) holds an unbroken run
  // of 11+ [A-Za-z0-9_-]; the shortest is a JWT's first segment, "eyJ" + 8. Most messages have none.
  if (f.longestWordRun < 11) return f.dots > 0 && t.includes('hooks.slack');
  return (
    (f.upper > 0 && CAPITAL_LITERALS.test(t)) ||
    (f.underscores > 0 && UNDERSCORE_LITERALS.test(t)) ||
    (f.hyphens > 0 && HYPHEN_LITERALS.test(t)) ||
    (f.dots > 0 && (t.includes('SG.') || t.includes('hooks.slack')))
  );
}

/** KEYED needs a key followed by ':', '=' or "is"; indexOf rules out most messages before the case-insensitive regex. */
function mayHoldKeyedSecret(ctx: ScanContext): boolean {
  const f = ctx.features;
  const t = ctx.text;
  return (
    (f.colons > 0 || f.equals > 0 || t.includes('is') || (f.upper > 0 && /is/i.test(t))) &&
    KEYED_PREFILTER.test(t)
  );
}
const KEYED_PREFILTER = /pass|pwd|secret|key|token|bearer/i;
const PLACEHOLDER =
  /^(?:\*+|x+|\.+|<[^>]*>|\$\{[^}]*\}|your[_-]|changeme|redacted|example|placeholder|null|none|undefined|true|false)/i;

function keyedSecrets(ctx: ScanContext, out: Candidate[]): void {
  const t = ctx.text;
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(t); m; m = KEYED.exec(t)) {
    const value = m[1] as string;
    // Prose ("the password is definitely wrong") has letters only; real secrets mix in digits or symbols.
    if (PLACEHOLDER.test(value) || /^[A-Za-z]+$/.test(value) || /^https?:/.test(value)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({
      type: 'SECRET',
      start,
      end: start + value.length,
      score: 0.75,
      detector: 'secret',
      explanation: 'value assigned to a credential key (password/secret/token)',
      specificity: 5,
    });
  }
}

const jwtContext = compileContext(['jwt', 'token', 'bearer', 'authorization', 'session']);

/** SECRET (SPEC R22): documented token formats, private key blocks, JWTs, credential key-values. */
export const secretRecognizer: Recognizer = {
  name: 'secret',
  types: ['SECRET'],
  gate: (f) => f.length >= 12,
  find(ctx, out) {
    const t = ctx.text;
    // Each format is tried only when its literal prefix occurs (indexOf runs at memory speed).
    for (const format of mayHoldTokenFormat(ctx) ? FORMATS : []) {
      if (typeof format.literal === 'string' ? !t.includes(format.literal) : !format.literal.test(t))
        continue;
      format.pattern.lastIndex = 0;
      for (let m = format.pattern.exec(t); m; m = format.pattern.exec(t)) {
        const end = m.index + m[0].length;
        let score = format.score;
        if (format.name === 'JSON Web Token') {
          if (!jwtHeaderValid(m[0])) continue;
          if (ctx.context(m.index, end, jwtContext)) score = 0.99;
        }
        out.push({
          type: 'SECRET',
          start: m.index,
          end,
          score,
          detector: 'secret',
          explanation: `${format.name} by its documented format`,
          specificity: 9,
        });
      }
    }
    if (ctx.features.hyphens >= 5 && t.includes('-----BEGIN ')) privateKeyBlocks(t, out);
    if (mayHoldKeyedSecret(ctx)) keyedSecrets(ctx, out);
  },
};

/** A JWT header is base64url JSON naming an "alg". */
function jwtHeaderValid(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const json = atob(header.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((header.length + 3) % 4));
    return /"alg"\s*:/.test(json);
  } catch {
    return false;
  }
}

const PEM_BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/y;

/**
 * Private key blocks, BEGIN to matching END. Found with indexOf rather than one lazy regex so a
 * message full of BEGIN lines without an END stays linear (SPEC R8): a label whose END is missing
 * is remembered and never searched for again.
 */
function privateKeyBlocks(t: string, out: Candidate[]): void {
  const missingEnd = new Set<string>();
  let at = t.indexOf('-----BEGIN ');
  while (at >= 0) {
    PEM_BEGIN.lastIndex = at;
    const m = PEM_BEGIN.exec(t);
    let next = at + 11;
    if (m && !missingEnd.has(m[1] as string)) {
      const endMarker = `-----END ${m[1]}-----`;
      const endAt = t.indexOf(endMarker, at + m[0].length);
      if (endAt < 0) missingEnd.add(m[1] as string);
      else {
        const end = endAt + endMarker.length;
        out.push({
          type: 'SECRET',
          start: at,
          end,
          score: 0.99,
          detector: 'secret',
          explanation: `${m[1]} block (PEM armour)`,
          specificity: 10,
        });
        next = end;
      }
    }
    at = t.indexOf('-----BEGIN ', next);
  }
}
