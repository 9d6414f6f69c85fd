import { connect } from 'node:net';
import type { RunningServer } from '@enclave/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';

// CI always provides NATS (.ci/run starts it and sets TEST_NATS_URL); a
// developer machine without it skips this file rather than failing.
const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const natsUp = await new Promise<boolean>((resolve) => {
  const u = new URL(NATS_URL.replace(/^nats:/, 'http:'));
  const s = connect(Number(u.port || 4222), u.hostname);
  s.once('connect', () => {
    s.destroy();
    resolve(true);
  });
  s.once('error', () => resolve(false));
});
if (process.env.TEST_NATS_URL && !natsUp)
  throw new Error(`TEST_NATS_URL is set but ${NATS_URL} is unreachable`);

describe.skipIf(!natsUp)('two server nodes sharing NATS', () => {
  let t: TestServer;
  let nodeB: RunningServer;

  beforeAll(async () => {
    // A fresh subject namespace is not needed: each node only forwards to its own sockets,
    // and other test servers' events name channels this test never subscribes to.
    t = await startTestServer({ natsUrl: NATS_URL });
    nodeB = await t.peer();
  });
  afterAll(async () => {
    await nodeB?.stop();
    await t?.stop();
  });

  it('RT-19 delivers a message sent through node A to a member connected to node B, then resumes on A', async () => {
    const { owner, workspaceId, generalId } = await t.setupOwner();
    const bob = await t.user(workspaceId, { name: 'Bob' });
    await bob.post(`/api/v1/channels/${generalId}/join`);
    // Bob's session works on either node: sessions live in the shared directory.
    const bobOnB = new ApiClient(nodeB.url);
    bobOnB.cookie = bob.cookie;
    bobOnB.csrfToken = bob.csrfToken;
    bobOnB.userId = bob.userId;
    const ws = await bobOnB.connect();
    const sent = await owner.post(`/api/v1/channels/${generalId}/messages`, {
      clientMsgId: 'mn-1',
      text: 'across nodes',
    });
    const got = await ws.next((f) => f.type === 'event' && f.event.type === 'message.created');
    expect(got.event.message.id).toBe(sent.body.message.id);
    ws.close();
    await ws.closed();
    // While away, more messages; reconnecting to the other node replays exactly those.
    const later = (
      await owner.post(`/api/v1/channels/${generalId}/messages`, { clientMsgId: 'mn-2', text: 'later' })
    ).body.message.seq;
    const again = await bob.connect({ [generalId]: got.seq });
    expect(again.events(generalId).map((f) => f.seq)).toEqual([later]);
    again.close();
  });
});
