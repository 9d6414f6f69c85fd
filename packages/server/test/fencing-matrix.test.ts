import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// Each membership rule x each way in (docs/data-protection/fencing.md, FE-3/FE-4).
// For every rule a policy is activated whose `restricted` label has only that
// rule (and DMs default to restricted), then a person who misses only that
// rule tries every way in; each is refused with MEMBER_NOT_ELIGIBLE naming
// the rule, and audited as denied. A person who meets it gets in, so the rule
// refuses exactly who it should.

const DEFAULT_YAML = readFileSync(new URL('../policies/default.yaml', import.meta.url), 'utf8');

function policyWith(rule: string): string {
  const base = DEFAULT_YAML.slice(0, DEFAULT_YAML.indexOf('\n# Who may be in a channel')).replace(
    'dm: confidential, group_dm: confidential',
    'dm: restricted, group_dm: restricted',
  );
  return `${base}\nmembership:\n  restricted:\n    ${rule}\n`;
}

type Person = { country?: string | null; orgUnit?: string | null; clearance?: number; guest?: boolean };
type Way = 'join' | 'add' | 'dm' | 'create' | 'upgrade' | 'transfer';

interface Row {
  rule: string;
  yaml: string;
  /** Someone who misses exactly this rule. */
  misses: Person;
  ways: Way[];
}

const MEMBER_WAYS: Way[] = ['join', 'add', 'dm', 'create', 'upgrade'];
const OWNER_WAYS: Way[] = ['transfer', 'create', 'upgrade'];

const MATRIX: Row[] = [
  { rule: 'country', yaml: 'countries: [US]', misses: { country: 'CA' }, ways: MEMBER_WAYS },
  { rule: 'in_region', yaml: 'crossRegion: false', misses: { country: 'CA' }, ways: MEMBER_WAYS },
  { rule: 'org_unit', yaml: 'orgUnits: [Safety]', misses: { orgUnit: null }, ways: MEMBER_WAYS },
  { rule: 'clearance', yaml: 'minClearance: 2', misses: { clearance: 1 }, ways: MEMBER_WAYS },
  // Guests cannot join public channels or create channels at all, whatever the label.
  { rule: 'guest', yaml: 'guests: false', misses: { guest: true }, ways: ['add', 'dm', 'upgrade'] },
  {
    rule: 'owner_in_region',
    yaml: 'owners: { inRegion: true }',
    misses: { country: 'CA' },
    ways: OWNER_WAYS,
  },
  {
    rule: 'owner_clearance',
    yaml: 'owners: { minClearance: 2 }',
    misses: { clearance: 1 },
    ways: OWNER_WAYS,
  },
];

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;
let version = 1;
let n = 0;

/** The test owner meets every rule of the matrix. */
const QUALIFIED = { country: 'US', orgUnit: 'Safety', clearance: 3 };

async function person(p: Person): Promise<ApiClient> {
  const c = await t.user(workspaceId, { role: p.guest ? 'guest' : 'member', country: 'US' });
  const attrs = { ...QUALIFIED, ...p };
  delete (attrs as { guest?: boolean }).guest;
  expect((await owner.patch(`/api/v1/people/${c.userId}/attributes`, attrs)).status).toBe(200);
  return c;
}

async function channel(label: string, kind: 'public' | 'private' = 'private'): Promise<string> {
  const res = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
    name: `m-${n++}`,
    kind,
    label,
  });
  expect(res.status).toBe(201);
  return res.body.channel.id;
}

async function attempt(way: Way, who: ApiClient) {
  switch (way) {
    case 'join':
      return who.post(`/api/v1/channels/${await channel('restricted', 'public')}/join`);
    case 'add':
      return owner.post(`/api/v1/channels/${await channel('restricted')}/members`, { userIds: [who.userId] });
    case 'dm':
      return who.post(`/api/v1/workspaces/${workspaceId}/dms`, { userIds: [owner.userId] });
    case 'create':
      return who.post(`/api/v1/workspaces/${workspaceId}/channels`, {
        name: `c-${n++}`,
        kind: 'private',
        label: 'restricted',
      });
    case 'upgrade': {
      const id = await channel('confidential');
      expect((await owner.post(`/api/v1/channels/${id}/members`, { userIds: [who.userId] })).status).toBe(
        200,
      );
      await owner.patch(`/api/v1/channels/${id}/members/${who.userId}`, { role: 'owner' });
      return owner.put(`/api/v1/channels/${id}/label`, { label: 'restricted' });
    }
    case 'transfer': {
      const id = await channel('restricted');
      expect((await owner.post(`/api/v1/channels/${id}/members`, { userIds: [who.userId] })).status).toBe(
        200,
      );
      return owner.patch(`/api/v1/channels/${id}/members/${who.userId}`, { role: 'owner' });
    }
  }
}

