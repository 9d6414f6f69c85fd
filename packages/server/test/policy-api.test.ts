import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { DEFAULT_POLICY_PATH } from '../src/protection/policy/index.ts';

// The policy API (docs/data-protection/policy.md PO-7…PO-9) through real HTTP
// and PostgreSQL: versions with history, activation, dry runs, and denials.

const DEFAULT_YAML = readFileSync(DEFAULT_POLICY_PATH, 'utf8');
// A laxer candidate: contacts allowed in internal channels.
const LAX_YAML = DEFAULT_YAML.replace('name: Enclave default', 'name: Lax contacts').replace(
  '  - id: contact-tokenise\n',
  '  - id: contact-internal-allow\n    types: [contact]\n    labels: [internal]\n    action: allow\n  - id: contact-tokenise\n',
);

let t: TestServer;
let admin: ApiClient; // the setup owner is the instance admin
let wsOwner: ApiClient; // owns a workspace but is not an instance admin
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner: admin, workspaceId, generalId } = await t.setupOwner());
  wsOwner = await t.user(workspaceId, { name: 'Wendy', role: 'owner' });
});
afterAll(() => t?.stop());

describe('PO-7 versions with history', () => {
  it('PO-7.1 a fresh install has the default policy as version 1, active', async () => {
    const list = await admin.get('/api/v1/policies');
    expect(list.status).toBe(200);
    expect(list.body.policies).toEqual([
      expect.objectContaining({ version: 1, name: 'Enclave default', author: null, active: true }),
    ]);
    const active = await admin.get('/api/v1/policies/active');
    expect(active.body.policy).toMatchObject({ version: 1, yaml: DEFAULT_YAML });
    expect(active.body.policy.labels).toEqual(['public', 'internal', 'confidential', 'restricted']);
    const audit = await t.query(
      'directory',
      "SELECT actor_id, details FROM audit_events WHERE action = 'policy.activated'",
    );
    expect(audit.rows).toEqual([{ actor_id: null, details: { version: 1, previous: null, builtIn: true } }]);
  });

  it('PO-1 an invalid document is 400 POLICY_INVALID with every issue located; nothing is stored', async () => {
    const bad = DEFAULT_YAML.replace('[US_SSN,', '[US_SSN, US_SIN,');
    const res = await admin.post('/api/v1/policies', { yaml: bad });
    expect([res.status, res.body.error.code]).toEqual([400, 'POLICY_INVALID']);
    const line = bad.split('\n').findIndex((l) => l.includes('US_SIN')) + 1;
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({ path: 'groups.government_id[1]', line, column: expect.any(Number) }),
    ]);
    expect(res.body.error.issues[0].problem).toContain(`line ${line}`);
    expect((await admin.get('/api/v1/policies')).body.policies).toHaveLength(1);
  });

  it('PO-7.2 a new version is stored inactive; activation switches exactly one, audited, and takes effect', async () => {
    const changedDefaults = LAX_YAML.replace('defaults: { public: internal,', 'defaults: { public: public,');
    const created = await admin.post('/api/v1/policies', { yaml: changedDefaults });
    expect(created.status).toBe(201);
    expect(created.body.policy).toMatchObject({
      version: 2,
      active: false,
      author: admin.userId,
      activatedAt: null,
    });
    expect((await admin.get('/api/v1/policies/active')).body.policy.version).toBe(1);

    const activated = await admin.post('/api/v1/policies/2/activate');
    expect([activated.status, activated.body.policy.active]).toEqual([200, true]);
    const list = (await admin.get('/api/v1/policies')).body.policies;
    expect(list.map((p: { version: number; active: boolean }) => [p.version, p.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    const rows = await t.query('directory', 'SELECT count(*)::int AS n FROM policy_versions WHERE active');
    expect(rows.rows[0].n).toBe(1);
    const audit = await t.query(
      'directory',
      "SELECT action, actor_id, details FROM audit_events WHERE action LIKE 'policy.%' ORDER BY id",
    );
    expect(audit.rows.map((r) => [r.action, r.details.version, r.details.previous ?? null])).toEqual([
      ['policy.activated', 1, null],
      ['policy.created', 2, null],
      ['policy.activated', 2, 1],
    ]);
    // The cached active policy was refreshed: new public channels follow the new defaults.
    const ch = await admin.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'after-v2' });
    expect(ch.body.channel.label).toBe('public');
    // Activating the active version again is a no-op.
    expect((await admin.post('/api/v1/policies/2/activate')).status).toBe(200);
    expect((await admin.post('/api/v1/policies/1/activate')).body.policy.version).toBe(1);
    expect((await admin.get(`/api/v1/policies/2`)).body.policy.yaml).toBe(changedDefaults);
  });

  it('PO-7.4 a version that lacks a label some channel carries cannot be activated', async () => {
    const noPublic = DEFAULT_YAML.replace('order: [public, internal,', 'order: [internal,')
      .replace(
        '- id: person-public\n    types: [PERSON]\n    labels: [public]',
        '- id: person-public\n    types: [PERSON]\n    labels: [internal]',
      )
      .replace(
        'labels: [public, internal, confidential]\n    bands: [low]',
        'labels: [internal, confidential]\n    bands: [low]',
      )
      .replace(
        '- id: gov-id-public-review\n    types: [government_id]\n    labels: [public]',
        '- id: gov-id-public-review\n    types: [government_id]\n    labels: [internal]',
      )
      .replace(
        'labels: [public, internal]\n    by: [channel:owner, channel:admin]',
        'labels: [internal]\n    by: [channel:owner, channel:admin]',
      );
    const created = await admin.post('/api/v1/policies', { yaml: noPublic });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await admin.post(`/api/v1/policies/${created.body.policy.version}/activate`);
    expect([res.status, res.body.error.code]).toEqual([400, 'POLICY_INVALID']);
    expect(res.body.error.details.issues[0].problem).toContain('label "public" is carried by');
    expect((await admin.get('/api/v1/policies/active')).body.policy.version).toBe(1);
  });
});

