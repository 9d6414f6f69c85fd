import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, Body } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

let t: TestServer;
let owner: ApiClient;
let bob: ApiClient;
let guest: ApiClient;
let workspaceId: string;
let generalId: string;
let billingId: string;
let n = 0;

const search = (who: ApiClient, q: string, extra = '') =>
  who.get(`/api/v1/workspaces/${workspaceId}/search?q=${encodeURIComponent(q)}${extra}`);
const texts = (res: Body): string[] => res.body.results.map((r: Body) => r.message.text);

async function post(who: ApiClient, channelId: string, text: string, threadRootId?: string): Promise<Body> {
  const res = await who.post(`/api/v1/channels/${channelId}/messages`, {
    clientMsgId: `s-${++n}`,
    text,
    ...(threadRootId && { threadRootId }),
  });
  expect(res.status).toBe(201);
  return res.body.message;
}

async function channel(
  name: string,
  kind: 'public' | 'private',
  region: 'us' | 'eu',
  members: ApiClient[] = [],
): Promise<string> {
  const res = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, { name, kind, region });
  expect(res.status).toBe(201);
  const id = res.body.channel.id as string;
  if (members.length) {
    const add = await owner.post(`/api/v1/channels/${id}/members`, { userIds: members.map((m) => m.userId) });
    expect(add.status).toBeLessThan(300);
  }
  return id;
}

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId, generalId } = await t.setupOwner());
  owner.userId ??= (await owner.get('/api/v1/auth/session')).body.user.id;
  bob = await t.user(workspaceId, { name: 'Bob' });
  guest = await t.user(workspaceId, { name: 'Gus Guest', role: 'guest' });
  expect((await bob.post(`/api/v1/channels/${generalId}/join`)).status).toBe(200);
  billingId = await channel('billing', 'public', 'eu');
});
afterAll(() => t?.stop());

describe('matching and ranking', () => {
  it('ranks the closest match first and exact matches above lenient ones', async () => {
    const near = await post(owner, generalId, 'our refund policy changed today');
    const far = await post(
      owner,
      generalId,
      'a refund was requested by the customer; read the whole thread and then the policy',
    );
    await post(owner, generalId, 'nothing about it here');
    const res = await search(bob, 'refund policy');
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: Body) => r.message.id)).toEqual([near.id, far.id]);

    const exact = await post(owner, generalId, 'the payment failed twice');
    const typo = await post(owner, generalId, 'paymnt pending since monday');
    const both = await search(bob, 'payment');
    expect(both.body.results.map((r: Body) => r.message.id)).toEqual([exact.id, typo.id]);
  });

  it('finds partial words and typos through pg_trgm', async () => {
    const deploy = await post(owner, generalId, 'the deployment finished at noon');
    const receive = await post(owner, generalId, 'we did not receive the passport scan');
    expect((await search(bob, 'deplo')).body.results.map((r: Body) => r.message.id)).toEqual([deploy.id]);
    expect((await search(bob, 'recieve')).body.results.map((r: Body) => r.message.id)).toContain(receive.id);
    expect((await search(bob, 'pasport')).body.results.map((r: Body) => r.message.id)).toEqual([receive.id]);
    // A stem the words share is an exact match: "invoic" finds "invoices".
    await post(owner, generalId, 'two invoices are overdue');
    expect(texts(await search(bob, 'invoic'))).toEqual(['two invoices are overdue']);
  });

  it('matches quoted phrases in order and drops -excluded words', async () => {
    expect(texts(await search(bob, '"refund policy"'))).toEqual(['our refund policy changed today']);
    expect(texts(await search(bob, 'refund -customer'))).toEqual(['our refund policy changed today']);
    expect(texts(await search(bob, 'refund -"refund policy"'))).toEqual([
      'a refund was requested by the customer; read the whole thread and then the policy',
    ]);
  });

  it('marks matches in short plain-text fragments', async () => {
    await post(owner, generalId, 'Ticket <b>4411</b>: the «quoted» escalation was approved after review');
    const res = await search(bob, 'escalation');
    expect(res.body.results).toHaveLength(1);
    const [h] = res.body.results[0].highlights;
    expect(h).toContain('«escalation»');
    // Literal guillemets are swapped so the markers stay unambiguous; no markup is added.
    expect(h).toContain('‹quoted›');
    expect(res.body.results[0].message.text).toContain('«quoted»');
    const typo = await search(bob, 'escalaton');
    expect(typo.body.results[0].highlights[0]).toContain('«escalation»');
  });

  it('returns separate fragments for matches far apart', async () => {
    const filler = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    await post(owner, generalId, `tamarind at the start ${filler} and tamarind at the end`);
    const [hit] = (await search(bob, 'tamarind')).body.results;
    expect(hit.highlights.length).toBe(2);
    for (const h of hit.highlights) {
      expect(h).toContain('«tamarind»');
      expect(h.split(' ').length).toBeLessThan(25);
    }
  });

  it('searches thread replies, which carry their threadRootId', async () => {
    const root = await post(owner, generalId, 'who owns the kiwi migration?');
    const reply = await post(bob, generalId, 'I own the kiwi migration now', root.id);
    await post(owner, generalId, 'kiwi is not in a thread');
    const res = await search(bob, 'kiwi has:thread');
    const ids = res.body.results.map((r: Body) => r.message.id).sort();
    expect(ids).toEqual([root.id, reply.id].sort());
    expect(res.body.results.find((r: Body) => r.message.id === reply.id).message.threadRootId).toBe(root.id);
  });
});

