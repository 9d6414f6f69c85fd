import { parseTokens } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { ROUTES } from '../src/http/routes/index.ts';

// The one write pipeline (docs/data-protection/pipeline.md): every route that
// creates or changes content scans it, lets the policy decide, vaults what is
// tokenised, and audits the decision. Made-up values throughout.

const SSN = '536-22-8714';
const EMAIL = 'reporter.marsh@example.org';
const SSN_TEXT = `the user says their SSN ${SSN} was stolen`;

/** Every write route is either a content route (screened here) or listed as carrying no free text. */
const CONTENT_ROUTES = [
  'POST /api/v1/channels/:channelId/messages',
  'PATCH /api/v1/channels/:channelId/messages/:messageId',
  'POST /api/v1/workspaces/:workspaceId/channels',
  'PATCH /api/v1/channels/:channelId',
];
const NO_FREE_TEXT: Record<string, string> = {
  'POST /api/v1/setup': 'account and workspace names of staff, not end-user content',
  'POST /api/v1/auth/login': 'credentials',
  'POST /api/v1/auth/logout': 'no body',
  'POST /api/v1/workspaces': 'workspace name (staff-chosen; fenced by issue 5)',
  'POST /api/v1/tokens': 'token name and scopes',
  'POST /api/v1/workspaces/:workspaceId/bots': 'bot display name',
  'POST /api/v1/workspaces/:workspaceId/invitations': 'role and limits',
  'POST /api/v1/invitations/accept': 'account fields of staff',
  'PATCH /api/v1/me': 'display name of staff',
  'POST /api/v1/me/password': 'credentials',
  'POST /api/v1/users/:userId/deactivate': 'no body',
  'POST /api/v1/users/:userId/reactivate': 'no body',
  'PATCH /api/v1/workspaces/:workspaceId/members/:userId': 'role',
  'POST /api/v1/workspaces/:workspaceId/leave': 'no body',
  'POST /api/v1/workspaces/:workspaceId/dms': 'user ids',
  'POST /api/v1/channels/:channelId/archive': 'no body',
  'POST /api/v1/channels/:channelId/unarchive': 'no body',
  'POST /api/v1/channels/:channelId/join': 'no body',
  'POST /api/v1/channels/:channelId/leave': 'no body',
  'POST /api/v1/channels/:channelId/members': 'user ids',
  'POST /api/v1/channels/:channelId/messages/:messageId/reactions': 'an emoji',
  'PUT /api/v1/channels/:channelId/messages/:messageId/pin': 'no body',
  'PUT /api/v1/channels/:channelId/messages/:messageId/follow': 'a flag',
  'POST /api/v1/channels/:channelId/messages/:messageId/read': 'a seq',
  'POST /api/v1/channels/:channelId/read': 'a seq',
  'PATCH /api/v1/people/:userId/attributes': 'country code, organisation unit, clearance level',
  'PUT /api/v1/people/:userId/duties': 'duty names',
  'PATCH /api/v1/channels/:channelId/members/:userId': 'a role',
  'POST /api/v1/review/quarantine/:quarantineId/reject':
    'a reviewer reason, refused if it holds personal data',
};

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;
let internalId: string;
let restrictedId: string;
let publicLabelId: string;

async function rowsContaining(value: string): Promise<string[]> {
  const hits: string[] = [];
  for (const store of ['directory', 'us', 'eu']) {
    const tables = await t.query(store, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    for (const { tablename } of tables.rows) {
      const r = await t.query(
        store,
        `SELECT count(*)::int AS n FROM "${tablename}" x WHERE x::text LIKE $1`,
        [`%${value}%`],
      );
      if (r.rows[0].n) hits.push(`${store}.${tablename}`);
    }
  }
  return hits;
}

beforeAll(async () => {
  t = await startTestServer({}, { captureLogs: true });
  ({ owner, workspaceId, generalId: internalId } = await t.setupOwner());
  // The restricted channel lives in eu, and only people located there may be in it (FE-3).
  expect((await owner.patch(`/api/v1/people/${owner.userId}/attributes`, { country: 'DE' })).status).toBe(
    200,
  );
  const r = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
    name: 'le-requests',
    kind: 'private',
    label: 'restricted',
    region: 'eu',
  });
  expect(r.status).toBe(201);
  restrictedId = r.body.channel.id;
  const p = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
    name: 'announcements',
    kind: 'public',
  });
  publicLabelId = p.body.channel.id;
  expect((await owner.put(`/api/v1/channels/${publicLabelId}/label`, { label: 'public' })).status).toBe(200);
});
afterAll(() => t?.stop());

