import { parseTokens } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// The quarantine review queue (PL-6): the default policy holds an SSN-shaped
// number without "SSN" nearby (a medium score) in a public-label channel for an
// instance admin to approve or reject. Made-up values throughout.

const HELD = '412-55-9031';
const HELD_TEXT = `the number is ${HELD} on the form`;
const OTHER = '413-66-2047';
const OTHER_TEXT = `the number is ${OTHER} on the form`;

let t: TestServer;
let owner: ApiClient;
let sender: ApiClient;
let senderId: string;
let workspaceId: string;
let publicId: string;

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

const queueUrl = (id = '') => `/api/v1/review/quarantine${id ? `/${id}` : ''}`;

beforeAll(async () => {
  t = await startTestServer({}, { captureLogs: true });
  ({ owner, workspaceId } = await t.setupOwner());
  const p = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
    name: 'announce',
    kind: 'public',
  });
  publicId = p.body.channel.id;
  expect((await owner.put(`/api/v1/channels/${publicId}/label`, { label: 'public' })).status).toBe(200);
  sender = await t.user(workspaceId, { name: 'Sam Sender' });
  senderId = sender.userId!;
  await owner.post(`/api/v1/channels/${publicId}/members`, { userIds: [senderId] });
});
afterAll(() => t?.stop());

async function hold(clientMsgId: string, text: string) {
  const ws = await sender.connect();
  const res = await sender.post(`/api/v1/channels/${publicId}/messages`, { clientMsgId, text });
  expect(res.status).toBe(202);
  const ev = await ws.next((f) => f.type === 'user_event' && f.event.type === 'quarantine.updated');
  expect(ev.event.quarantine).toMatchObject({ id: res.body.quarantine.id, status: 'pending' });
  ws.close();
  return res.body.quarantine as { id: string; status: string };
}

describe('holding a message for review', () => {
  it('answers 202 with the pending item and its findings; a retry is the same item; the value is stored nowhere raw', async () => {
    const before = await t.query('us', 'SELECT count(*)::int AS n FROM messages');
    const item = await hold('q-1', HELD_TEXT);
    expect(item).toMatchObject({
      status: 'pending',
      explanation: expect.any(String),
      findings: [expect.objectContaining({ type: 'US_SSN', action: 'quarantine' })],
    });
    const retry = await sender.post(`/api/v1/channels/${publicId}/messages`, {
      clientMsgId: 'q-1',
      text: HELD_TEXT,
    });
    expect([retry.status, retry.body.quarantine.id]).toEqual([202, item.id]);
    const reused = await sender.post(`/api/v1/channels/${publicId}/messages`, {
      clientMsgId: 'q-1',
      text: OTHER_TEXT,
    });
    expect([reused.status, reused.body.error.code]).toEqual([409, 'CLIENT_ID_REUSED']);
    expect((await t.query('us', 'SELECT count(*)::int AS n FROM messages')).rows[0].n).toBe(before.rows[0].n);
    const own = await sender.get(`/api/v1/channels/${publicId}/quarantine`);
    expect(own.body.items.map((x: { id: string }) => x.id)).toEqual([item.id]);
    expect((await owner.get(`/api/v1/channels/${publicId}/quarantine`)).body.items).toEqual([]);
    const audit = await t.query('us', "SELECT details FROM audit_events WHERE action = 'policy.quarantined'");
    expect(audit.rows[0].details).toMatchObject({ decided: 'quarantine', types: ['US_SSN'], count: 1 });
    expect(await rowsContaining(HELD)).toEqual([]);
  });

  it('channel fields still fail closed on quarantine', async () => {
    const res = await owner.patch(`/api/v1/channels/${publicId}`, { purpose: HELD_TEXT });
    expect([res.status, res.body.error.code]).toEqual([422, 'POLICY_BLOCKED']);
  });
});