describe('filters', () => {
  it('in: narrows to one channel by #name or id; a channel you cannot see matches nothing', async () => {
    await post(owner, generalId, 'banana split in general');
    await post(owner, billingId, 'banana invoice in billing');
    expect(texts(await search(bob, 'banana in:#billing'))).toEqual(['banana invoice in billing']);
    expect(texts(await search(bob, `banana in:${generalId}`))).toEqual(['banana split in general']);
    expect(texts(await search(bob, 'banana in:#billing in:#general'))).toHaveLength(2);
    const hidden = await channel('hidden-room', 'private', 'us');
    await post(owner, hidden, 'banana secrets');
    const res = await search(bob, 'banana in:#hidden-room');
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([]);
    expect((await search(bob, `banana in:${hidden}`)).body.results).toEqual([]);
  });

  it('from: takes @user-id, an email, or me; an unknown person finds nothing', async () => {
    await post(owner, generalId, 'cherry from olive');
    await post(bob, generalId, 'cherry from bob');
    expect(texts(await search(bob, `cherry from:@${bob.userId}`))).toEqual(['cherry from bob']);
    expect(texts(await search(bob, 'cherry from:me'))).toEqual(['cherry from bob']);
    expect(texts(await search(bob, 'cherry from:OWNER@example.com'))).toEqual(['cherry from olive']);
    const unknown = await search(bob, 'cherry from:nobody@example.com');
    expect(unknown.status).toBe(200);
    expect(unknown.body.results).toEqual([]);
  });

  it('before:, after: and on: select UTC days', async () => {
    const old = await post(owner, generalId, 'durian report january');
    const mid = await post(owner, generalId, 'durian report february');
    await post(owner, generalId, 'durian report today');
    await t.query('us', `UPDATE messages SET created_at = '2024-01-15T10:00:00Z' WHERE id = $1`, [old.id]);
    await t.query('us', `UPDATE messages SET created_at = '2024-02-20T23:59:59Z' WHERE id = $1`, [mid.id]);
    expect(texts(await search(bob, 'durian before:2024-02-01'))).toEqual(['durian report january']);
    expect(texts(await search(bob, 'durian after:2024-02-20'))).toEqual(['durian report today']);
    expect(texts(await search(bob, 'durian on:2024-02-20'))).toEqual(['durian report february']);
    expect(texts(await search(bob, 'durian after:2024-01-01 before:2025-01-01'))).toEqual([
      'durian report february',
      'durian report january',
    ]);
    expect((await search(bob, 'durian after:2024-03-01 before:2024-02-01')).body.results).toEqual([]);
  });

  it('a filter-only query lists matching messages newest first', async () => {
    const feed = await channel('feed', 'public', 'us', [bob]);
    await post(owner, feed, 'first');
    await post(bob, feed, 'second');
    await post(owner, feed, 'third');
    const res = await search(bob, 'in:#feed');
    expect(texts(res)).toEqual(['third', 'second', 'first']);
    expect(res.body.results.every((r: Body) => r.highlights.length === 0)).toBe(true);
    expect(texts(await search(bob, 'in:#feed from:me'))).toEqual(['second']);
  });

  it('rejects malformed filters with INVALID_SEARCH_QUERY naming the filter', async () => {
    for (const [q, filter] of [
      ['secretword before:2024-13-01', 'before'],
      ['secretword has:files', 'has'],
      ['secretword from:@bob', 'from'],
      ['secretword in:#No!', 'in'],
    ] as const) {
      const res = await search(bob, q);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_SEARCH_QUERY');
      expect(res.body.error.details).toEqual({ filter });
      expect(JSON.stringify(res.body)).not.toContain('secretword');
    }
  });

  it('rejects bad input with catalogue codes', async () => {
    expect((await bob.get(`/api/v1/workspaces/${workspaceId}/search`)).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await search(bob, 'x', '&sort=new')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await search(bob, 'x', '&limit=0')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await search(bob, 'x', '&cursor=garbage')).body.error.code).toBe('INVALID_CURSOR');
    expect((await bob.get('/api/v1/workspaces/not-a-uuid/search?q=x')).body.error.code).toBe('INVALID_ID');
    expect((await t.anon().get(`/api/v1/workspaces/${workspaceId}/search?q=x`)).status).toBe(401);
  });
});

