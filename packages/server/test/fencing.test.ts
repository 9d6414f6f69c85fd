import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// Jurisdiction fencing with the default policy (docs/data-protection/fencing.md):
// a `restricted` channel in `us` admits at most 50 people, all located in the
// us jurisdiction, no guests; the rules are checked at every way in and at
// every use. Regions `us` and `eu` as in every test server.

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;
let caseId: string;

const MARKER = 'fencing-marker-3f9c1a';

async function auditCount(store: string, action: string, targetId?: string): Promise<number> {
  const r = await t.query(
    store,
    `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 ${targetId ? 'AND target_id = $2' : ''}`,
    targetId ? [action, targetId] : [action],
  );
  return r.rows[0].n;
}

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  const res = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
    name: 'us-cases',
    kind: 'public',
    label: 'restricted',
    region: 'us',
  });
  expect(res.status).toBe(201);
  caseId = res.body.channel.id;
});
afterAll(() => t?.stop());

describe('people attributes (FE-1)', () => {
  it('instance admins set them, audited; everyone else is refused; bad values are 400 with the field', async () => {
    const p = await t.user(workspaceId, { name: 'Pat Person', country: null });
    const set = await owner.patch(`/api/v1/people/${p.userId}/attributes`, {
      country: 'CA',
      orgUnit: 'Trust & Safety',
      clearance: 2,
    });
    expect(set.status).toBe(200);
    expect(set.body.person.attributes).toEqual({ country: 'CA', orgUnit: 'Trust & Safety', clearance: 2 });
    expect((await p.get(`/api/v1/people/${p.userId}`)).body.person.attributes.country).toBe('CA');
    expect(await auditCount('directory', 'person.attributes_changed', p.userId!)).toBe(1);

    const self = await p.patch(`/api/v1/people/${p.userId}/attributes`, { country: 'US' });
    expect([self.status, self.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await p.get('/api/v1/people')).body.error.code).toBe('FORBIDDEN');
    expect((await p.get(`/api/v1/people/${owner.userId}`)).body.error.code).toBe('FORBIDDEN');
    const bad = await owner.patch(`/api/v1/people/${p.userId}/attributes`, { country: 'XX' });
    expect([bad.status, bad.body.error.code, bad.body.error.issues[0].path]).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.country',
    ]);
    expect((await owner.patch(`/api/v1/people/${p.userId}/attributes`, {})).status).toBe(400);

    const duties = await owner.put(`/api/v1/people/${p.userId}/duties`, { duties: ['reviewer'] });
    expect(duties.body.person.duties).toEqual(['reviewer']);
    const listed = await p.get('/api/v1/people?country=CA');
    expect(listed.body.people.map((x: { id: string }) => x.id)).toContain(p.userId);
    expect(await auditCount('directory', 'person.duties_changed', p.userId!)).toBe(1);
  });
});

