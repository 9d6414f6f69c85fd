import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type HttpClient, inParallel } from './http.ts';

// Seeds the bench workspace. First-run setup, channel creation and channel
// membership go through the public HTTP API. The 1,000 accounts do not:
//
//   BENCH FIXTURE (direct SQL): users, workspace memberships and personal
//   access tokens are inserted straight into the directory database, because
//   creating accounts through the API needs invitations, which are not built
//   yet. The rows are exactly what the server itself writes for a human user
//   with a 'personal' token scoped {read,write} (token_hash = SHA-256 of the
//   secret, as packages/server/src/lib/secrets.ts does). Replace this with
//   invitation links once they land.

// biome-ignore lint/suspicious/noExplicitAny: raw rows from pg
export type SqlRunner = (text: string, values?: unknown[]) => Promise<{ rows: any[] }>;

export interface BenchUser {
  id: string;
  /** Bearer secret (enc_pat_...): kept in memory only, never printed or written to results. */
  token: string;
}

export interface BenchChannel {
  id: string;
  /** Indexes into `users`; the first one created the channel. */
  members: number[];
}

export interface Fixture {
  workspaceId: string;
  users: BenchUser[];
  channels: BenchChannel[];
}

export interface FixtureOptions {
  users: number;
  channels: number;
  /** How many HTTP calls run at once while seeding. */
  concurrency?: number;
}

/** Completes first-run setup with the one-time link the server printed, and returns the new workspace id. */
export async function completeSetup(client: HttpClient, setupUrl: string): Promise<string> {
  const token = new URL(setupUrl).searchParams.get('token');
  if (!token) throw new Error('the setup link carries no token');
  const res = await client.expect(
    [201],
    'POST',
    '/api/v1/setup',
    {},
    {
      token,
      email: 'bench-owner@example.com',
      password: randomBytes(18).toString('base64url'),
      displayName: 'Bench Owner',
      workspaceName: 'Realtime Bench',
    },
  );
  const setCookie = res.headers['set-cookie']?.[0];
  if (!setCookie) throw new Error('setup answered without a session cookie');
  const cookie = setCookie.split(';')[0]!;
  const list = await client.expect([200], 'GET', '/api/v1/workspaces', { cookie });
  return list.body.workspaces[0].id as string;
}

/** BENCH FIXTURE: inserts `count` users with workspace memberships and personal access tokens (see the file comment). */
export async function insertBenchUsers(
  sql: SqlRunner,
  workspaceId: string,
  count: number,
): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i++)
    users.push({ id: randomUUID(), token: `enc_pat_${randomBytes(32).toString('base64url')}` });
  const ids = users.map((u) => u.id);
  const tag = randomBytes(4).toString('hex');
  await sql(
    `INSERT INTO users (id, email, display_name, kind, password_hash, instance_role)
     SELECT id, 'bench-' || $2 || '-' || n || '@example.com', 'Bench User ' || n, 'human', NULL, 'user'
     FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [ids, tag],
  );
  await sql(
    `INSERT INTO workspace_members (workspace_id, user_id, role) SELECT $1, id, 'member' FROM unnest($2::uuid[]) AS t(id)`,
    [workspaceId, ids],
  );
  const hashes = users.map((u) => createHash('sha256').update(u.token).digest());
  await sql(
    `INSERT INTO access_tokens (id, token_hash, user_id, kind, name, scopes, created_by)
     SELECT gen_random_uuid(), h, id, 'personal', 'realtime bench', '{read,write}', id
     FROM unnest($1::uuid[], $2::bytea[]) AS t(id, h)`,
    [ids, hashes],
  );
  return users;
}

/**
 * Creates `channels` public channels of users/channels members each, through the API:
 * the first member of each group creates it (becoming its owner) and adds the rest.
 */
export async function createBenchChannels(
  client: HttpClient,
  workspaceId: string,
  users: BenchUser[],
  channels: number,
  concurrency = 8,
): Promise<BenchChannel[]> {
  if (users.length % channels !== 0)
    throw new Error(`--users (${users.length}) must be a multiple of --channels (${channels})`);
  const size = users.length / channels;
  const runTag = randomBytes(3).toString('hex');
  const groups = Array.from({ length: channels }, (_, c) =>
    Array.from({ length: size }, (_, k) => c * size + k),
  );
  return inParallel(groups, concurrency, async (members, c) => {
    const creator = users[members[0]!]!;
    const res = await client.expect(
      [201],
      'POST',
      `/api/v1/workspaces/${workspaceId}/channels`,
      { bearer: creator.token },
      {
        name: `bench-${runTag}-${c}`,
        kind: 'public',
      },
    );
    const id = res.body.channel.id as string;
    const rest = members.slice(1).map((i) => users[i]!.id);
    for (let i = 0; i < rest.length; i += 100) {
      await client.expect(
        [200],
        'POST',
        `/api/v1/channels/${id}/members`,
        { bearer: creator.token },
        { userIds: rest.slice(i, i + 100) },
      );
    }
    return { id, members };
  });
}

/** Setup (API) + users (SQL fixture) + channels (API). */
export async function seed(
  client: HttpClient,
  sql: SqlRunner,
  setupUrl: string,
  opts: FixtureOptions,
): Promise<Fixture> {
  const workspaceId = await completeSetup(client, setupUrl);
  const users = await insertBenchUsers(sql, workspaceId, opts.users);
  const channels = await createBenchChannels(client, workspaceId, users, opts.channels, opts.concurrency);
  return { workspaceId, users, channels };
}
