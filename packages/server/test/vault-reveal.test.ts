import { escapeUserText, parseTokens } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { JUSTIFICATION, postVaulted, scan } from './vault-support.ts';

// docs/data-protection/vault.md: the rules cited as VA-n.

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;
let member: ApiClient;
let chanAdmin: ApiClient;
let outsider: ApiClient; // in the workspace, not in the private channel
let channelId: string;

const TEXT =
  'Appeal from user id 48213377, email jane.doe@gmail.com, card 4111 1111 1111 1111, phone +1 415 555 0132';
const SEEDED = ['48213377', 'jane.doe@gmail.com', '4111 1111 1111 1111', '+1 415 555 0132'];

const reveal = (c: ApiClient, messageId: string, token: string, justification = JUSTIFICATION) =>
  c.post(`/api/v1/channels/${channelId}/messages/${messageId}/reveal`, { token, justification });

beforeAll(async () => {
  t = await startTestServer({ revealRateLimitPerMinute: 5 });
  ({ owner, workspaceId } = await t.setupOwner());
  member = await t.user(workspaceId, { name: 'Mia Member' });
  chanAdmin = await t.user(workspaceId, { name: 'Ada Admin' });
  outsider = await t.user(workspaceId, { name: 'Otto Outsider' });
  const created = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
    name: 'appeals',
    kind: 'private',
  });
  expect(created.status).toBe(201);
  channelId = created.body.channel.id;
  const add = await owner.post(`/api/v1/channels/${channelId}/members`, {
    userIds: [member.userId, chanAdmin.userId],
  });
  expect(add.status).toBe(200);
  // There is no channel-role route yet: promote the channel admin in the region database.
  await t.query('us', "UPDATE channel_members SET role = 'admin' WHERE channel_id = $1 AND user_id = $2", [
    channelId,
    chanAdmin.userId,
  ]);
});
afterAll(() => t?.stop());

