import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { JUSTIFICATION, postVaulted } from './vault-support.ts';

// docs/data-protection/vault.md VA-16..VA-19: erasure by crypto-shredding.

let t: TestServer;
let owner: ApiClient; // instance admin (first-run setup)
let wsAdmin: ApiClient; // workspace admin, not an instance admin
let workspaceId: string;
let channelId: string;

const reveal = (messageId: string, token: string) =>
  owner.post(`/api/v1/channels/${channelId}/messages/${messageId}/reveal`, {
    token,
    justification: JUSTIFICATION,
  });

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
  wsAdmin = await t.user(workspaceId, { role: 'admin' });
  const c = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name: 'kyc', kind: 'private' });
  channelId = c.body.channel.id;
});
afterAll(() => t?.stop());

describe('erasing a data subject', () => {
  it('VA-16 VA-17 makes every value of the subject unrecoverable at once; other subjects still reveal', async () => {
    const a = await postVaulted(t, owner, channelId, 'user id 48213377 paid with card 4111 1111 1111 1111');
    const b = await postVaulted(t, owner, channelId, 'user id 48213377 logged in from IP 203.0.113.7');
    const other = await postVaulted(
      t,
      owner,
      channelId,
      'user id 55554444 paid with card 5500 0000 0000 0004',
    );
    const subjectId = a.tokens[0]!.subjectId;
    expect(b.tokens[0]!.subjectId).toBe(subjectId);

    // VA-18: an admin starts from a token in a message.
    const found = await owner.get(`/api/v1/vault/tokens/${a.tokens[1]!.tokenId}/subject`);
    expect(found.status).toBe(200);
    expect(found.body.subject).toMatchObject({
      id: subjectId,
      kind: 'identified',
      valueCount: 4,
      erasedAt: null,
    });

    const erased = await owner.post(`/api/v1/vault/subjects/${subjectId}/erase`, {
      justification: 'Erasure request ER-2031 verified by privacy team',
    });
    expect(erased.status).toBe(200);
    const receipt = erased.body.receipt;
    expect(receipt).toMatchObject({ subjectId, region: 'us', valueCount: 4, erasedBy: owner.userId });
    expect(typeof receipt.auditSeq).toBe('number');

    // The receipt's audit entry exists and says what happened, without content.
    const audit = await t.query(
      'us',
      'SELECT action, target_id, outcome, details FROM audit_events WHERE seq = $1',
      [receipt.auditSeq],
    );
    expect(audit.rows[0]).toMatchObject({ action: 'vault.erase', target_id: subjectId, outcome: 'allowed' });
    expect(audit.rows[0].details.valueCount).toBe(4);

    for (const v of [a, b]) {
      for (const tok of v.tokens) {
        const r = await reveal(v.messageId, tok.tokenId);
        expect(r.status).toBe(410);
        expect(r.body.error.code).toBe('VALUE_ERASED');
      }
    }
    for (const tok of other.tokens) expect((await reveal(other.messageId, tok.tokenId)).status).toBe(200);

    // Nothing left to decrypt with: no wrapped key, no ciphertext, no identifier hash.
    const row = await t.query(
      'us',
      'SELECT wrapped_key, subject_ref, erased_at FROM vault_subjects WHERE id = $1',
      [subjectId],
    );
    expect(row.rows[0].wrapped_key).toBeNull();
    expect(row.rows[0].subject_ref).toBeNull();
    expect(row.rows[0].erased_at).not.toBeNull();
    const values = await t.query(
      'us',
      'SELECT count(*)::int AS n FROM vault_values WHERE subject_id = $1 AND ciphertext IS NOT NULL',
      [subjectId],
    );
    expect(values.rows[0].n).toBe(0);

    // The erased attempt is recorded as such.
    const attempts = await t.query(
      'us',
      "SELECT count(*)::int AS n FROM vault_reveals WHERE subject_id = $1 AND outcome = 'erased'",
      [subjectId],
    );
    expect(attempts.rows[0].n).toBe(4);

    // VA-17: the person mentioned again later is a new subject, not the erased one.
    const later = await postVaulted(t, owner, channelId, 'user id 48213377 wrote again');
    expect(later.tokens[0]!.subjectId).not.toBe(subjectId);
    expect((await reveal(later.messageId, later.tokens[0]!.tokenId)).body.value).toBe('48213377');

    // The subject view keeps the receipt as proof; a second erasure is a conflict.
    const view = await owner.get(`/api/v1/vault/subjects/${subjectId}`);
    expect(view.body.subject.receipt).toEqual(receipt);
    const again = await owner.post(`/api/v1/vault/subjects/${subjectId}/erase`, {
      justification: JUSTIFICATION,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SUBJECT_ALREADY_ERASED');
  });

  it('VA-14 lists reveals per subject for instance admins', async () => {
    const v = await postVaulted(t, owner, channelId, 'user id 77776666 card 4111 1111 1111 1111');
    await reveal(v.messageId, v.tokens[1]!.tokenId);
    const list = await owner.get(`/api/v1/vault/subjects/${v.tokens[0]!.subjectId}/reveals`);
    expect(list.status).toBe(200);
    expect(list.body.reveals).toHaveLength(1);
    expect(list.body.reveals[0]).toMatchObject({
      outcome: 'revealed',
      type: 'CREDIT_CARD',
      actorId: owner.userId,
    });
  });

  it('VA-16 only instance admins erase or look up subjects; refusals are audited', async () => {
    const v = await postVaulted(t, owner, channelId, 'user id 12121212');
    const subjectId = v.tokens[0]!.subjectId;
    const r = await wsAdmin.post(`/api/v1/vault/subjects/${subjectId}/erase`, {
      justification: JUSTIFICATION,
    });
    expect(r.status).toBe(403);
    expect((await wsAdmin.get(`/api/v1/vault/subjects/${subjectId}`)).status).toBe(403);
    expect((await wsAdmin.get(`/api/v1/vault/subjects/${subjectId}/reveals`)).status).toBe(403);
    expect((await wsAdmin.get(`/api/v1/vault/tokens/${v.tokens[0]!.tokenId}/subject`)).status).toBe(403);
    const audit = await t.query(
      'us',
      "SELECT outcome FROM audit_events WHERE action = 'vault.erase' AND actor_id = $1",
      [wsAdmin.userId],
    );
    expect(audit.rows).toEqual([{ outcome: 'denied' }]);
    // Still revealable: nothing was erased.
    expect((await reveal(v.messageId, v.tokens[0]!.tokenId)).status).toBe(200);
  });

  it('VA-16 bad input: unknown subject 404, bad id 400, justification rules', async () => {
    const unknown = await owner.post('/api/v1/vault/subjects/01900000-0000-7000-8000-000000000000/erase', {
      justification: JUSTIFICATION,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('SUBJECT_NOT_FOUND');
    const bad = await owner.post('/api/v1/vault/subjects/nope/erase', { justification: JUSTIFICATION });
    expect(bad.body.error.code).toBe('INVALID_ID');
    const v = await postVaulted(t, owner, channelId, 'user id 34343434');
    const pii = await owner.post(`/api/v1/vault/subjects/${v.tokens[0]!.subjectId}/erase`, {
      justification: 'requested by jane.doe@gmail.com today',
    });
    expect(pii.status).toBe(422);
    expect(pii.body.error.code).toBe('JUSTIFICATION_CONTAINS_PII');
    const short = await owner.post(`/api/v1/vault/subjects/${v.tokens[0]!.subjectId}/erase`, {
      justification: 'x',
    });
    expect(short.status).toBe(400);
    expect((await reveal(v.messageId, v.tokens[0]!.tokenId)).status).toBe(200);
  });
});
