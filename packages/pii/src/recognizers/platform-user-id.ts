import { RE2JS } from 're2js';
import { type ContextMatcher, compileContext, contextFragments } from '../context.ts';
import type { Recognizer } from '../recognizer.ts';
import { type Candidate, isAsciiAlnum, type ScanContext } from '../scan-context.ts';
import type { PlatformUserIdConfig } from '../types.ts';

export const DEFAULT_USER_ID_CONTEXT = [
  'uid',
  'user id',
  'userid',
  'user',
  'user number',
  'account',
  'account id',
  'acct',
  'acct id',
  'profile id',
  'member id',
  'creator id',
  'player id',
  'customer id',
  'cust id',
  'reporter id',
  'reported user',
  'subject id',
  'platform id',
  'owner id',
  'author id',
  'seller id',
  'buyer id',
  'uploader id',
  'channel id',
  'fb id',
  'tiktok id',
];
const NOT_USER_ID_CONTEXT = compileContext([
  'bank',
  'bank account',
  'routing',
  'sort code',
  'iban',
  'order',
  'ticket',
  'invoice',
  'tracking',
  'phone',
  'card',
]);
const DEFAULT_PATTERN = /(?<![A-Za-z0-9])\d{6,20}(?![A-Za-z0-9])/g;

// A module-level function, not a closure per scan: the scan path allocates as little as it can.
function emitUserId(
  ctx: ScanContext,
  out: Candidate[],
  context: ContextMatcher,
  start: number,
  end: number,
): void {
  if (start === end) return;
  const t = ctx.text;
  // A configured pattern may match inside a longer token; only whole tokens count.
  if (isAsciiAlnum(t.charCodeAt(start - 1)) || isAsciiAlnum(t.charCodeAt(end))) return;
  const word = ctx.context(start, end, context, 32, 16);
  if (!word) return;
  // "bank account 12345678": a negative word outranks a generic "account", not an explicit "... id".
  if (ctx.context(start, end, NOT_USER_ID_CONTEXT, 24, 0) && !/id$/i.test(word)) return;
  out.push({
    type: 'PLATFORM_USER_ID',
    start,
    end,
    score: 0.85,
    detector: 'platform_user_id',
    explanation: `account identifier pattern with user-ID context "${word}"`,
    specificity: 4,
  });
}

/**
 * PLATFORM_USER_ID (SPEC R21): long numeric account IDs are indistinguishable from other numbers,
 * so a user-ID context word right before or after is required. Deployments whose IDs look
 * different configure their own pattern (compiled with the linear-time RE2 engine).
 */
export function createPlatformUserIdRecognizer(config: PlatformUserIdConfig = {}): Recognizer {
  const words = config.contextWords ?? DEFAULT_USER_ID_CONTEXT;
  const context = compileContext(words);
  const custom = config.pattern ? RE2JS.compile(config.pattern) : null;
  return {
    name: 'platform_user_id',
    types: ['PLATFORM_USER_ID'],
    gate: (f) => (custom ? true : f.digits >= 6),
    requires: contextFragments(words),
    find(ctx, out) {
      const t = ctx.text;
      if (custom) {
        const m = custom.matcher(t);
        while (m.find()) emitUserId(ctx, out, context, m.start(), m.end());
        return;
      }
      DEFAULT_PATTERN.lastIndex = 0;
      for (let m = DEFAULT_PATTERN.exec(t); m; m = DEFAULT_PATTERN.exec(t))
        emitUserId(ctx, out, context, m.index, m.index + m[0].length);
    },
  };
}