describe('vaulting and revealing', () => {
  it('VA-4 VA-7 round trip: the stored text holds tokens and masks, reveal returns the value', async () => {
    const v = await postVaulted(t, owner, channelId, TEXT);
    expect(v.tokens.map((k) => k.type)).toEqual([
      'PLATFORM_USER_ID',
      'EMAIL_ADDRESS',
      'CREDIT_CARD',
      'PHONE_NUMBER',
    ]);
    for (const value of SEEDED) expect(v.text).not.toContain(value);
    const page = await member.get(`/api/v1/channels/${channelId}/messages`);
    const stored = page.body.messages.find((m: { id: string }) => m.id === v.messageId);
    expect(stored.text).toBe(v.text);
    // VA-8: a client renders chips from the token alone.
    const parsed = parseTokens(stored.text);
    expect(parsed.map((p) => [p.type, p.mask])).toEqual([
      ['PLATFORM_USER_ID', '•••• 77'],
      ['EMAIL_ADDRESS', 'j•••@g•••.com'],
      ['CREDIT_CARD', '•••• 1111'],
      ['PHONE_NUMBER', '•••• 32'],
    ]);
    for (const [i, value] of SEEDED.entries()) {
      const r = await reveal(owner, v.messageId, parsed[i]!.tokenId);
      expect(r.status).toBe(200);
      expect(r.body.value).toBe(value);
      expect(r.body.type).toBe(parsed[i]!.type);
      const window = Date.parse(r.body.expiresAt) - Date.now();
      expect(window).toBeGreaterThan(20_000);
      expect(window).toBeLessThanOrEqual(30_000);
    }
  });

  it('VA-1 VA-4 ciphertext at rest: no table of the region database holds a seeded value', async () => {
    await postVaulted(t, owner, channelId, TEXT);
    const tables = await t.query(
      'us',
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const { table_name } of tables.rows) {
      for (const value of SEEDED) {
        const hit = await t.query(
          'us',
          `SELECT count(*)::int AS n FROM "${table_name}" x WHERE strpos(x::text, $1) > 0 OR strpos(encode(convert_to(x::text, 'UTF8'), 'escape'), $1) > 0`,
          [value],
        );
        expect(hit.rows[0].n, `${table_name} holds a seeded value`).toBe(0);
      }
    }
    // bytea columns are compared as bytes too (x::text shows them hex-encoded).
    for (const value of SEEDED) {
      const raw = await t.query(
        'us',
        `SELECT count(*)::int AS n FROM vault_values
         WHERE position(convert_to($1, 'UTF8') IN ciphertext) > 0
            OR position(convert_to($1, 'UTF8') IN nonce) > 0`,
        [value],
      );
      expect(raw.rows[0].n).toBe(0);
      const subjects = await t.query(
        'us',
        `SELECT count(*)::int AS n FROM vault_subjects
         WHERE position(convert_to($1, 'UTF8') IN coalesce(subject_ref, '')) > 0
            OR position(convert_to($1, 'UTF8') IN coalesce(wrapped_key, '')) > 0`,
        [value],
      );
      expect(subjects.rows[0].n).toBe(0);
    }
  });

  it('VA-6 the user id is the subject of the other values; the email is its own subject', async () => {
    const v = await postVaulted(t, owner, channelId, TEXT);
    const [uid, email, card, phone] = v.tokens;
    expect(card!.subjectId).toBe(uid!.subjectId);
    expect(phone!.subjectId).toBe(uid!.subjectId);
    expect(email!.subjectId).not.toBe(uid!.subjectId);
    // VA-5: the same person in another message maps to the same subject row.
    const again = await postVaulted(
      t,
      owner,
      channelId,
      'Follow-up on user id 48213377: card 5500 0000 0000 0004',
    );
    expect(again.tokens.map((k) => k.subjectId)).toEqual([uid!.subjectId, uid!.subjectId]);
    const row = await t.query('us', 'SELECT kind, ref_type FROM vault_subjects WHERE id = $1', [
      uid!.subjectId,
    ]);
    expect(row.rows[0]).toEqual({ kind: 'identified', ref_type: 'PLATFORM_USER_ID' });
  });

  it('VA-6 no identifier, or two different ones: the values belong to the message', async () => {
    const none = await postVaulted(
      t,
      owner,
      channelId,
      'Login from IP 203.0.113.7 with card 4111 1111 1111 1111',
    );
    expect(new Set(none.tokens.map((k) => k.subjectId)).size).toBe(1);
    const row = await t.query('us', 'SELECT kind, origin_message_id FROM vault_subjects WHERE id = $1', [
      none.tokens[0]!.subjectId,
    ]);
    expect(row.rows[0]).toEqual({ kind: 'message', origin_message_id: none.messageId });

    const two = await postVaulted(
      t,
      owner,
      channelId,
      'IP 203.0.113.9 shared by uid 99887766 and uid 11223344',
    );
    const [ip, a, b] = two.tokens;
    expect(new Set([ip!.subjectId, a!.subjectId, b!.subjectId]).size).toBe(3);
    const kinds = await t.query('us', 'SELECT kind FROM vault_subjects WHERE id = $1', [ip!.subjectId]);
    expect(kinds.rows[0].kind).toBe('message');
  });

  it('VA-10 forged tokens: typed brackets are escaped, and a token is only revealable in its own message', async () => {
    const v = await postVaulted(t, owner, channelId, 'Device for user id 48213377');
    const real = v.tokens[0]!;
    // A person pastes the real token into a new message: the pipeline escapes it to inert text.
    const pasted = escapeUserText(`see ${real.token}`);
    expect(parseTokens(pasted)).toEqual([]);
    expect(pasted).toHaveLength(`see ${real.token}`.length);
    expect(escapeUserText(pasted)).toBe(pasted);
    // Even unescaped (a path that forgot to escape), the token reveals nothing outside its message.
    const other = await postVaulted(t, owner, channelId, 'no personal data here');
    const forged = await reveal(owner, other.messageId, real.tokenId);
    expect(forged.status).toBe(404);
    expect(forged.body.error.code).toBe('VAULT_VALUE_NOT_FOUND');
  });

  it('VA-14 reveals are listed per message, with outcome and justification', async () => {
    const v = await postVaulted(t, owner, channelId, 'Email jane.doe@gmail.com');
    expect((await reveal(chanAdmin, v.messageId, v.tokens[0]!.tokenId)).status).toBe(200);
    const list = await owner.get(`/api/v1/channels/${channelId}/messages/${v.messageId}/reveals`);
    expect(list.status).toBe(200);
    expect(list.body.reveals).toHaveLength(1);
    expect(list.body.reveals[0]).toMatchObject({
      token: v.tokens[0]!.tokenId,
      actorId: chanAdmin.userId,
      outcome: 'revealed',
      type: 'EMAIL_ADDRESS',
      justification: JUSTIFICATION,
    });
    // A plain member may not see who revealed what.
    const denied = await member.get(`/api/v1/channels/${channelId}/messages/${v.messageId}/reveals`);
    expect(denied.status).toBe(403);
  });
});