describe('reviewing', () => {
  it('members without a reviewing role see no queue or items; unknown ids are 404, bad ids 400', async () => {
    const item = await hold('q-deny', OTHER_TEXT);
    for (const res of [
      await sender.get(`${queueUrl()}?status=pending`),
      await sender.get(queueUrl(item.id)),
      await sender.post(`${queueUrl(item.id)}/approve`),
      await sender.post(`${queueUrl(item.id)}/reject`, { reason: 'Not appropriate here' }),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    // Another member, not the author: the item is not revealed to exist.
    const other = await t.user(workspaceId, { name: 'Oli Other' });
    expect((await other.get(queueUrl(item.id))).body.error.code).toBe('QUARANTINE_NOT_FOUND');
    const token = await owner.post('/api/v1/tokens', { name: 'rw', scopes: ['read', 'write'] });
    const scoped = await owner.withToken(token.body.token).get(queueUrl());
    expect([scoped.status, scoped.body.error.code]).toEqual([403, 'TOKEN_SCOPE_MISSING']);
    const missing = await owner.get(queueUrl('01a20000-0000-7000-8000-000000000000'));
    expect([missing.status, missing.body.error.code]).toEqual([404, 'QUARANTINE_NOT_FOUND']);
    expect((await owner.get(queueUrl('nope'))).body.error.code).toBe('INVALID_ID');
    const extra = await owner.post(`${queueUrl(item.id)}/reject`, { reason: 'Not appropriate here', x: 1 });
    expect(extra.body.error.code).toBe('VALIDATION_FAILED');
    const pii = await owner.post(`${queueUrl(item.id)}/reject`, { reason: `because of ${OTHER} in it` });
    expect(pii.body.error.code).toBe('JUSTIFICATION_CONTAINS_PII');
  });

  it('a reviewer reads the text (audited) and approves: delivered tokenised as the author, members get it, the sender is told', async () => {
    const item = await hold('q-approve', HELD_TEXT);
    const list = await owner.get(`${queueUrl()}?status=pending`);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(item.id);
    expect(JSON.stringify(list.body)).not.toContain(HELD);
    const view = await owner.get(queueUrl(item.id));
    expect([view.status, view.body.text]).toEqual([200, HELD_TEXT]);
    const viewed = await t.query(
      'us',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'quarantine.viewed'",
    );
    expect(viewed.rows[0].n).toBe(1);

    const ownerWs = await owner.connect();
    const senderWs = await sender.connect();
    const approved = await owner.post(`${queueUrl(item.id)}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.quarantine).toMatchObject({
      status: 'approved',
      deliveredMessageId: approved.body.message.id,
    });
    expect(approved.body.message.authorId).toBe(senderId);
    expect(parseTokens(approved.body.message.text).map((x) => x.type)).toEqual(['US_SSN']);
    const created = await ownerWs.next((f) => f.type === 'event' && f.event.type === 'message.created');
    expect(created.event.message.id).toBe(approved.body.message.id);
    const told = await senderWs.next(
      (f) =>
        f.type === 'user_event' && f.event.type === 'quarantine.updated' && f.event.quarantine.id === item.id,
    );
    expect(told.event.quarantine.status).toBe('approved');
    ownerWs.close();
    senderWs.close();
    const again = await owner.post(`${queueUrl(item.id)}/approve`);
    expect([again.status, again.body.error.code]).toEqual([409, 'QUARANTINE_ALREADY_REVIEWED']);
    expect(await rowsContaining(HELD)).toEqual([]);
  });

  it('a rejection destroys the text and tells the sender', async () => {
    const item = (await sender.get(`/api/v1/channels/${publicId}/quarantine`)).body.items.find(
      (x: { status: string }) => x.status === 'pending',
    );
    const ws = await sender.connect();
    const rejected = await owner.post(`${queueUrl(item.id)}/reject`, {
      reason: 'Not appropriate in a public channel',
    });
    expect([rejected.status, rejected.body.quarantine.status]).toEqual([200, 'rejected']);
    const told = await ws.next((f) => f.type === 'user_event' && f.event.type === 'quarantine.updated');
    expect(told.event.quarantine).toMatchObject({
      id: item.id,
      status: 'rejected',
      reviewReason: 'Not appropriate in a public channel',
    });
    ws.close();
    const row = await t.query(
      'us',
      'SELECT wrapped_key, ciphertext, nonce, tag FROM quarantined_messages WHERE id = $1',
      [item.id],
    );
    expect(row.rows[0]).toEqual({ wrapped_key: null, ciphertext: null, nonce: null, tag: null });
    expect((await owner.get(queueUrl(item.id))).body.error.code).toBe('QUARANTINE_ALREADY_REVIEWED');
    for (const value of [HELD, OTHER]) {
      expect(await rowsContaining(value)).toEqual([]);
      expect(t.logs().join('\n')).not.toContain(value);
    }
  });

  it('approving after the author left the channel is refused as undeliverable; the item stays pending for a rejection', async () => {
    const leaver = await t.user(workspaceId, { name: 'Lee Leaver' });
    await owner.post(`/api/v1/channels/${publicId}/members`, { userIds: [leaver.userId] });
    const res = await leaver.post(`/api/v1/channels/${publicId}/messages`, {
      clientMsgId: 'q-leaver',
      text: OTHER_TEXT,
    });
    expect(res.status).toBe(202);
    expect((await leaver.post(`/api/v1/channels/${publicId}/leave`)).status).toBe(204);
    const approve = await owner.post(`${queueUrl(res.body.quarantine.id)}/approve`);
    expect([approve.status, approve.body.error.code]).toEqual([409, 'QUARANTINE_UNDELIVERABLE']);
    const still = await owner.get(`${queueUrl()}?status=pending`);
    expect(still.body.items.map((x: { id: string }) => x.id)).toContain(res.body.quarantine.id);
    const reject = await owner.post(`${queueUrl(res.body.quarantine.id)}/reject`, {
      reason: 'The author left the channel',
    });
    expect(reject.status).toBe(200);
  });

  it('workspace admins release holds in their workspace as the policy allows (PO-5.1), never their own', async () => {
    const wsAdmin = await t.user(workspaceId, { name: 'Ada Admin', role: 'admin' });
    await owner.post(`/api/v1/channels/${publicId}/members`, { userIds: [wsAdmin.userId] });
    const theirs = await hold('q-ws-admin', OTHER_TEXT);
    const list = await wsAdmin.get(`${queueUrl()}?status=pending`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(theirs.id);
    const own = await wsAdmin.post(`/api/v1/channels/${publicId}/messages`, {
      clientMsgId: 'q-own',
      text: HELD_TEXT,
    });
    expect(own.status).toBe(202);
    const self = await wsAdmin.post(`${queueUrl(own.body.quarantine.id)}/approve`);
    expect([self.status, self.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(
      (await wsAdmin.get(`${queueUrl()}?status=pending`)).body.items.map((x: { id: string }) => x.id),
    ).not.toContain(own.body.quarantine.id);
    const rejected = await wsAdmin.post(`${queueUrl(theirs.id)}/reject`, {
      reason: 'Not for a public channel',
    });
    expect(rejected.status).toBe(200);
    // An instance reviewer (the owner) decides the admin's own item.
    expect(
      (await owner.post(`${queueUrl(own.body.quarantine.id)}/reject`, { reason: 'Not for a public channel' }))
        .status,
    ).toBe(200);
  });
});
