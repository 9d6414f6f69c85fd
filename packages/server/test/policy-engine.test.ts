import { readFileSync } from 'node:fs';
import { createDetector, ENTITY_TYPES, type Finding } from '@enclave/pii';
import type { PolicyAction } from '@enclave/protocol';
import { describe, expect, it } from 'vitest';
import {
  type CompiledPolicy,
  DEFAULT_POLICY_PATH,
  decide,
  labelForNewChannel,
  mayChangeLabel,
  mayOverride,
  mayReveal,
  parsePolicy,
} from '../src/protection/policy/index.ts';

// The policy engine without a server: document validation (PO-1), labels and
// transitions (PO-2), decide() (PO-3, PO-4), overrides (PO-5), reveal (PO-6).
// Rule ids refer to docs/data-protection/policy.md.

const DEFAULT_YAML = readFileSync(DEFAULT_POLICY_PATH, 'utf8');

function load(text = DEFAULT_YAML): CompiledPolicy {
  const r = parsePolicy(text, 7);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.policy;
}
const policy = load();

const finding = (type: string, score: number, start = 0): Finding => ({
  type,
  start,
  end: start + 4,
  score,
  detector: 'test',
  explanation: 'test',
});

function issuesOf(text: string) {
  const r = parsePolicy(text);
  if (r.ok) throw new Error('expected the document to be invalid');
  return r.issues;
}

describe('PO-1 the policy document is validated with precise errors', () => {
  it('the shipped default policy is valid', () => {
    expect(parsePolicy(DEFAULT_YAML).ok).toBe(true);
  });

  it('PO-1.2 an unknown entity type is reported with its line, column and path', () => {
    const text = DEFAULT_YAML.replace('[US_SSN, US_DRIVER_LICENSE,', '[US_SSN, US_DRIVERS_LICENCE,');
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    const line = text.split('\n').findIndex((l) => l.includes('US_DRIVERS_LICENCE')) + 1;
    expect(issues[0]).toMatchObject({ path: 'groups.government_id[1]', line });
    expect(issues[0]!.problem).toContain('unknown entity type "US_DRIVERS_LICENCE"');
    expect(text.split('\n')[line - 1]!.slice(issues[0]!.column - 1)).toMatch(/^US_DRIVERS_LICENCE/);
  });

  it('PO-1.2 an unknown label, band, rule type or group is reported where it is written', () => {
    const text = DEFAULT_YAML.replace(
      '  - id: contact-tokenise\n    types: [contact]',
      '  - id: contact-tokenise\n    labels: [top-secret]\n    bands: [extreme]\n    types: [contacts]',
    );
    const issues = issuesOf(text);
    const lines = text.split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [at('[top-secret]'), expect.stringMatching(/^rules\[\d+\]\.labels\[0\]$/)],
      [at('[extreme]'), expect.stringMatching(/^rules\[\d+\]\.bands\[0\]$/)],
      [at('[contacts]'), expect.stringMatching(/^rules\[\d+\]\.types\[0\]$/)],
    ]);
    expect(issues[0]!.problem).toContain('unknown label "top-secret"');
    expect(issues[2]!.problem).toContain('not a group');
  });

  it('PO-1.1 unknown fields, wrong values and missing fields', () => {
    const issues = issuesOf('format: 1\nname: Tiny\nlabelz: {}\nfallback: shred\n');
    expect(issues).toContainEqual({ path: 'labelz', line: 3, column: 1, problem: 'unknown field "labelz"' });
    expect(issues).toContainEqual(expect.objectContaining({ path: 'fallback', line: 4, column: 11 }));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'labels', problem: 'missing required field "labels"' }),
    );
  });

  it('PO-1.1 YAML syntax errors and duplicate keys carry their position', () => {
    expect(issuesOf('format: 1\nname: [oops\n')[0]).toMatchObject({ line: 3 });
    const dup = issuesOf('format: 1\nformat: 1\n');
    expect(dup[0]).toMatchObject({ line: 2, column: 1 });
    expect(dup[0]!.problem).toMatch(/^YAML: .*unique/i);
  });

  it('PO-1.3 bands must start at 0 and ascend; rule ids must be unique; labels listed once', () => {
    const text = DEFAULT_YAML.replace(
      '{ low: 0, medium: 0.5, high: 0.75 }',
      '{ low: 0.1, medium: 0.8, high: 0.75 }',
    )
      .replace('id: device-tokenise', 'id: contact-tokenise')
      .replace('order: [public, internal,', 'order: [public, public, internal,');
    const problems = issuesOf(text).map((i) => `${i.path}: ${i.problem}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bands\.low: the first band must start at 0/),
        expect.stringMatching(/^bands\.high: bands must be listed in ascending order/),
        expect.stringMatching(/^rules\[\d+\]\.id: rule id "contact-tokenise" is already used/),
        'labels.order[1]: label "public" is listed twice',
      ]),
    );
  });

  it('PO-1.4 alias expansion bombs are refused, not expanded', () => {
    const bomb = ['format: 1', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
          .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
          .join(', ')}]`,
      );
    const issues = issuesOf(bomb.join('\n'));
    expect(issues[0]!.problem).toMatch(/^YAML: /);
  });
});