describe('pagination', () => {
  it('pages through results in both regions with a stable cursor, no gap and no repeat', async () => {
    const sent: string[] = [];
    for (let i = 0; i < 4; i++) sent.push((await post(owner, generalId, `zebra crossing ${i}`)).id);
    for (let i = 0; i < 3; i++) sent.push((await post(owner, billingId, `zebra crossing eu ${i}`)).id);
    const seen: Body[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await search(bob, 'zebra', `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.results.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.results);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((r) => r.message.id).sort()).toEqual([...sent].sort());
    expect(new Set(seen.map((r) => r.channel.region))).toEqual(new Set(['us', 'eu']));
    const all = await search(bob, 'zebra', '&limit=20');
    expect(all.body.results.map((r: Body) => r.message.id)).toEqual(seen.map((r) => r.message.id));
    expect(all.body.nextCursor).toBeNull();
  });

  it('refuses a cursor taken from another query', async () => {
    const first = await search(bob, 'zebra', '&limit=1');
    const other = await search(bob, 'zebra crossing', `&limit=1&cursor=${first.body.nextCursor}`);
    expect(other.body.error.code).toBe('INVALID_CURSOR');
  });
});

describe('it never returns what the person cannot read', () => {
  it('finds content in a us channel and an eu channel, each from its own region', async () => {
    await post(owner, generalId, 'mango shipment us');
    await post(owner, billingId, 'mango shipment eu');
    const res = await search(bob, 'mango');
    const found = res.body.results.map((r: Body) => [r.channel.name, r.channel.region]).sort();
    expect(found).toEqual([
      ['billing', 'eu'],
      ['general', 'us'],
    ]);
  });

  it('hides private channels the person is not in, and other workspaces', async () => {
    const secret = await channel('secret-ops', 'private', 'eu');
    await post(owner, secret, 'kumquat escalation plan');
    const ws2 = await owner.post('/api/v1/workspaces', { name: 'Other Org' });
    expect(ws2.status).toBe(201);
    const ws2Id = ws2.body.workspace.id;
    const ws2General = (await owner.get(`/api/v1/workspaces/${ws2Id}/channels`)).body.channels[0].id;
    await post(owner, ws2General, 'kumquat in another workspace');

    expect((await search(bob, 'kumquat')).body.results).toEqual([]);
    expect((await search(bob, 'kumquat in:#secret-ops')).body.results).toEqual([]);
    const mine = await search(owner, 'kumquat');
    expect(mine.body.results.map((r: Body) => r.channel.id)).toEqual([secret]);
    // Bob is not in the other workspace: it does not exist for him.
    const other = await bob.get(`/api/v1/workspaces/${ws2Id}/search?q=kumquat`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('WORKSPACE_NOT_FOUND');
  });

  it('stops finding a private channel once the person leaves it', async () => {
    const room = await channel('quince-room', 'private', 'us', [bob]);
    await post(bob, room, 'quince budget draft');
    expect(texts(await search(bob, 'quince'))).toEqual(['quince budget draft']);
    expect((await bob.post(`/api/v1/channels/${room}/leave`)).status).toBe(204);
    expect((await search(bob, 'quince')).body.results).toEqual([]);
    expect((await search(bob, `in:${room}`)).body.results).toEqual([]);
  });

  it('never matches deleted messages', async () => {
    const gone = await post(owner, generalId, 'persimmon password reset link');
    await post(owner, generalId, 'persimmon tart recipe');
    expect(texts(await search(owner, 'persimmon'))).toHaveLength(2);
    expect((await owner.delete(`/api/v1/channels/${generalId}/messages/${gone.id}`)).status).toBe(204);
    expect(texts(await search(owner, 'persimmon'))).toEqual(['persimmon tart recipe']);
    expect((await search(owner, 'persimmon password')).body.results).toEqual([]);
  });

  it('keeps DMs to their members and searches the edited text, not the old one', async () => {
    const carol = await t.user(workspaceId, { name: 'Carol' });
    const dm = await owner.post(`/api/v1/workspaces/${workspaceId}/dms`, { userIds: [carol.userId] });
    expect(dm.status).toBeLessThan(300);
    const sent = await post(owner, dm.body.channel.id, 'fig contract draft');
    expect(texts(await search(carol, 'fig'))).toEqual(['fig contract draft']);
    expect((await search(carol, 'fig')).body.results[0].channel.kind).toBe('dm');
    expect((await search(bob, 'fig')).body.results).toEqual([]);
    const edit = await owner.patch(`/api/v1/channels/${dm.body.channel.id}/messages/${sent.id}`, {
      text: 'olive contract draft',
    });
    expect(edit.status).toBe(200);
    expect((await search(carol, 'fig')).body.results).toEqual([]);
    expect(texts(await search(carol, 'olive contract'))).toEqual(['olive contract draft']);
  });

  it('shows a guest only the channels they are in', async () => {
    const room = await channel('guest-room', 'private', 'eu', [guest]);
    await post(owner, room, 'lychee onboarding notes');
    await post(owner, generalId, 'lychee in public general');
    await post(owner, billingId, 'lychee in public billing');
    expect(texts(await search(guest, 'lychee'))).toEqual(['lychee onboarding notes']);
    expect((await search(guest, 'lychee in:#general')).body.results).toEqual([]);
    expect(texts(await search(bob, 'lychee')).sort()).toEqual([
      'lychee in public billing',
      'lychee in public general',
    ]);
  });

  it('keeps public channels searchable for members who never joined, archived ones included', async () => {
    const archive = await channel('old-project', 'public', 'eu');
    await post(owner, archive, 'papaya retrospective');
    expect((await owner.post(`/api/v1/channels/${archive}/archive`)).status).toBeLessThan(300);
    const res = await search(bob, 'papaya');
    expect(texts(res)).toEqual(['papaya retrospective']);
    expect(res.body.results[0].channel).toMatchObject({ name: 'old-project', archived: true, region: 'eu' });
  });
});
