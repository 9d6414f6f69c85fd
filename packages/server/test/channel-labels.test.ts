import { applyChannelEvent, type ChannelSnapshot } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// Channel labels through the real API (docs/data-protection/policy.md PO-2):
// defaults per kind, labels on create, changes along the policy's transitions,
// the channel.updated event, audit rows, and every deny path.

let t: TestServer;
let owner: ApiClient; // workspace owner (and instance admin)
let mia: ApiClient; // member: creates and owns channels
let bob: ApiClient; // plain member
let gus: ApiClient; // guest
let outsider: ApiClient;
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  mia = await t.user(workspaceId, { name: 'Mia' });
  bob = await t.user(workspaceId, { name: 'Bob' });
  gus = await t.user(workspaceId, { name: 'Gus', role: 'guest' });
  const other = await owner.post('/api/v1/workspaces', { name: 'Elsewhere' });
  outsider = await t.user(other.body.workspace.id, { name: 'Outsider' });
});
afterAll(() => t?.stop());

const create = (who: ApiClient, body: Record<string, unknown>) =>
  who.post(`/api/v1/workspaces/${workspaceId}/channels`, body);
const relabel = (who: ApiClient, id: string, label: unknown) =>
  who.put(`/api/v1/channels/${id}/label`, { label });

async function auditRows(region: string, channelId: string) {
  const r = await t.query(
    region,
    "SELECT outcome, details FROM audit_events WHERE action = 'channel.label_changed' AND target_id = $1 ORDER BY id",
    [channelId],
  );
  return r.rows.map((row) => ({ outcome: row.outcome, from: row.details.from, to: row.details.to }));
}