describe('the pipeline covers every content route', () => {
  it('classifies every write route as content (screened) or as carrying no free text', () => {
    const writes = ROUTES.filter((r) => r.method !== 'GET' && r.method !== 'DELETE' && r.body).map(
      (r) => `${r.method} ${r.url}`,
    );
    const unclassified = writes.filter(
      (w) =>
        !CONTENT_ROUTES.includes(w) &&
        !(w in NO_FREE_TEXT) &&
        !w.includes('/policies') &&
        !w.includes('/audit') &&
        !w.includes('/vault') &&
        !w.includes('/reveal') &&
        !w.includes('/label'),
    );
    expect(unclassified).toEqual([]);
  });

  it('a government ID is blocked outside restricted channels on every content route, with findings and nothing stored', async () => {
    const before = await t.query(
      'us',
      'SELECT (SELECT count(*) FROM messages)::int AS m, (SELECT count(*) FROM channel_events)::int AS e',
    );
    const ok = await owner.post(`/api/v1/channels/${internalId}/messages`, {
      clientMsgId: 'p-ok',
      text: 'clean text',
    });
    const attempts = [
      await owner.post(`/api/v1/channels/${internalId}/messages`, { clientMsgId: 'p-1', text: SSN_TEXT }),
      await owner.patch(`/api/v1/channels/${internalId}/messages/${ok.body.message.id}`, { text: SSN_TEXT }),
      await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'case-x', topic: SSN_TEXT }),
      await owner.patch(`/api/v1/channels/${internalId}`, { purpose: SSN_TEXT }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('POLICY_BLOCKED');
      const f = res.body.error.details.findings.find((x: { type: string }) => x.type === 'US_SSN');
      expect(f).toMatchObject({ action: 'block', explanation: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toContain(SSN);
    }
    const after = await t.query(
      'us',
      'SELECT (SELECT count(*) FROM messages)::int AS m, (SELECT count(*) FROM channel_events)::int AS e',
    );
    expect(after.rows[0].m).toBe(before.rows[0].m + 1);
    const denied = await t.query(
      'us',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'policy.blocked' AND outcome = 'denied'",
    );
    expect(denied.rows[0].n).toBeGreaterThanOrEqual(4);
  });

  it('a bot posting through its token goes through the same pipeline', async () => {
    const bot = await owner.post(`/api/v1/workspaces/${workspaceId}/bots`, {
      displayName: 'Intake',
      scopes: ['read', 'write'],
    });
    await owner.post(`/api/v1/channels/${internalId}/members`, { userIds: [bot.body.user.id] });
    const res = await owner
      .withToken(bot.body.token)
      .post(`/api/v1/channels/${internalId}/messages`, { clientMsgId: 'b-1', text: SSN_TEXT });
    expect([res.status, res.body.error.code]).toEqual([422, 'POLICY_BLOCKED']);
  });
});

describe('tokenise, warn and restricted channels', () => {
  it('an email is tokenised: the stored text holds a masked token, the sender is told, a member with the role reveals it', async () => {
    const res = await owner.post(`/api/v1/channels/${internalId}/messages`, {
      clientMsgId: 'e-1',
      text: `reach them at ${EMAIL} today`,
    });
    expect(res.status).toBe(201);
    expect(res.body.protection).toMatchObject({
      action: 'tokenise',
      findings: [expect.objectContaining({ type: 'EMAIL_ADDRESS' })],
    });
    const [token] = parseTokens(res.body.message.text);
    expect(token).toMatchObject({ type: 'EMAIL_ADDRESS' });
    expect(res.body.message.text).not.toContain(EMAIL);
    const reveal = await owner.post(`/api/v1/channels/${internalId}/messages/${res.body.message.id}/reveal`, {
      token: token!.tokenId,
      justification: 'Contacting the reporter for appeal T-4411',
    });
    expect(reveal.status).toBe(200);
    expect(reveal.body.value).toBe(EMAIL);
    // A retry of the same send is the same message, not a reused id.
    const retry = await owner.post(`/api/v1/channels/${internalId}/messages`, {
      clientMsgId: 'e-1',
      text: `reach them at ${EMAIL} today`,
    });
    expect([retry.status, retry.body.message.id]).toEqual([200, res.body.message.id]);
  });

  it('in a restricted channel the SSN is tokenised instead of blocked, and lives only in the region vault', async () => {
    const res = await owner.post(`/api/v1/channels/${restrictedId}/messages`, {
      clientMsgId: 'r-1',
      text: SSN_TEXT,
    });
    expect(res.status).toBe(201);
    expect(res.body.protection.action).toBe('tokenise');
    expect(parseTokens(res.body.message.text).map((x) => x.type)).toEqual(['US_SSN']);
    const decided = await t.query(
      'eu',
      "SELECT details FROM audit_events WHERE action = 'policy.decided' AND target_id = $1",
      [res.body.message.id],
    );
    expect(decided.rows[0].details).toMatchObject({ decided: 'tokenise', types: ['US_SSN'], tokenised: 1 });
  });

  it('a warning needs a confirmation token and a justification; then it is sent and the confirmation audited', async () => {
    const text = 'the appeal was filed by Margaret Ellison on Monday';
    const first = await owner.post(`/api/v1/channels/${publicLabelId}/messages`, {
      clientMsgId: 'w-1',
      text,
    });
    expect(first.status).toBe(409);
    expect(first.body.error.code).toBe('POLICY_CONFIRM_REQUIRED');
    const token = first.body.error.details.confirmationToken;
    const wrongText = await owner.post(`/api/v1/channels/${publicLabelId}/messages`, {
      clientMsgId: 'w-2',
      text: `${text}!`,
      confirmation: { token, justification: 'Needed for the appeal decision' },
    });
    expect(wrongText.body.error.code).toBe('POLICY_CONFIRM_REQUIRED');
    const short = await owner.post(`/api/v1/channels/${publicLabelId}/messages`, {
      clientMsgId: 'w-1',
      text,
      confirmation: { token, justification: 'ok' },
    });
    expect([short.status, short.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const sent = await owner.post(`/api/v1/channels/${publicLabelId}/messages`, {
      clientMsgId: 'w-1',
      text,
      confirmation: { token, justification: 'Needed for the appeal decision' },
    });
    expect(sent.status).toBe(201);
    const audit = await t.query(
      'us',
      "SELECT details FROM audit_events WHERE action = 'policy.decided' AND target_id = $1",
      [sent.body.message.id],
    );
    expect(audit.rows[0].details).toMatchObject({ decided: 'warn', confirmedWithJustificationOf: 30 });
  });

  it('typed look-alikes of vault tokens are neutralised, so nobody can forge a chip', async () => {
    const forged = '⟦vault:01a20000-0000-7000-8000-000000000000:US_SSN:•••• 8714⟧';
    const res = await owner.post(`/api/v1/channels/${internalId}/messages`, {
      clientMsgId: 'f-1',
      text: `look ${forged}`,
    });
    expect(res.status).toBe(201);
    expect(parseTokens(res.body.message.text)).toEqual([]);
  });
});

describe("who may reveal is the active policy's decision (PO-6)", () => {
  it('a member reveals an email; only channel owners and admins reveal a government ID', async () => {
    const member = await t.user(workspaceId, { name: 'Rae Member', country: 'FR' });
    await owner.post(`/api/v1/channels/${restrictedId}/members`, { userIds: [member.userId] });
    const why = { justification: 'Verifying the reporter for case T-4411' };
    const mail = await owner.post(`/api/v1/channels/${restrictedId}/messages`, {
      clientMsgId: 'rv-1',
      text: `write to ${EMAIL}`,
    });
    const ssn = await owner.post(`/api/v1/channels/${restrictedId}/messages`, {
      clientMsgId: 'rv-2',
      text: SSN_TEXT,
    });
    const [mailToken] = parseTokens(mail.body.message.text);
    const [ssnToken] = parseTokens(ssn.body.message.text);
    const asMember = (m: typeof mail, tok: typeof mailToken) =>
      member.post(`/api/v1/channels/${restrictedId}/messages/${m.body.message.id}/reveal`, {
        token: tok!.tokenId,
        ...why,
      });
    expect((await asMember(mail, mailToken)).body.value).toBe(EMAIL);
    const denied = await asMember(ssn, ssnToken);
    expect([denied.status, denied.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const lead = await owner.post(`/api/v1/channels/${restrictedId}/messages/${ssn.body.message.id}/reveal`, {
      token: ssnToken!.tokenId,
      ...why,
    });
    expect(lead.body.value).toBe(SSN);
  });
});

describe('no raw personal data at rest outside the vault', () => {
  it('after everything above, no table of any database and no log line holds the seeded values', async () => {
    for (const value of [SSN, EMAIL]) {
      expect(await rowsContaining(value), value).toEqual([]);
      expect(t.logs().join('\n')).not.toContain(value);
    }
  });
});
