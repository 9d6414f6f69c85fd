import type { Finding } from '@enclave/pii';
import { escapeUserText, parseTokens } from '@enclave/protocol';
import type { ChannelAccess } from '../access/channels.ts';
import { auditRegion } from '../audit/record.ts';
import {
  type Confirmation,
  detector,
  publicFindings,
  type Screened,
  type ScreenTarget,
  screenContent,
} from '../protection/screen.ts';
import { vaultFindings } from '../protection/vault/index.ts';
import type { Services } from '../services.ts';
import type { RegionTx } from './transaction.ts';

// Glue between the write actions and the protection pipeline (protection/screen.ts):
// what to screen against, what to tell the sender, what to audit.

export function targetOf(access: ChannelAccess): ScreenTarget {
  return {
    region: access.region,
    channelId: access.channel.id,
    label: access.channel.label,
    workspaceRole: access.workspaceRole,
    channelRole: access.membership?.role ?? null,
  };
}

/** Returned to the sender with the stored message, so the client can say what happened and why. */
export interface Protection {
  action: string;
  policyVersion: number | null;
  explanation: string;
  findings: ReturnType<typeof publicFindings>;
}

export function protectionOf(s: Screened): Protection | null {
  if (!s.decision.findings.length) return null;
  return {
    action: s.decision.action,
    policyVersion: s.decision.policyVersion,
    explanation: s.decision.explanation,
    findings: publicFindings(s.decision),
  };
}

/**
 * Records the decision in the region's audit chain, in the transaction that
 * stores the content (PO-/AU- rules): policy version, action, entity types and
 * counts, whether a warning was confirmed (and the justification's length) —
 * never a value. Content without findings is not a decision worth a row.
 */
export async function auditDecision(
  tx: RegionTx,
  actorId: string,
  channelId: string,
  targetId: string,
  s: Screened,
  tokenised: number,
  targetType: 'message' | 'channel' = 'message',
): Promise<void> {
  if (!s.decision.findings.length) return;
  await auditRegion(tx.db, {
    actorId,
    action: 'policy.decided',
    targetType,
    targetId,
    details: {
      policyVersion: s.decision.policyVersion,
      decided: s.decision.action,
      types: [...new Set(s.decision.findings.map((f) => f.type))],
      count: s.decision.findings.length,
      tokenised,
      ...(s.confirmedJustificationLength !== null && {
        confirmedWithJustificationOf: s.confirmedJustificationLength,
      }),
      ...(s.overridden && { overridden: s.overridden }),
    },
    channelId,
  });
}

/**
 * Whether a stored (possibly tokenised) text is what `text` becomes after the
 * vault: the same literal text between the same number of tokens. Used to tell
 * a retried send (same client id, same content) from a reused client id.
 */
export function sameSubmission(stored: string, text: string, tokenised: readonly Finding[]): boolean {
  const literal: string[] = [];
  let at = 0;
  for (const t of parseTokens(stored)) {
    literal.push(stored.slice(at, t.start));
    at = t.end;
  }
  literal.push(stored.slice(at));
  const safe = escapeUserText(text);
  const spans = [...tokenised].sort((a, b) => a.start - b.start);
  const expected: string[] = [];
  at = 0;
  for (const f of spans) {
    if (f.start < at) continue;
    expected.push(safe.slice(at, f.start));
    at = f.end;
  }
  expected.push(safe.slice(at));
  return literal.length === expected.length && literal.every((x, i) => x === expected[i]);
}

/**
 * Screens several short fields of one request (a channel's name, topic,
 * purpose) as one piece of content: each field is scanned on its own, so no
 * finding spans two fields; the policy decides once, and one confirmation
 * covers the request. `vault` then replaces each field's tokenised values
 * inside the caller's region transaction.
 */
export async function screenFields(
  services: Services,
  target: ScreenTarget,
  actorId: string,
  fields: Record<string, string | undefined>,
  confirmation?: Confirmation,
) {
  const present = Object.entries(fields).filter((e): e is [string, string] => !!e[1]);
  let joined = '';
  const findings: Finding[] = [];
  const at = new Map<string, number>();
  for (const [name, value] of present) {
    at.set(name, joined.length);
    for (const f of detector().scan(value))
      findings.push({ ...f, start: f.start + joined.length, end: f.end + joined.length });
    joined += `${value}\n`;
  }
  const screened = await screenContent(services, target, actorId, joined, confirmation, findings);
  return {
    screened,
    async vault(tx: RegionTx): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const [name, value] of present) {
        const from = at.get(name)!;
        const own = screened.toTokenise
          .filter((f) => f.start >= from && f.end <= from + value.length)
          .map((f) => ({ ...f, start: f.start - from, end: f.end - from }));
        const vaulted = await vaultFindings(tx, {
          keys: services.vault.keys,
          channelId: target.channelId,
          messageId: null,
          text: value,
          findings: own,
        });
        out[name] = vaulted.text;
      }
      return out;
    },
  };
}
