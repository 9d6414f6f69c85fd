import type { Duty, PersonAttributes, TokenScope } from '@enclave/protocol';

/** Who is making a request, and through what credential. */
export interface Actor {
  userId: string;
  displayName: string;
  kind: 'human' | 'bot';
  instanceRole: 'admin' | 'user';
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  csrfToken: string | null;
  scopes: ReadonlySet<TokenScope>;
  /** Instance duties (reviewer, auditor); admins hold every duty (see hasDuty). */
  duties: readonly Duty[];
  /** Who the person is for the channel rules (docs/data-protection/fencing.md). */
  attributes: PersonAttributes;
}

/** Instance admins hold every duty; others only what was given to them. */
export function hasDuty(actor: Pick<Actor, 'instanceRole' | 'duties'>, duty: Duty): boolean {
  return actor.instanceRole === 'admin' || actor.duties.includes(duty);
}

type PersonColumns = { country: string | null; org_unit: string | null; clearance: number };

export function attributesOf(row: PersonColumns): PersonAttributes {
  return { country: row.country, orgUnit: row.org_unit, clearance: row.clearance };
}

export const ALL_SCOPES: ReadonlySet<TokenScope> = new Set(['read', 'write', 'admin']);