describe('PO-8 dry run', () => {
  beforeAll(async () => {
    const texts = [
      'lunch at noon?',
      'reach the reporter at reporter.one@example.org',
      'second contact: reporter.two@example.org',
      'user claims SSN 536-22-8714 was used', // a made-up number
    ];
    // Sent through the pipeline: the SSN is refused (never stored), the emails are stored as vault tokens.
    const statuses = [];
    for (const [i, text] of texts.entries())
      statuses.push(
        (await admin.post(`/api/v1/channels/${generalId}/messages`, { clientMsgId: `dry-${i}`, text }))
          .status,
      );
    expect(statuses).toEqual([201, 201, 201, 422]);
  });

  it('reports counts per action, label and channel against the active policy, and never the text', async () => {
    const res = await admin.post('/api/v1/policies/dry-run', { yaml: LAX_YAML, workspaceId });
    expect(res.status).toBe(200);
    expect(res.body.candidate).toEqual({ version: null, name: 'Lax contacts' });
    expect(res.body.active.version).toBe(1);
    const general = res.body.byChannel.find((c: { channelId: string }) => c.channelId === generalId);
    expect(general).toMatchObject({
      label: 'internal',
      region: 'us',
      scanned: 3,
      // Vault tokens count as findings of their type, so the candidate's laxer rule shows.
      active: { allow: 1, warn: 0, tokenise: 2, quarantine: 0, block: 0 },
      candidate: { allow: 3, warn: 0, tokenise: 0, quarantine: 0, block: 0 },
    });
    expect(res.body.changed).toBe(2);
    expect(res.body.byLabel).toContainEqual(expect.objectContaining({ label: 'internal', scanned: 3 }));
    const body = JSON.stringify(res.body);
    for (const leak of ['reporter', 'example.org', '536-22', 'lunch']) expect(body).not.toContain(leak);
  });

  it('takes a stored version too, and checks its input', async () => {
    const res = await admin.post('/api/v1/policies/dry-run', { version: 1, limit: 2 });
    expect(res.status).toBe(200);
    expect(res.body.totals.scanned).toBe(2);
    expect(res.body.changed).toBe(0);
    const both = await admin.post('/api/v1/policies/dry-run', { version: 1, yaml: LAX_YAML });
    expect([both.status, both.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const invalid = await admin.post('/api/v1/policies/dry-run', { yaml: 'format: 2' });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'POLICY_INVALID']);
    expect((await admin.post('/api/v1/policies/dry-run', { version: 99 })).status).toBe(404);
  });
});

describe('PO-9 only instance admins', () => {
  it('everyone else is refused by every policy route, and nothing changes', async () => {
    const token = (await admin.post('/api/v1/tokens', { name: 'reader', scopes: ['read', 'write'] })).body
      .token;
    const adminWithoutScope = admin.withToken(token);
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/v1/policies'],
      ['GET', '/api/v1/policies/active'],
      ['GET', '/api/v1/policies/1'],
      ['POST', '/api/v1/policies', { yaml: DEFAULT_YAML }],
      ['POST', '/api/v1/policies/1/activate'],
      ['POST', '/api/v1/policies/dry-run', { version: 1 }],
    ];
    const before = (await t.query('directory', 'SELECT count(*)::int AS n FROM policy_versions')).rows[0].n;
    for (const [method, url, body] of calls) {
      const anon = await t.anon().request(method, url, body);
      expect([url, anon.status]).toEqual([url, 401]);
      const ws = await wsOwner.request(method, url, body);
      expect([url, ws.status, ws.body.error.code]).toEqual([url, 403, 'FORBIDDEN']);
      const scoped = await adminWithoutScope.request(method, url, body);
      expect([url, scoped.status, scoped.body.error.code]).toEqual([url, 403, 'TOKEN_SCOPE_MISSING']);
    }
    expect((await t.query('directory', 'SELECT count(*)::int AS n FROM policy_versions')).rows[0].n).toBe(
      before,
    );
  });

  it('bad version ids, unknown versions and unknown fields', async () => {
    const bad = await admin.post('/api/v1/policies/abc/activate');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_ID']);
    const missing = await admin.post('/api/v1/policies/404/activate');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const extra = await admin.post('/api/v1/policies', { yaml: DEFAULT_YAML, activate: true });
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const empty = await admin.post('/api/v1/policies', {});
    expect([empty.status, empty.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
