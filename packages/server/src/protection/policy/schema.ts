import { ENTITY_TYPES } from '@enclave/pii';
import { ChannelKind, Clearance, CountryCode, LabelName, OrgUnit, PolicyAction } from '@enclave/protocol';
import { z } from 'zod';

// The shape of a policy document (docs/data-protection/policy.md, PO-1…PO-6).
// Field-level rules are zod types; rules that relate fields to each other
// (a rule naming a label the document does not declare) are checked in
// `crossCheck` so every problem gets its own precise path.

export const PRINCIPALS = [
  'workspace:owner',
  'workspace:admin',
  'workspace:member',
  'workspace:guest',
  'channel:owner',
  'channel:admin',
  'channel:member',
] as const;
export const Principal = z.enum(PRINCIPALS, {
  error: `must be one of ${PRINCIPALS.join(', ')}`,
});
export type Principal = z.infer<typeof Principal>;

const Name = z.string().regex(/^[a-z][a-z0-9_-]{0,47}$/, 'must be lower-case letters, digits, "-" or "_"');
const RuleId = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be a lower-case rule id');
const ALL = z.literal('*');
/** A list of label names, or "*" for every label. */
const Labels = z.union([ALL, z.array(LabelName).min(1)]);
/** Entity type names or group names, or "*". Checked against @enclave/pii in crossCheck. */
const Types = z.union([ALL, z.array(z.string()).min(1)]);
const Principals = z.array(Principal);

const Rule = z.strictObject({
  id: RuleId,
  types: Types,
  labels: Labels.default('*'),
  bands: z.union([ALL, z.array(Name).min(1)]).default('*'),
  action: PolicyAction,
  /** Why, in a few words: appended to the explanation people see. */
  reason: z.string().max(200).optional(),
});

/** Who may do something (override a decision, reveal a type, change a label). First match wins. */
const Grant = z.strictObject({
  id: RuleId,
  by: Principals,
  /** Never these, even if `by` lists one of their roles (e.g. guests). */
  except: Principals.default([]),
});

/**
 * Who may be in a channel of a label (FE-3). Unlisted labels have no rules.
 * `inRegion` means located in a country of the channel's region's jurisdiction
 * (a person with no country set never is); "cross-region access" is its negation.
 */
export const MembershipRules = z.strictObject({
  /** Countries members may be located in ("*" = any, including unknown). */
  countries: z.union([ALL, z.array(CountryCode).min(1)]).default('*'),
  /** false: every member must be located in the channel region's jurisdiction. */
  crossRegion: z.boolean().default(true),
  orgUnits: z.union([ALL, z.array(OrgUnit).min(1)]).default('*'),
  minClearance: Clearance.default(0),
  guests: z.boolean().default(true),
  /** null = no cap. */
  maxMembers: z.number().int().min(2).max(1_000_000).nullable().default(null),
  /** Extra rules for channel owners (who may own). */
  owners: z
    .strictObject({
      inRegion: z.boolean().default(false),
      minClearance: Clearance.default(0),
    })
    .default({ inRegion: false, minClearance: 0 }),
  /** Raising a channel to this label when some members do not qualify: refuse, or remove them. */
  onUpgrade: z.enum(['refuse', 'remove']).default('refuse'),
});
export type MembershipRules = z.infer<typeof MembershipRules>;