describe('a us restricted channel and a person located in the eu', () => {
  it('cannot join, read or search it, and an admin cannot add them; each refusal says why and is audited', async () => {
    const eu = await t.user(workspaceId, { name: 'Eva Europe', country: 'DE' });
    expect(
      (await owner.post(`/api/v1/channels/${caseId}/messages`, { clientMsgId: 'm-1', text: MARKER })).status,
    ).toBe(201);

    const join = await eu.post(`/api/v1/channels/${caseId}/join`);
    expect([join.status, join.body.error.code]).toEqual([403, 'MEMBER_NOT_ELIGIBLE']);
    expect(join.body.error.details.people[0].unmet.map((u: { rule: string }) => u.rule)).toEqual([
      'in_region',
    ]);

    const add = await owner.post(`/api/v1/channels/${caseId}/members`, { userIds: [eu.userId] });
    expect([add.status, add.body.error.code]).toEqual([403, 'MEMBER_NOT_ELIGIBLE']);
    expect(add.body.error.details.people).toEqual([
      { userId: eu.userId, unmet: [expect.objectContaining({ rule: 'in_region' })] },
    ]);

    const read = await eu.get(`/api/v1/channels/${caseId}/messages`);
    expect([read.status, read.body.error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    const search = await eu.get(`/api/v1/workspaces/${workspaceId}/search?q=${MARKER}`);
    expect(search.body.results).toEqual([]);
    const browse = await eu.get(`/api/v1/workspaces/${workspaceId}/channels/browse`);
    expect(browse.body.channels.map((c: { id: string }) => c.id)).not.toContain(caseId);
    // The owner (US) finds it, so the search itself works.
    expect(
      (await owner.get(`/api/v1/workspaces/${workspaceId}/search?q=${MARKER}`)).body.results,
    ).toHaveLength(1);

    const denied = await t.query(
      'us',
      "SELECT action, details FROM audit_events WHERE outcome = 'denied' AND channel_id = $1 ORDER BY seq",
      [caseId],
    );
    expect(denied.rows.map((r) => r.action)).toEqual(['channel.member_joined', 'channel.member_added']);
    expect(denied.rows[1].details.people).toEqual([{ userId: eu.userId, rules: ['in_region'] }]);
  });

  it('its content is in the us database only, byte for byte absent from every eu table', async () => {
    const tables = await t.query('eu', "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    for (const { tablename } of tables.rows) {
      const r = await t.query('eu', `SELECT count(*)::int AS n FROM "${tablename}" x WHERE x::text LIKE $1`, [
        `%${MARKER}%`,
      ]);
      expect([tablename, r.rows[0].n]).toEqual([tablename, 0]);
    }
    const us = await t.query('us', 'SELECT count(*)::int AS n FROM messages WHERE text = $1', [MARKER]);
    expect(us.rows[0].n).toBe(1);
  });

  it('moving a member from us to the eu cuts their access live, and moving them back restores it; audited', async () => {
    const mover = await t.user(workspaceId, { name: 'Max Mover', country: 'US' });
    const witness = await t.user(workspaceId, { name: 'Wes Witness', country: 'US' });
    for (const p of [mover, witness])
      expect((await p.post(`/api/v1/channels/${caseId}/join`)).status).toBe(200);
    const ws = await mover.connect();
    const wws = await witness.connect();
    await owner.post(`/api/v1/channels/${caseId}/messages`, {
      clientMsgId: 'm-live-1',
      text: 'before the move',
    });
    await ws.next((f) => f.type === 'event' && f.event.type === 'message.created');

    expect((await owner.patch(`/api/v1/people/${mover.userId}/attributes`, { country: 'FR' })).status).toBe(
      200,
    );
    const cut = await ws.next((f) => f.type === 'user_event' && f.event.type === 'channel.access_changed');
    expect(cut.event).toEqual({ type: 'channel.access_changed', channelId: caseId, access: 'suspended' });

    await owner.post(`/api/v1/channels/${caseId}/messages`, {
      clientMsgId: 'm-live-2',
      text: 'after the move',
    });
    await wws.next((f) => f.type === 'event' && f.event.message?.text === 'after the move');
    await ws.settle();
    expect(ws.events(caseId).some((f) => f.event.message?.text === 'after the move')).toBe(false);

    const fetch = await mover.get(`/api/v1/channels/${caseId}/messages`);
    expect([fetch.status, fetch.body.error.code]).toEqual([403, 'CHANNEL_ACCESS_SUSPENDED']);
    const post = await mover.post(`/api/v1/channels/${caseId}/messages`, {
      clientMsgId: 'm-x',
      text: 'hello',
    });
    expect([post.status, post.body.error.code]).toEqual([403, 'CHANNEL_ACCESS_SUSPENDED']);
    const mine = await mover.get(`/api/v1/workspaces/${workspaceId}/channels`);
    expect(mine.body.channels.map((c: { id: string }) => c.id)).not.toContain(caseId);
    expect(await auditCount('us', 'channel.access_suspended', mover.userId!)).toBe(1);

    expect((await owner.patch(`/api/v1/people/${mover.userId}/attributes`, { country: 'US' })).status).toBe(
      200,
    );
    const back = await ws.next((f) => f.type === 'user_event' && f.event.type === 'channel.access_changed');
    expect(back.event.access).toBe('restored');
    expect((await mover.get(`/api/v1/channels/${caseId}/messages`)).status).toBe(200);
    expect(await auditCount('us', 'channel.access_restored', mover.userId!)).toBe(1);
    ws.close();
    wws.close();
  });

  it('a suspended member may still leave', async () => {
    const leaver = await t.user(workspaceId, { name: 'Lou Leaver', country: 'US' });
    expect((await leaver.post(`/api/v1/channels/${caseId}/join`)).status).toBe(200);
    await owner.patch(`/api/v1/people/${leaver.userId}/attributes`, { country: null });
    expect((await leaver.post(`/api/v1/channels/${caseId}/leave`)).status).toBe(204);
  });
});

describe('the member cap (FE-6)', () => {
  it('the 51st member of a restricted channel is refused with the cap and the count', async () => {
    const res = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'capped',
      kind: 'private',
      label: 'restricted',
    });
    const capped = res.body.channel.id as string;
    const people: string[] = [];
    for (let i = 0; i < 50; i++) people.push((await t.user(workspaceId, { name: `Member ${i}` })).userId!);
    expect(
      (await owner.post(`/api/v1/channels/${capped}/members`, { userIds: people.slice(0, 49) })).status,
    ).toBe(200);
    const over = await owner.post(`/api/v1/channels/${capped}/members`, { userIds: [people[49]] });
    expect([over.status, over.body.error.code]).toEqual([409, 'CHANNEL_MEMBER_LIMIT']);
    expect(over.body.error.details).toEqual({ label: 'restricted', limit: 50, members: 51 });
    expect(over.body.error.message).toContain('at most 50');
    const count = await t.query('us', 'SELECT member_count FROM channels WHERE id = $1', [capped]);
    expect(count.rows[0].member_count).toBe(50);
    const denied = await t.query(
      'us',
      "SELECT details FROM audit_events WHERE outcome = 'denied' AND channel_id = $1 AND action = 'channel.member_added'",
      [capped],
    );
    expect(denied.rows[0].details).toMatchObject({ limit: 50, members: 51 });
  });
});

