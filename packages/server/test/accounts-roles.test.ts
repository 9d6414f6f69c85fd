import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let admin: ApiClient;
let member: ApiClient;
let workspaceId: string;
let generalId: string;

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  admin = await t.user(workspaceId, { name: 'Ada Admin', role: 'admin' });
  member = await t.user(workspaceId, { name: 'Mo Member' });
});
afterAll(() => t?.stop());

const roleOf = async (userId: string, ws = workspaceId) =>
  (
    await t.query(
      'directory',
      'SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2',
      [ws, userId],
    )
  ).rows[0]?.role ?? null;
const setRole = (by: ApiClient, userId: string, role: string, ws = workspaceId) =>
  by.patch(`/api/v1/workspaces/${ws}/members/${userId}`, { role });

describe('workspace roles', () => {
  it('owners and admins change roles, and every change is audited', async () => {
    const res = await setRole(admin, member.userId!, 'guest');
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ user: { id: member.userId }, role: 'guest' });
    expect(await roleOf(member.userId!)).toBe('guest');
    // As a guest, a public channel they are not in no longer exists for them.
    expect((await member.get(`/api/v1/channels/${generalId}`)).body.error.code).toBe('CHANNEL_NOT_FOUND');
    expect((await setRole(owner, member.userId!, 'member')).body.member.role).toBe('member');
    const audit = await t.query(
      'directory',
      "SELECT actor_id, details FROM audit_events WHERE action = 'workspace.role_changed' AND target_id = $1 ORDER BY id",
      [member.userId],
    );
    expect(audit.rows).toEqual([
      { actor_id: admin.userId, details: { from: 'member', to: 'guest' } },
      { actor_id: owner.userId, details: { from: 'guest', to: 'member' } },
    ]);
  });

  it('admins cannot create or demote owners; owners can', async () => {
    const made = await setRole(admin, member.userId!, 'owner');
    expect([made.status, made.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const demote = await setRole(admin, owner.userId!, 'member');
    expect([demote.status, demote.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await roleOf(owner.userId!)).toBe('owner');
    expect(await roleOf(member.userId!)).toBe('member');
    const second = await t.user(workspaceId, { name: 'Second' });
    expect((await setRole(owner, second.userId!, 'owner')).body.member.role).toBe('owner');
    expect((await setRole(second, owner.userId!, 'admin')).body.member.role).toBe('admin');
    expect((await setRole(second, owner.userId!, 'owner')).body.member.role).toBe('owner');
    expect((await setRole(owner, second.userId!, 'member')).status).toBe(200);
  });

  it('the last owner cannot be demoted or leave (409 LAST_OWNER), even racing another owner', async () => {
    const self = await setRole(owner, owner.userId!, 'admin');
    expect([self.status, self.body.error.code]).toEqual([409, 'LAST_OWNER']);
    const leave = await owner.post(`/api/v1/workspaces/${workspaceId}/leave`);
    expect([leave.status, leave.body.error.code]).toEqual([409, 'LAST_OWNER']);
    expect(await roleOf(owner.userId!)).toBe('owner');
    // Two owners demote themselves at the same time: one of them must stay owner.
    const co = await t.user(workspaceId, { name: 'Co Owner', role: 'owner' });
    const [a, b] = await Promise.all([
      setRole(owner, owner.userId!, 'admin'),
      setRole(co, co.userId!, 'admin'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const owners = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM workspace_members WHERE workspace_id = $1 AND role = 'owner'",
      [workspaceId],
    );
    expect(owners.rows[0].n).toBe(1);
    // Restore: whoever is still owner makes the original owner owner again.
    if (a.status === 200) expect((await setRole(co, owner.userId!, 'owner')).status).toBe(200);
  });

  it('a member leaves the workspace and all its channels; live connections stop receiving its events', async () => {
    const leaver = await t.user(workspaceId, { name: 'Leaver' });
    await owner.post(`/api/v1/channels/${generalId}/members`, { userIds: [leaver.userId] });
    const priv = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'eu-private',
      kind: 'private',
      region: 'eu',
    });
    await owner.post(`/api/v1/channels/${priv.body.channel.id}/members`, { userIds: [leaver.userId] });
    const dm = await owner.post(`/api/v1/workspaces/${workspaceId}/dms`, { userIds: [leaver.userId] });
    expect(dm.status).toBe(200);
    const ws = await leaver.connect();
    const res = await leaver.post(`/api/v1/workspaces/${workspaceId}/leave`);
    expect(res.status).toBe(204);
    expect(await roleOf(leaver.userId!)).toBeNull();
    // Regions are cleaned one after another, in no promised order.
    const left = new Set([generalId, priv.body.channel.id, dm.body.channel.id]);
    while (left.size) {
      const f = await ws.next(
        (x) => x.type === 'user_event' && x.event.type === 'channel.removed' && left.has(x.event.channelId),
      );
      left.delete(f.event.channelId);
    }
    const inUs = await t.query('us', 'SELECT count(*)::int AS n FROM channel_members WHERE user_id = $1', [
      leaver.userId,
    ]);
    const inEu = await t.query('eu', 'SELECT count(*)::int AS n FROM channel_members WHERE user_id = $1', [
      leaver.userId,
    ]);
    expect([inUs.rows[0].n, inEu.rows[0].n]).toEqual([0, 0]);
    const seen = ws.frames.length;
    await owner.post(`/api/v1/channels/${dm.body.channel.id}/messages`, {
      clientMsgId: 'after-leave-dm',
      text: 'are you there',
    });
    await owner.post(`/api/v1/channels/${priv.body.channel.id}/messages`, {
      clientMsgId: 'after-leave-eu',
      text: 'secret plans',
    });
    await ws.settle();
    expect(ws.frames.slice(seen).filter((f) => f.type === 'event')).toEqual([]);
    expect((await leaver.get(`/api/v1/workspaces/${workspaceId}`)).body.error.code).toBe(
      'WORKSPACE_NOT_FOUND',
    );
    expect((await leaver.get(`/api/v1/channels/${dm.body.channel.id}/messages`)).body.error.code).toBe(
      'CHANNEL_NOT_FOUND',
    );
    const audit = await t.query(
      'directory',
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'workspace.member_left' AND target_id = $1",
      [leaver.userId],
    );
    expect(audit.rows[0].n).toBe(1);
    ws.close();
  });

  it('denies: members and guests cannot change roles; outsiders see nothing; bad input is a 400', async () => {
    const guest = await t.user(workspaceId, { role: 'guest' });
    for (const who of [member, guest]) {
      const res = await setRole(who, who.userId!, 'admin');
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect(await roleOf(member.userId!)).toBe('member');
    const other = await owner.post('/api/v1/workspaces', { name: 'Elsewhere' });
    const outsider = await t.user(other.body.workspace.id);
    expect((await setRole(outsider, member.userId!, 'guest')).body.error.code).toBe('WORKSPACE_NOT_FOUND');
    expect((await outsider.post(`/api/v1/workspaces/${workspaceId}/leave`)).body.error.code).toBe(
      'WORKSPACE_NOT_FOUND',
    );
    // Someone who is not a member of this workspace cannot be given a role in it.
    expect((await setRole(owner, outsider.userId!, 'member')).body.error.code).toBe('USER_NOT_FOUND');
    expect(await roleOf(outsider.userId!)).toBeNull();
    expect((await setRole(owner, 'nope', 'member')).body.error.code).toBe('INVALID_ID');
    expect((await owner.post('/api/v1/workspaces/nope/leave')).body.error.code).toBe('INVALID_ID');
    for (const bad of [{ role: 'king' }, {}, { role: 'admin', extra: 1 }]) {
      const res = await owner.patch(`/api/v1/workspaces/${workspaceId}/members/${member.userId}`, bad);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});
