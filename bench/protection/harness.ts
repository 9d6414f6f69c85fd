import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RunningServer } from '@enclave/server';
import { CompiledQuery } from 'kysely';
import { type BenchUser, completeSetup, insertBenchUsers } from '../realtime/fixture.ts';
import { HttpClient } from '../realtime/http.ts';
import { personalText, plainText } from './texts.ts';

// Seeding and the measured send loop, shared by run.ts and smoke.test.ts. The
// server runs in this process, so besides the client-observed latency we can
// read the server's own time per request from node's http server without
// touching production code: a 'request' listener placed before Fastify's and
// the response's 'finish' event (headers parsed -> last byte handed to the kernel).

export interface Seeded {
  client: HttpClient;
  workspaceId: string;
  /** users[0] sends; users[1] is the member the general-path variants mention. */
  users: BenchUser[];
  channelId: string;
  label: string;
}

/** Setup (API), two accounts with bearer tokens (the realtime bench's SQL fixture), one public channel (API). */
export async function seed(server: RunningServer): Promise<Seeded> {
  if (!server.setupUrl) throw new Error('the server has accounts already: the bench needs a fresh database');
  const client = new HttpClient(server.url, 4);
  const workspaceId = await completeSetup(client, server.setupUrl);
  const directory = server.app.services.stores.directory;
  const users = await insertBenchUsers(
    (text, values) => directory.executeQuery(CompiledQuery.raw(text, values ?? [])),
    workspaceId,
    2,
  );
  const created = await client.expect(
    [201],
    'POST',
    `/api/v1/workspaces/${workspaceId}/channels`,
    { bearer: users[0]!.token },
    { name: `protection-bench-${Date.now().toString(36)}`, kind: 'public' },
  );
  const channelId = created.body.channel.id as string;
  await client.expect(
    [200],
    'POST',
    `/api/v1/channels/${channelId}/members`,
    { bearer: users[0]!.token },
    { userIds: [users[1]!.id] },
  );
  return { client, workspaceId, users, channelId, label: created.body.channel.label as string };
}

/**
 * The kinds a run interleaves. A and B are the two messages; A@ and B@
 * are the same texts opening with a mention of a channel member, which sends
 * both down the general path (a user mention skips the single-statement plain
 * send), so B@ − A@ is the protection cost alone.
 */
export const KINDS = ['A', 'B', 'A@', 'B@'] as const;
export type Kind = (typeof KINDS)[number];

export interface Sample {
  kind: Kind;
  clientMs: number;
  serverMs: number;
}

/**
 * Times each message send on the server side. Sends are sequential, so the one
 * POST to the messages path in flight is the one the sender is waiting for.
 */
export function serverClock(server: RunningServer, channelId: string) {
  const path = `/api/v1/channels/${channelId}/messages`;
  let last: number | null = null;
  const http = server.app.http.server;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== path) return;
    const t0 = performance.now();
    res.once('finish', () => {
      last = performance.now() - t0;
    });
  };
  http.prependListener('request', onRequest);
  return {
    /** The server time of the request just answered ('finish' may run a tick after the client has read the answer). */
    async take(): Promise<number> {
      for (let i = 0; last === null && i < 10; i++) await new Promise((r) => setImmediate(r));
      const v = last ?? Number.NaN;
      last = null;
      return v;
    },
    stop: () => void http.off('request', onRequest),
  };
}

let sendCounter = 0;
/** Distinct numbers for distinct personal values across every round of one process. */
function nextN(): number {
  return ++sendCounter;
}

export interface SentCheck {
  kind: Kind;
  values?: string[];
  stored: string;
  action: string | null;
  findings: number;
}

/**
 * Sends `perKind` messages of each kind, sequentially over one keep-alive
 * connection, the kinds shuffled within each block of four so neither time
 * drift nor ordering favours one kind. Every answer is checked (201; B kinds
 * tokenised with three findings, A kinds without protection) after its timing.
 */
export async function sendRound(
  s: Seeded,
  clock: ReturnType<typeof serverClock>,
  perKind: number,
  onSent?: (c: SentCheck) => void,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const mention = `<@${s.users[1]!.id}>`;
  const path = `/api/v1/channels/${s.channelId}/messages`;
  for (let i = 0; i < perKind; i++) {
    const order = [...KINDS].sort(() => Math.random() - 0.5);
    for (const kind of order) {
      const n = nextN();
      const withMention = kind.endsWith('@') ? mention : undefined;
      let text: string;
      let values: string[] | undefined;
      if (kind.startsWith('A')) text = plainText(n, withMention);
      else {
        const p = personalText(n, withMention);
        text = p.text;
        values = [p.values.email, p.values.phone, p.values.ip];
      }
      const key = `${process.pid}-${n}`;
      const t0 = performance.now();
      const res = await s.client.request(
        'POST',
        path,
        { bearer: s.users[0]!.token },
        { clientMsgId: `pb-${key}`, text },
      );
      const clientMs = performance.now() - t0;
      if (res.status !== 201)
        throw new Error(`send ${kind} answered ${res.status} ${res.body?.error?.code ?? ''}`);
      const action = res.body.protection?.action ?? null;
      const findings = res.body.protection?.findings?.length ?? 0;
      const wantTokenised = kind.startsWith('B');
      if (wantTokenised ? action !== 'tokenise' || findings !== 3 : action !== null)
        throw new Error(
          `send ${kind}: expected ${wantTokenised ? 'tokenise x3' : 'no findings'}, got ${action} x${findings}`,
        );
      samples.push({ kind, clientMs, serverMs: await clock.take() });
      onSent?.({
        kind,
        stored: res.body.message.text as string,
        action,
        findings,
        ...(values && { values }),
      });
    }
  }
  return samples;
}