export const PolicyDocument = z.strictObject({
  format: z.literal(1, { error: 'must be 1 (the only format so far)' }),
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
  labels: z.strictObject({
    /** Least to most protected. */
    order: z.array(LabelName).min(1).max(16),
    defaults: z.strictObject(
      Object.fromEntries(ChannelKind.options.map((k) => [k, LabelName])) as Record<
        ChannelKind,
        typeof LabelName
      >,
    ),
    transitions: z.array(
      Grant.extend({
        from: Labels.default('*'),
        to: Labels.default('*'),
        direction: z.enum(['up', 'down']).optional(),
      }),
    ),
  }),
  /** Band name -> lowest score in the band, ascending, the first 0. */
  bands: z.record(Name, z.number().min(0).max(1)),
  groups: z.record(Name, z.array(z.string()).min(1)).default({}),
  rules: z.array(Rule),
  /** For findings no rule matches (custom recognizer types, gaps). */
  fallback: PolicyAction,
  overrides: z.array(
    Grant.extend({
      actions: z.array(PolicyAction).min(1),
      types: Types.default('*'),
      labels: Labels.default('*'),
    }),
  ),
  reveal: z.array(Grant.extend({ types: Types.default('*'), labels: Labels.default('*') })),
  /** Label -> who may be a member or owner of its channels (FE-3). */
  membership: z.record(LabelName, MembershipRules).default({}),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

export interface DocIssue {
  path: (string | number)[];
  problem: string;
}

const KNOWN_TYPES = new Set<string>(ENTITY_TYPES);

/** Relations between fields: every label, band, type and id referred to must exist, once. */
export function crossCheck(doc: PolicyDocument): DocIssue[] {
  const issues: DocIssue[] = [];
  const labels = new Set<string>();
  doc.labels.order.forEach((l, i) => {
    if (labels.has(l)) issues.push({ path: ['labels', 'order', i], problem: `label "${l}" is listed twice` });
    labels.add(l);
  });
  const checkLabels = (v: '*' | string[], path: (string | number)[]) => {
    if (v === '*') return;
    v.forEach((l, i) => {
      if (!labels.has(l))
        issues.push({
          path: [...path, i],
          problem: `unknown label "${l}" (labels.order has ${[...labels].join(', ')})`,
        });
    });
  };
  for (const kind of ChannelKind.options) {
    const l = doc.labels.defaults[kind];
    if (!labels.has(l)) issues.push({ path: ['labels', 'defaults', kind], problem: `unknown label "${l}"` });
  }

  const bandNames = Object.keys(doc.bands);
  if (bandNames.length === 0) issues.push({ path: ['bands'], problem: 'declare at least one band' });
  bandNames.forEach((name, i) => {
    const from = doc.bands[name]!;
    if (i === 0 && from !== 0)
      issues.push({
        path: ['bands', name],
        problem: 'the first band must start at 0 so every score has a band',
      });
    if (i > 0 && from <= doc.bands[bandNames[i - 1]!]!)
      issues.push({
        path: ['bands', name],
        problem: 'bands must be listed in ascending order of their lower bound',
      });
  });

  for (const [group, members] of Object.entries(doc.groups)) {
    if (KNOWN_TYPES.has(group))
      issues.push({ path: ['groups', group], problem: `group name "${group}" is an entity type name` });
    members.forEach((t, i) => {
      if (!KNOWN_TYPES.has(t)) issues.push({ path: ['groups', group, i], problem: unknownType(t) });
    });
  }
  const checkTypes = (v: '*' | string[], path: (string | number)[]) => {
    if (v === '*') return;
    v.forEach((t, i) => {
      if (!KNOWN_TYPES.has(t) && !(t in doc.groups))
        issues.push({
          path: [...path, i],
          problem: `${unknownType(t)} and not a group (groups: ${Object.keys(doc.groups).join(', ') || 'none'})`,
        });
    });
  };

  const ids = new Map<string, string>();
  const checkId = (id: string, path: (string | number)[]) => {
    const seen = ids.get(id);
    if (seen) issues.push({ path, problem: `rule id "${id}" is already used at ${seen}` });
    else ids.set(id, path.slice(0, 2).join('.'));
  };
  doc.labels.transitions.forEach((t, i) => {
    const at = ['labels', 'transitions', i];
    checkId(t.id, [...at, 'id']);
    checkLabels(t.from, [...at, 'from']);
    checkLabels(t.to, [...at, 'to']);
  });
  doc.rules.forEach((r, i) => {
    checkId(r.id, ['rules', i, 'id']);
    checkTypes(r.types, ['rules', i, 'types']);
    checkLabels(r.labels, ['rules', i, 'labels']);
    if (r.bands !== '*')
      r.bands.forEach((b, j) => {
        if (!(b in doc.bands))
          issues.push({
            path: ['rules', i, 'bands', j],
            problem: `unknown band "${b}" (bands: ${bandNames.join(', ')})`,
          });
      });
  });
  doc.overrides.forEach((o, i) => {
    checkId(o.id, ['overrides', i, 'id']);
    checkTypes(o.types, ['overrides', i, 'types']);
    checkLabels(o.labels, ['overrides', i, 'labels']);
    if (o.actions.includes('allow'))
      issues.push({ path: ['overrides', i, 'actions'], problem: '"allow" has nothing to override' });
    if (o.actions.includes('tokenise') && o.by.length)
      issues.push({
        path: ['overrides', i, 'by'],
        problem:
          'nobody may override "tokenise": raw personal data never rests outside the vault (an overridden block is tokenised too)',
      });
  });
  doc.reveal.forEach((r, i) => {
    checkId(r.id, ['reveal', i, 'id']);
    checkTypes(r.types, ['reveal', i, 'types']);
    checkLabels(r.labels, ['reveal', i, 'labels']);
  });
  for (const [label, rules] of Object.entries(doc.membership)) {
    if (!labels.has(label))
      issues.push({
        path: ['membership', label],
        problem: `unknown label "${label}" (labels.order has ${[...labels].join(', ')})`,
      });
    if (rules.countries !== '*' && new Set(rules.countries).size !== rules.countries.length)
      issues.push({ path: ['membership', label, 'countries'], problem: 'list each country once' });
  }
  return issues;
}

function unknownType(t: string): string {
  return `unknown entity type "${t}" (see docs/pii/entities.md for the names)`;
}