// PO-4: the default policy's decision table, written out independently of the YAML.
const GOVERNMENT_ID = new Set([
  'US_SSN',
  'US_DRIVER_LICENSE',
  'US_PASSPORT',
  'PASSPORT_MRZ',
  'UK_NINO',
  'UK_DRIVING_LICENCE',
  'UK_NHS',
  'AU_TFN',
  'AU_MEDICARE',
  'SA_NATIONAL_ID',
]);
function expected(label: string, type: string, band: string): PolicyAction {
  if (type === 'SECRET') return band === 'low' ? 'warn' : 'block';
  if (band === 'low') return GOVERNMENT_ID.has(type) && label !== 'restricted' ? 'warn' : 'allow';
  if (label === 'restricted') return 'tokenise';
  if (GOVERNMENT_ID.has(type))
    return band === 'high' ? 'block' : label === 'public' ? 'quarantine' : 'tokenise';
  if (type === 'CREDIT_CARD' && band === 'high') return 'block';
  if (type === 'PERSON') return label === 'public' ? 'warn' : 'allow';
  return 'tokenise';
}
const SCORES = { low: 0.3, medium: 0.6, high: 0.9 };

describe('PO-4 the default policy, label by label and type by type', () => {
  for (const label of ['public', 'internal', 'confidential', 'restricted'])
    describe(label, () => {
      for (const type of ENTITY_TYPES)
        it(type, () => {
          for (const [band, score] of Object.entries(SCORES)) {
            const d = decide(policy, label, [finding(type, score)]);
            const f = d.findings[0]!;
            expect({ band: f.band, action: f.action }, `${label} × ${type} × ${band}`).toEqual({
              band,
              action: expected(label, type, band),
            });
            expect(f.ruleId).not.toBe('fallback'); // every built-in type is covered by a named rule
            expect(f.explanation).toContain(`in a ${label} channel`);
            expect(d.action).toBe(f.action);
          }
        });
    });

  it('the mission: licences blocked outside restricted, contacts tokenised, secrets blocked everywhere', () => {
    const detector = createDetector();
    const text = "Appeal: California driver's license D1234567, reach me at jane.doe@example.org";
    const findings = detector.scan(text);
    const confidential = decide(policy, 'confidential', findings);
    expect(confidential.action).toBe('block');
    expect(confidential.explanation).toBe(
      "This message cannot be sent to a confidential channel: it contains a US driver's licence number.",
    );
    const licence = confidential.findings.find((f) => f.type === 'US_DRIVER_LICENSE')!;
    expect(licence.explanation).toBe(
      "This US driver's licence number will be blocked in a confidential channel: government IDs belong only in restricted channels.",
    );
    expect(confidential.findings.find((f) => f.type === 'EMAIL_ADDRESS')!.action).toBe('tokenise');
    expect(decide(policy, 'restricted', findings).action).toBe('tokenise');
    const key = detector.scan('deploy key ghp_16C7e42F292c6912E7710c838347Ae178B4a');
    expect(decide(policy, 'restricted', key).action).toBe('block');
    // Nothing of the values is in any explanation.
    expect(JSON.stringify(confidential.findings.map((f) => f.explanation))).not.toMatch(/D1234567|jane/);
  });
});

