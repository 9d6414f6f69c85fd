import { readFileSync } from 'node:fs';
import { parseTokens } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// Overriding a block (PO-5, PL-5): only where the active policy grants it, only
// with the confirmation token and a justification, and the value is vaulted:
// an override never stores a raw value. Made-up values.

const SSN = '412-55-9031';
const TEXT = `Per the appeal the SSN is ${SSN}, please verify`;
const DEFAULT_YAML = readFileSync(new URL('../policies/default.yaml', import.meta.url), 'utf8');
// Channel owners may override a block of government IDs; everyone else may not.
const LEADS_OVERRIDE = DEFAULT_YAML.replace(
  'overrides:\n',
  'overrides:\n  - id: gov-id-leads-override\n    actions: [block]\n    types: [government_id]\n    by: [channel:owner]\n',
);

let t: TestServer;
let owner: ApiClient;
let member: ApiClient;
let channelId: string;

beforeAll(async () => {
  t = await startTestServer();
  let workspaceId: string;
  ({ owner, workspaceId, generalId: channelId } = await t.setupOwner());
  member = await t.user(workspaceId, { name: 'Mel Member' });
  expect((await member.post(`/api/v1/channels/${channelId}/join`)).status).toBe(200);
  const p = await owner.post('/api/v1/policies', { yaml: LEADS_OVERRIDE });
  expect(p.status).toBe(201);
  expect((await owner.post(`/api/v1/policies/${p.body.policy.version}/activate`)).status).toBe(200);
});
afterAll(() => t?.stop());

describe('overriding a block', () => {
  it('someone the policy does not grant gets a plain block, with no way past it', async () => {
    const res = await member.post(`/api/v1/channels/${channelId}/messages`, {
      clientMsgId: 'o-1',
      text: TEXT,
    });
    expect([res.status, res.body.error.code]).toEqual([422, 'POLICY_BLOCKED']);
    expect(res.body.error.details.overridable).toBeUndefined();
    expect(res.body.error.details.confirmationToken).toBeUndefined();
  });

  it('a granted owner is offered the override; with token and justification it is sent tokenised, audited as an override', async () => {
    const first = await owner.post(`/api/v1/channels/${channelId}/messages`, {
      clientMsgId: 'o-2',
      text: TEXT,
    });
    expect([first.status, first.body.error.code, first.body.error.details.overridable]).toEqual([
      422,
      'POLICY_BLOCKED',
      true,
    ]);
    const token = first.body.error.details.confirmationToken as string;
    const noReason = await owner.post(`/api/v1/channels/${channelId}/messages`, {
      clientMsgId: 'o-2',
      text: TEXT,
      confirmation: { token, justification: 'short' },
    });
    expect(noReason.status).toBe(400);
    const other = await owner.post(`/api/v1/channels/${channelId}/messages`, {
      clientMsgId: 'o-3',
      text: `${TEXT}!`,
      confirmation: { token, justification: 'Identity check for appeal A-2231' },
    });
    expect([other.status, other.body.error.code]).toEqual([422, 'POLICY_BLOCKED']);

    const sent = await owner.post(`/api/v1/channels/${channelId}/messages`, {
      clientMsgId: 'o-2',
      text: TEXT,
      confirmation: { token, justification: 'Identity check for appeal A-2231' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message.text).not.toContain(SSN);
    expect(parseTokens(sent.body.message.text).map((x) => x.type)).toEqual(['US_SSN']);
    expect(sent.body.protection.action).toBe('tokenise');
    const audit = await t.query(
      'us',
      "SELECT details FROM audit_events WHERE action = 'policy.decided' ORDER BY seq DESC LIMIT 1",
    );
    expect(audit.rows[0].details).toMatchObject({ overridden: 'block', types: ['US_SSN'] });
    expect(audit.rows[0].details.confirmedWithJustificationOf).toBeGreaterThanOrEqual(10);
    const raw = await t.query('us', 'SELECT count(*)::int AS n FROM messages WHERE text LIKE $1', [
      `%${SSN}%`,
    ]);
    expect(raw.rows[0].n).toBe(0);
  });

  it('a policy that lets anyone override tokenising is refused: raw values never rest outside the vault', async () => {
    const bad = DEFAULT_YAML.replace(
      'overrides:\n',
      'overrides:\n  - id: raw-emails\n    actions: [tokenise]\n    types: [EMAIL_ADDRESS]\n    by: [channel:owner]\n',
    );
    const res = await owner.post('/api/v1/policies', { yaml: bad });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('nobody may override \\"tokenise\\"');
  });
});
