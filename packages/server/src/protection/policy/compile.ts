import { ENTITY_TYPES } from '@enclave/pii';
import type { ChannelKind, PolicyAction } from '@enclave/protocol';
import { explainFinding } from './explain.ts';
import { MembershipRules, type PolicyDocument, type Principal } from './schema.ts';

// A validated document turned into lookup tables, once per activation, so
// that deciding a message is a few map lookups per finding (PO-3).

/** The table key for finding types no rule names (custom recognizers): only "*" rules reach them. */
export const OTHER_TYPE = '*';

export interface Cell {
  action: PolicyAction;
  ruleId: string;
  reason: string | undefined;
  /** Precomputed for built-in types (the sentence depends only on type, action, label, reason). */
  explanation?: string;
}

export interface Band {
  name: string;
  from: number;
}

/** "Who may" rules: the first whose selectors match decides (PO-5). */
export interface CompiledGrant {
  id: string;
  by: ReadonlySet<Principal>;
  except: ReadonlySet<Principal>;
  /** null = any. */
  types: ReadonlySet<string> | null;
  labels: ReadonlySet<string> | null;
  actions: ReadonlySet<PolicyAction> | null;
}

export interface CompiledTransition {
  id: string;
  by: ReadonlySet<Principal>;
  except: ReadonlySet<Principal>;
  from: ReadonlySet<string> | null;
  to: ReadonlySet<string> | null;
  direction: 'up' | 'down' | undefined;
}

export interface CompiledPolicy {
  /** The stored version number; null for a document that is not stored (CLI, dry run of YAML). */
  version: number | null;
  name: string;
  yaml: string;
  document: PolicyDocument;
  /** Least to most protected. */
  labels: readonly string[];
  rank: ReadonlyMap<string, number>;
  defaults: Readonly<Record<ChannelKind, string>>;
  /** Ascending by lower bound; the first starts at 0. */
  bands: readonly Band[];
  /** label -> entity type (or OTHER_TYPE) -> one cell per band, in band order. */
  table: ReadonlyMap<string, ReadonlyMap<string, readonly Cell[]>>;
  transitions: readonly CompiledTransition[];
  overrides: readonly CompiledGrant[];
  reveal: readonly CompiledGrant[];
  /** Label -> membership rules; labels the document does not list get the permissive defaults. */
  membership: ReadonlyMap<string, MembershipRules>;
}

const NO_RULES: MembershipRules = MembershipRules.parse({});

export function compilePolicy(doc: PolicyDocument, yaml: string, version: number | null): CompiledPolicy {
  const typesOf = (v: '*' | string[]): ReadonlySet<string> | null =>
    v === '*' ? null : new Set(v.flatMap((t) => doc.groups[t] ?? [t]));
  const setOf = <T extends string>(v: '*' | T[]): ReadonlySet<T> | null => (v === '*' ? null : new Set(v));
  const bands = Object.entries(doc.bands).map(([name, from]) => ({ name, from }));
  const rules = doc.rules.map((r) => ({
    types: typesOf(r.types),
    labels: setOf(r.labels),
    bands: setOf(r.bands),
    cell: { action: r.action, ruleId: r.id, reason: r.reason },
  }));
  const fallback: Cell = { action: doc.fallback, ruleId: 'fallback', reason: undefined };

  const table = new Map<string, Map<string, Cell[]>>();
  for (const label of doc.labels.order) {
    const byType = new Map<string, Cell[]>();
    for (const type of [...ENTITY_TYPES, OTHER_TYPE]) {
      byType.set(
        type,
        bands.map((band) => {
          const cell =
            rules.find(
              (r) =>
                (r.types === null || (type !== OTHER_TYPE && r.types.has(type))) &&
                (r.labels === null || r.labels.has(label)) &&
                (r.bands === null || r.bands.has(band.name)),
            )?.cell ?? fallback;
          if (type === OTHER_TYPE) return cell;
          return { ...cell, explanation: explainFinding(type, cell.action, label, cell.reason) };
        }),
      );
    }
    table.set(label, byType);
  }

  const grant = (g: {
    id: string;
    by: Principal[];
    except: Principal[];
    types?: '*' | string[];
    labels?: '*' | string[];
    actions?: PolicyAction[];
  }): CompiledGrant => ({
    id: g.id,
    by: new Set(g.by),
    except: new Set(g.except),
    types: g.types === undefined ? null : typesOf(g.types),
    labels: g.labels === undefined ? null : setOf(g.labels),
    actions: g.actions === undefined ? null : new Set(g.actions),
  });

  return {
    version,
    name: doc.name,
    yaml,
    document: doc,
    labels: doc.labels.order,
    rank: new Map(doc.labels.order.map((l, i) => [l, i])),
    defaults: doc.labels.defaults,
    bands,
    table,
    transitions: doc.labels.transitions.map((t) => ({
      id: t.id,
      by: new Set(t.by),
      except: new Set(t.except),
      from: setOf(t.from),
      to: setOf(t.to),
      direction: t.direction,
    })),
    overrides: doc.overrides.map(grant),
    reveal: doc.reveal.map(grant),
    membership: new Map(doc.labels.order.map((l) => [l, doc.membership[l] ?? NO_RULES])),
  };
}

/** The membership rules of a label (permissive for a label the policy does not know). */
export function membershipRules(policy: CompiledPolicy, label: string): MembershipRules {
  return policy.membership.get(label) ?? NO_RULES;
}

/** The band a score falls in: the last band whose lower bound it reaches. */
export function bandIndex(policy: CompiledPolicy, score: number): number {
  const { bands } = policy;
  for (let i = bands.length - 1; i > 0; i--) if (score >= bands[i]!.from) return i;
  return 0;
}