describe('PO-3 decide()', () => {
  it('PO-3.1 the message takes the most severe action: allow < warn < tokenise < quarantine < block', () => {
    const mixed = [finding('PERSON', 0.9), finding('EMAIL_ADDRESS', 0.9, 10), finding('US_SSN', 0.6, 20)];
    expect(decide(policy, 'internal', mixed.slice(0, 1)).action).toBe('allow');
    expect(decide(policy, 'internal', mixed.slice(0, 2)).action).toBe('tokenise');
    expect(decide(policy, 'public', mixed).action).toBe('quarantine');
    expect(decide(policy, 'public', [...mixed, finding('SECRET', 0.95, 30)]).action).toBe('block');
    expect(decide(policy, 'public', [finding('PERSON', 0.9)]).action).toBe('warn');
  });

  it('PO-3.2 band edges: a score equal to a lower bound is in that band', () => {
    const band = (score: number) =>
      decide(policy, 'internal', [finding('EMAIL_ADDRESS', score)]).findings[0]!.band;
    expect([band(0), band(0.4999), band(0.5), band(0.7499), band(0.75), band(1)]).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });

  it('PO-3.3 no findings: allow; the decision records the policy version', () => {
    expect(decide(policy, 'internal', [])).toEqual({
      action: 'allow',
      findings: [],
      policyVersion: 7,
      explanation: 'No personal data was found.',
      requiresConfirmation: false,
    });
  });

  it('PO-3.4 warn asks for confirmation unless the message is stopped anyway', () => {
    expect(decide(policy, 'public', [finding('PERSON', 0.9)]).requiresConfirmation).toBe(true);
    const tokenised = decide(policy, 'public', [finding('PERSON', 0.9), finding('EMAIL_ADDRESS', 0.9)]);
    expect([tokenised.action, tokenised.requiresConfirmation]).toEqual(['tokenise', true]);
    const blocked = decide(policy, 'public', [finding('PERSON', 0.9), finding('SECRET', 0.9)]);
    expect([blocked.action, blocked.requiresConfirmation]).toEqual(['block', false]);
  });

  it('PO-3.5 custom finding types get the fallback; PO-2.4 an unknown label fails closed', () => {
    const custom = decide(policy, 'internal', [finding('EMPLOYEE_BADGE', 0.8)]);
    expect(custom.findings[0]).toMatchObject({ action: 'tokenise', ruleId: 'fallback' });
    const lost = decide(policy, 'top-secret', [finding('PERSON', 0.9)]);
    expect(lost.findings[0]).toMatchObject({ action: 'block', ruleId: 'unknown-label' });
  });

  it('PO-3.6 is fast: well under 10 µs for a message with three findings', () => {
    const three = [
      finding('EMAIL_ADDRESS', 0.9),
      finding('PHONE_NUMBER', 0.7, 10),
      finding('PERSON', 0.8, 20),
    ];
    for (let i = 0; i < 2000; i++) decide(policy, 'confidential', three);
    const n = 50_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) decide(policy, 'confidential', three);
    const perCallUs = Number(process.hrtime.bigint() - t0) / 1000 / n;
    // About 0.5-1 µs on the loaded 2-core dev machine; the bound leaves room for a busy CI.
    expect(perCallUs).toBeLessThan(10);
    console.log(`decide(): ${perCallUs.toFixed(2)} µs per 3-finding message`);
  });
});