async function deniedCount(): Promise<number> {
  const r = await t.query('us', "SELECT count(*)::int AS n FROM audit_events WHERE outcome = 'denied'");
  return r.rows[0].n;
}

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  expect((await owner.patch(`/api/v1/people/${owner.userId}/attributes`, QUALIFIED)).status).toBe(200);
});
afterAll(() => t?.stop());

describe.each(MATRIX)('rule $rule', (row) => {
  beforeAll(async () => {
    const created = await owner.post('/api/v1/policies', { yaml: policyWith(row.yaml) });
    expect(created.status).toBe(201);
    version = created.body.policy.version;
    expect((await owner.post(`/api/v1/policies/${version}/activate`)).status).toBe(200);
  });

  it.each(row.ways)('refuses by %s, naming the rule, audited', async (way) => {
    const who = await person(row.misses);
    const before = await deniedCount();
    const res = await attempt(way, who);
    expect([res.status, res.body.error?.code]).toEqual([403, 'MEMBER_NOT_ELIGIBLE']);
    const refused = res.body.error.details.people.find((p: { userId: string }) => p.userId === who.userId);
    expect(refused.unmet.map((u: { rule: string }) => u.rule)).toEqual([row.rule]);
    expect(await deniedCount()).toBe(before + 1);
  });

  it('admits someone who meets it', async () => {
    const who = await person({});
    const way = row.ways.includes('add') ? 'add' : 'transfer';
    expect((await attempt(way, who)).status).toBe(200);
  });
});

describe('onUpgrade: remove', () => {
  beforeAll(async () => {
    const rules = 'crossRegion: false\n    owners: { minClearance: 2 }\n    onUpgrade: remove';
    const created = await owner.post('/api/v1/policies', { yaml: policyWith(rules) });
    expect((await owner.post(`/api/v1/policies/${created.body.policy.version}/activate`)).status).toBe(200);
  });

  it('a label change removes members who miss a rule and demotes owners who miss only an owner rule, audited', async () => {
    const id = await channel('confidential');
    const stays = await person({});
    const outside = await person({ country: 'CA' });
    const junior = await person({ clearance: 1 });
    const add = await owner.post(`/api/v1/channels/${id}/members`, {
      userIds: [stays.userId, outside.userId, junior.userId],
    });
    expect(add.status).toBe(200);
    expect(
      (await owner.patch(`/api/v1/channels/${id}/members/${junior.userId}`, { role: 'owner' })).status,
    ).toBe(200);
    const ws = await outside.connect();
    const res = await owner.put(`/api/v1/channels/${id}/label`, { label: 'restricted' });
    expect([res.status, res.body.channel.label, res.body.channel.memberCount]).toEqual([
      200,
      'restricted',
      3,
    ]);
    const removed = await ws.next((f) => f.type === 'user_event' && f.event.type === 'channel.removed');
    expect(removed.event.channelId).toBe(id);
    ws.close();
    const members = await owner.get(`/api/v1/channels/${id}/members`);
    const roles = Object.fromEntries(
      members.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role]),
    );
    expect(roles).toEqual({
      [owner.userId!]: 'owner',
      [stays.userId!]: 'member',
      [junior.userId!]: 'member',
    });
    const audit = await t.query(
      'us',
      "SELECT action, target_id, details FROM audit_events WHERE channel_id = $1 AND details->>'reason' = 'label_rules' ORDER BY seq",
      [id],
    );
    expect(audit.rows.map((r) => [r.action, r.target_id, r.details.rules])).toEqual(
      expect.arrayContaining([
        ['channel.member_removed', outside.userId, ['in_region']],
        ['channel.member_role_changed', junior.userId, ['owner_clearance']],
      ]),
    );
  });
});
