import { closeAll, connectAll } from './clients.ts';
import type { Fixture } from './fixture.ts';
import { rssBytes } from './proc.ts';

// Memory per idle connection: RSS of the server before and after opening
// `count` authenticated, resumed connections that then sit idle (no traffic
// but the server's heartbeat pings). Spread round-robin over the fixture's
// users, so each connection is subscribed to its user's channel like a real one.

export interface IdleResult {
  connections: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerConnection: number;
  connectSec: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureIdle(
  baseUrl: string,
  fixture: Fixture,
  serverPid: number,
  count: number,
  settleMs = 3000,
): Promise<IdleResult> {
  const entry = (i: number) => ({
    token: fixture.users[i % fixture.users.length]!.token,
    userIndex: i % fixture.users.length,
  });
  // Warm the accept path (JIT, database pools) so its one-off cost is not booked to the idle connections.
  const warm = await connectAll(
    Array.from({ length: Math.min(50, count) }, (_, i) => entry(i)),
    baseUrl,
  );
  await closeAll(warm);
  await sleep(settleMs);
  const before = rssBytes(serverPid);
  const t0 = Date.now();
  const sockets = await connectAll(
    Array.from({ length: count }, (_, i) => entry(i)),
    baseUrl,
  );
  const connectSec = (Date.now() - t0) / 1000;
  await sleep(settleMs);
  const after = rssBytes(serverPid);
  await closeAll(sockets);
  if (before === null || after === null)
    throw new Error('the server process went away during the idle phase');
  return {
    connections: count,
    rssBeforeBytes: before,
    rssAfterBytes: after,
    bytesPerConnection: (after - before) / count,
    connectSec,
  };
}