describe('PO-2 labels and transitions', () => {
  it('PO-2.1 defaults per kind: public channels internal, the rest confidential', () => {
    expect(policy.defaults).toEqual({
      public: 'internal',
      private: 'confidential',
      dm: 'confidential',
      group_dm: 'confidential',
    });
  });

  it('PO-2.3 raising is for channel and workspace admins; lowering from confidential or restricted needs a workspace admin', () => {
    const owner = ['workspace:member', 'channel:owner'] as const;
    const member = ['workspace:member', 'channel:member'] as const;
    const wsAdmin = ['workspace:admin'] as const;
    expect(mayChangeLabel(policy, 'internal', 'restricted', owner)).toEqual({
      allowed: true,
      ruleId: 'raise',
    });
    expect(mayChangeLabel(policy, 'internal', 'restricted', member).allowed).toBe(false);
    expect(mayChangeLabel(policy, 'restricted', 'confidential', owner)).toEqual({
      allowed: false,
      ruleId: 'lower-protected',
    });
    expect(mayChangeLabel(policy, 'restricted', 'public', wsAdmin).allowed).toBe(true);
    expect(mayChangeLabel(policy, 'internal', 'public', owner)).toEqual({
      allowed: true,
      ruleId: 'lower-internal',
    });
  });

  it('PO-2.2 a new channel below its default label is a downgrade its creator must be allowed', () => {
    expect(labelForNewChannel(policy, 'public', undefined, 'member')).toBe('internal');
    expect(labelForNewChannel(policy, 'public', 'public', 'member')).toBe('public');
    expect(labelForNewChannel(policy, 'private', 'restricted', 'member')).toBe('restricted');
    expect(() => labelForNewChannel(policy, 'private', 'internal', 'member')).toThrow(/below its default/);
    expect(labelForNewChannel(policy, 'private', 'internal', 'admin')).toBe('internal');
    expect(() => labelForNewChannel(policy, 'private', 'nope', 'owner')).toThrow(/Unknown label/);
  });
});

describe('PO-5 overrides and PO-6 reveal', () => {
  const member = ['workspace:member', 'channel:member'] as const;
  const guest = ['workspace:guest', 'channel:member'] as const;
  const owner = ['workspace:owner', 'channel:owner'] as const;

  it('PO-5.1 members confirm warnings, guests cannot; nobody overrides a block', () => {
    expect(mayOverride(policy, { action: 'warn', type: 'PERSON', label: 'public' }, member).allowed).toBe(
      true,
    );
    expect(mayOverride(policy, { action: 'warn', type: 'PERSON', label: 'public' }, guest).allowed).toBe(
      false,
    );
    expect(mayOverride(policy, { action: 'block', type: 'SECRET', label: 'internal' }, owner)).toEqual({
      allowed: false,
      ruleId: 'no-block-override',
    });
    expect(
      mayOverride(policy, { action: 'quarantine', type: 'US_SSN', label: 'public' }, owner).allowed,
    ).toBe(true);
    expect(
      mayOverride(policy, { action: 'tokenise', type: 'EMAIL_ADDRESS', label: 'restricted' }, owner).allowed,
    ).toBe(false);
    expect(mayOverride(policy, { action: 'tokenise', type: 'IP_ADDRESS', label: 'internal' }, owner)).toEqual(
      {
        allowed: false,
        ruleId: 'no-raw-values',
      },
    );
  });

  it('PO-6.1 secrets are never revealed; IDs only by channel leads; other types by members, not guests', () => {
    expect(mayReveal(policy, { type: 'SECRET', label: 'restricted' }, owner).allowed).toBe(false);
    expect(mayReveal(policy, { type: 'US_PASSPORT', label: 'restricted' }, member).allowed).toBe(false);
    expect(mayReveal(policy, { type: 'US_PASSPORT', label: 'restricted' }, owner).allowed).toBe(true);
    expect(mayReveal(policy, { type: 'EMAIL_ADDRESS', label: 'confidential' }, member)).toEqual({
      allowed: true,
      ruleId: 'members',
    });
    expect(mayReveal(policy, { type: 'EMAIL_ADDRESS', label: 'confidential' }, guest).allowed).toBe(false);
  });
});