describe('PO-2.1 every channel and DM carries a label, by default from the policy', () => {
  it('public channels start internal; private channels, DMs and group DMs confidential', async () => {
    expect((await owner.get(`/api/v1/channels/${generalId}`)).body.channel.label).toBe('internal');
    expect((await create(mia, { name: 'lobby' })).body.channel.label).toBe('internal');
    expect((await create(mia, { name: 'cases', kind: 'private' })).body.channel.label).toBe('confidential');
    const dm = await mia.post(`/api/v1/workspaces/${workspaceId}/dms`, { userIds: [bob.userId] });
    expect(dm.body.channel.label).toBe('confidential');
    const group = await mia.post(`/api/v1/workspaces/${workspaceId}/dms`, {
      userIds: [bob.userId, owner.userId],
    });
    expect(group.body.channel.label).toBe('confidential');
    // Listed wherever the channel is.
    const mine = (await mia.get(`/api/v1/workspaces/${workspaceId}/channels`)).body.channels;
    expect(mine.every((c: { label: string }) => typeof c.label === 'string')).toBe(true);
  });

  it('PO-2.2 a label can be chosen on create; below the default only if the creator may lower it', async () => {
    const restricted = await create(mia, { name: 'id-checks', kind: 'private', label: 'restricted' });
    expect(restricted.status).toBe(201);
    expect(restricted.body.channel.label).toBe('restricted');
    expect((await create(mia, { name: 'announcements', label: 'public' })).body.channel.label).toBe('public');
    const lowered = await create(mia, { name: 'loose', kind: 'private', label: 'internal' });
    expect([lowered.status, lowered.body.error.code]).toEqual([403, 'LABEL_CHANGE_FORBIDDEN']);
    expect(
      (await create(owner, { name: 'loose', kind: 'private', label: 'internal' })).body.channel.label,
    ).toBe('internal');
    const unknown = await create(mia, { name: 'odd', label: 'top-secret' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(unknown.body.error.issues[0].path).toBe('body.label');
    const malformed = await create(mia, { name: 'odd', label: 'Top Secret' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    // Nothing half-written: the refused names are free.
    expect((await create(mia, { name: 'odd' })).status).toBe(201);
  });
});

describe('PO-2.3 changing a label', () => {
  it('a channel owner raises it: one channel.updated event that brings a snapshot to a fresh fetch, audited from/to', async () => {
    const ch = (await create(mia, { name: 'raise-me' })).body.channel;
    expect((await mia.post(`/api/v1/channels/${ch.id}/members`, { userIds: [bob.userId] })).status).toBe(200);
    const before: ChannelSnapshot = {
      channel: (await bob.get(`/api/v1/channels/${ch.id}`)).body.channel,
      memberIds: [],
      messages: {},
      pinnedIds: [],
      viewerId: bob.userId,
    };
    const ws = await bob.connect({ [ch.id]: before.channel.lastSeq });
    const res = await relabel(mia, ch.id, 'restricted');
    expect(res.status).toBe(200);
    expect(res.body.channel.label).toBe('restricted');
    const frame = await ws.next((f) => f.type === 'event' && f.channelId === ch.id);
    expect(frame.event).toEqual({
      type: 'channel.updated',
      changes: { label: 'restricted' },
      actorId: mia.userId,
    });
    const after = applyChannelEvent(before, frame.event, frame.seq);
    expect(after.channel).toEqual((await bob.get(`/api/v1/channels/${ch.id}`)).body.channel);
    ws.close();
    expect(await auditRows(ch.region, ch.id)).toEqual([
      { outcome: 'allowed', from: 'internal', to: 'restricted' },
    ]);
  });

  it('lowering from restricted needs a workspace admin; the refusal is audited as denied', async () => {
    const ch = (await create(mia, { name: 'vetted', kind: 'private', label: 'restricted' })).body.channel;
    const refused = await relabel(mia, ch.id, 'confidential');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'LABEL_CHANGE_FORBIDDEN']);
    expect((await mia.get(`/api/v1/channels/${ch.id}`)).body.channel.label).toBe('restricted');
    // Workspace admins manage private channels they are members of.
    await mia.post(`/api/v1/channels/${ch.id}/members`, { userIds: [owner.userId] });
    const lowered = await relabel(owner, ch.id, 'confidential');
    expect([lowered.status, lowered.body.channel.label]).toEqual([200, 'confidential']);
    expect(await auditRows(ch.region, ch.id)).toEqual([
      { outcome: 'denied', from: 'restricted', to: 'confidential' },
      { outcome: 'allowed', from: 'restricted', to: 'confidential' },
    ]);
  });

  it('the same label again changes nothing and emits nothing', async () => {
    const ch = (await create(mia, { name: 'steady' })).body.channel;
    const res = await relabel(mia, ch.id, 'internal');
    expect([res.status, res.body.channel.lastSeq]).toEqual([200, ch.lastSeq]);
    expect(await auditRows(ch.region, ch.id)).toEqual([]);
  });
});

describe('PO-2.3 deny paths', () => {
  let pub: string;
  let priv: string;
  beforeAll(async () => {
    pub = (await create(mia, { name: 'deny-pub' })).body.channel.id;
    priv = (await create(mia, { name: 'deny-priv', kind: 'private' })).body.channel.id;
    await mia.post(`/api/v1/channels/${pub}/members`, { userIds: [bob.userId, gus.userId] });
  });

  it('plain members and guests: 403 FORBIDDEN; non-members of a private channel and outsiders: 404', async () => {
    for (const who of [bob, gus]) {
      const r = await relabel(who, pub, 'confidential');
      expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    for (const who of [bob, outsider]) {
      const r = await relabel(who, priv, 'restricted');
      expect([r.status, r.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    }
    expect((await relabel(outsider, pub, 'restricted')).status).toBe(404);
    expect((await t.anon().put(`/api/v1/channels/${pub}/label`, { label: 'public' })).status).toBe(401);
  });

  it('bad ids, unknown fields, unknown labels, archived channels and 1:1 DMs', async () => {
    const badId = await relabel(mia, 'not-a-uuid', 'public');
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID']);
    const extra = await mia.put(`/api/v1/channels/${pub}/label`, { label: 'public', why: 'x' });
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await relabel(mia, pub, 'galactic');
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const archived = (await create(mia, { name: 'old-stuff' })).body.channel.id;
    await mia.post(`/api/v1/channels/${archived}/archive`);
    const r = await relabel(mia, archived, 'restricted');
    expect([r.status, r.body.error.code]).toEqual([403, 'CHANNEL_ARCHIVED']);
    const dm = (await mia.post(`/api/v1/workspaces/${workspaceId}/dms`, { userIds: [bob.userId] })).body
      .channel;
    expect((await relabel(mia, dm.id, 'restricted')).status).toBe(403);
    expect((await mia.get(`/api/v1/channels/${pub}`)).body.channel.label).toBe('internal');
  });
});