describe('posture (FE-8)', () => {
  it('lists each channel with members by country, findings by type and current violations with fixes; privacy team only', async () => {
    const res = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'posture-case',
      kind: 'private',
      label: 'restricted',
    });
    const id = res.body.channel.id as string;
    const stays = await t.user(workspaceId, { name: 'Sid Stays', country: 'US' });
    const moves = await t.user(workspaceId, { name: 'Mo Moves', country: 'US' });
    expect(
      (await owner.post(`/api/v1/channels/${id}/members`, { userIds: [stays.userId, moves.userId] })).status,
    ).toBe(200);
    await owner.post(`/api/v1/channels/${id}/messages`, {
      clientMsgId: 'p-1',
      text: 'mail her at ann.lee@example.org',
    });
    await owner.patch(`/api/v1/people/${moves.userId}/attributes`, { country: 'IE' });

    const report = await owner.get(`/api/v1/review/posture?workspaceId=${workspaceId}`);
    expect(report.status).toBe(200);
    const row = report.body.channels.find((c: { channelId: string }) => c.channelId === id);
    expect(row).toMatchObject({
      region: 'us',
      label: 'restricted',
      memberCount: 3,
      maxMembers: 50,
      memberCountries: { US: 2, IE: 1 },
      findingsByType: { EMAIL_ADDRESS: 1 },
    });
    expect(row.violations).toEqual([
      expect.objectContaining({
        kind: 'ineligible_members',
        userIds: [moves.userId],
        suggestedFix: expect.any(String),
      }),
    ]);
    expect(JSON.stringify(report.body)).not.toContain('ann.lee@example.org');

    const refused = await stays.get(`/api/v1/review/posture?workspaceId=${workspaceId}`);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const unknown = await owner.get(
      '/api/v1/review/posture?workspaceId=01a20000-0000-7000-8000-000000000000',
    );
    expect(unknown.body.error.code).toBe('WORKSPACE_NOT_FOUND');
  });
});