describe('reveal deny matrix', () => {
  let v: Awaited<ReturnType<typeof postVaulted>>;
  let token: string;
  beforeAll(async () => {
    v = await postVaulted(t, owner, channelId, 'Card 4111 1111 1111 1111 for user id 48213377');
    token = v.tokens[0]!.tokenId;
  });

  it('VA-9 a non-member of the private channel gets 404, and the attempt is audited as denied', async () => {
    const r = await reveal(outsider, v.messageId, token);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('CHANNEL_NOT_FOUND');
    const audit = await t.query(
      'us',
      "SELECT outcome, details FROM audit_events WHERE action = 'vault.reveal' AND actor_id = $1",
      [outsider.userId],
    );
    expect(audit.rows).toEqual([
      { outcome: 'denied', details: { reason: 'not_visible', messageId: v.messageId } },
    ]);
  });

  it('VA-11 a member whose role may not reveal gets 403, recorded as denied', async () => {
    const r = await reveal(member, v.messageId, token);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    expect(JSON.stringify(r.body)).not.toContain('4111');
    const rows = await t.query(
      'us',
      'SELECT outcome, reason, justification FROM vault_reveals WHERE actor_id = $1',
      [member.userId],
    );
    expect(rows.rows).toEqual([{ outcome: 'denied', reason: 'role', justification: null }]);
  });

  it('VA-13 bad justifications: too short is 400, personal data in it is 422 and is not stored', async () => {
    const short = await reveal(owner, v.messageId, token, 'because');
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('VALIDATION_FAILED');
    const pii = await reveal(owner, v.messageId, token, 'customer jane.doe@gmail.com asked for it');
    expect(pii.status).toBe(422);
    expect(pii.body.error.code).toBe('JUSTIFICATION_CONTAINS_PII');
    expect(pii.body.error.details).toEqual({ types: ['EMAIL_ADDRESS'] });
    expect(JSON.stringify(pii.body)).not.toContain('jane.doe');
    const stored = await t.query(
      'us',
      "SELECT count(*)::int AS n FROM vault_reveals WHERE justification LIKE '%jane%'",
    );
    expect(stored.rows[0].n).toBe(0);
    const unknownField = await owner.post(`/api/v1/channels/${channelId}/messages/${v.messageId}/reveal`, {
      token,
      justification: JUSTIFICATION,
      extra: 1,
    });
    expect(unknownField.status).toBe(400);
    const badId = await owner.post(`/api/v1/channels/${channelId}/messages/not-a-uuid/reveal`, {
      token,
      justification: JUSTIFICATION,
    });
    expect(badId.body.error.code).toBe('INVALID_ID');
  });

  it('VA-12 more reveals than the limit in a minute answer 429 RATE_LIMITED', async () => {
    const fresh = await t.user(workspaceId, { name: 'Wanda Workspace Admin', role: 'admin' });
    expect(
      (await owner.post(`/api/v1/channels/${channelId}/members`, { userIds: [fresh.userId] })).status,
    ).toBe(200);
    // The active policy decides who reveals (PO-6): government IDs need a channel owner or admin.
    await t.query('us', "UPDATE channel_members SET role = 'admin' WHERE channel_id = $1 AND user_id = $2", [
      channelId,
      fresh.userId,
    ]);
    for (let i = 0; i < 5; i++) expect((await reveal(fresh, v.messageId, token)).status).toBe(200);
    const limited = await reveal(fresh, v.messageId, token);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const audit = await t.query(
      'us',
      "SELECT outcome, details->>'reason' AS reason FROM audit_events WHERE action = 'vault.reveal' AND actor_id = $1 ORDER BY seq",
      [fresh.userId],
    );
    expect(audit.rows.map((r) => r.outcome)).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'allowed',
      'allowed',
      'denied',
    ]);
    expect(audit.rows[5].reason).toBe('rate_limited');
  });

  it('VA-15 every reveal is audited with type and justification length, never the value or the text', async () => {
    const before = await t.query('us', 'SELECT coalesce(max(seq), 0)::int AS s FROM audit_events');
    expect((await reveal(chanAdmin, v.messageId, token)).status).toBe(200);
    const rows = await t.query(
      'us',
      "SELECT actor_id, target_id, outcome, details, channel_id FROM audit_events WHERE action = 'vault.reveal' AND seq > $1",
      [before.rows[0].s],
    );
    expect(rows.rows).toEqual([
      {
        actor_id: chanAdmin.userId,
        target_id: token,
        outcome: 'allowed',
        channel_id: channelId,
        details: {
          messageId: v.messageId,
          type: 'CREDIT_CARD',
          subjectId: v.tokens[0]!.subjectId,
          justificationLength: JUSTIFICATION.length,
        },
      },
    ]);
    const all = await t.query('us', 'SELECT details::text AS d FROM audit_events');
    for (const r of all.rows) {
      expect(r.d).not.toContain('4111');
      expect(r.d).not.toContain('T-4411');
    }
  });

  it('VA-9 a public-channel non-member gets 403 NOT_CHANNEL_MEMBER; a guest sees nothing', async () => {
    const pub = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'open-appeals' });
    const pubId = pub.body.channel.id as string;
    const pv = await postVaulted(t, owner, pubId, 'user id 48213377');
    const r = await outsider.post(`/api/v1/channels/${pubId}/messages/${pv.messageId}/reveal`, {
      token: pv.tokens[0]!.tokenId,
      justification: JUSTIFICATION,
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('NOT_CHANNEL_MEMBER');
    const guest = await t.user(workspaceId, { role: 'guest' });
    const g = await guest.post(`/api/v1/channels/${pubId}/messages/${pv.messageId}/reveal`, {
      token: pv.tokens[0]!.tokenId,
      justification: JUSTIFICATION,
    });
    expect(g.status).toBe(404);
  });

  it('VA-9 unauthenticated and unknown message or token', async () => {
    expect(
      (await t.anon().post(`/api/v1/channels/${channelId}/messages/${v.messageId}/reveal`, {})).status,
    ).toBe(401);
    const unknown = await reveal(owner, v.messageId, '01900000-0000-7000-8000-000000000000');
    expect(unknown.body.error.code).toBe('VAULT_VALUE_NOT_FOUND');
    const noMsg = await reveal(owner, '01900000-0000-7000-8000-000000000000', token);
    expect(noMsg.body.error.code).toBe('MESSAGE_NOT_FOUND');
  });
});

describe('scan sanity', () => {
  it('the justification used by these tests holds no personal data', () => {
    expect(scan(JUSTIFICATION)).toEqual([]);
  });
});
