import { type Kysely, sql } from 'kysely';

// The directory: identities, workspaces and the channel routing table. It holds
// no message content; each channel's content lives in its region's database.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      email text,
      display_name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('human', 'bot')),
      password_hash text,
      instance_role text NOT NULL DEFAULT 'user' CHECK (instance_role IN ('admin', 'user')),
      created_at timestamptz NOT NULL DEFAULT now(),
      deactivated_at timestamptz
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      token_hash bytea NOT NULL UNIQUE,
      user_id uuid NOT NULL REFERENCES users (id),
      csrf_token text NOT NULL,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

    CREATE TABLE access_tokens (
      id uuid PRIMARY KEY,
      token_hash bytea NOT NULL UNIQUE,
      user_id uuid NOT NULL REFERENCES users (id),
      kind text NOT NULL CHECK (kind IN ('personal', 'bot')),
      name text NOT NULL,
      scopes text[] NOT NULL,
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX access_tokens_user_idx ON access_tokens (user_id) WHERE revoked_at IS NULL;

    CREATE TABLE setup_tokens (
      token_hash bytea PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz
    );

    CREATE TABLE workspaces (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      home_region text NOT NULL,
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE workspace_members (
      workspace_id uuid NOT NULL REFERENCES workspaces (id),
      user_id uuid NOT NULL REFERENCES users (id),
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
      joined_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, user_id)
    );
    CREATE INDEX workspace_members_user_idx ON workspace_members (user_id);

    CREATE TABLE invitations (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL REFERENCES workspaces (id),
      token_hash bytea NOT NULL UNIQUE,
      role text NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      max_uses integer NOT NULL,
      uses integer NOT NULL DEFAULT 0,
      revoked_at timestamptz
    );

    -- Routing only: which region holds a channel. Names and topics are content and
    -- live in the region; name_key (a digest of the normalised name) and dm_key
    -- (the sorted member ids) only enforce uniqueness across regions.
    CREATE TABLE channels (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL REFERENCES workspaces (id),
      region text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('public', 'private', 'dm', 'group_dm')),
      name_key text,
      dm_key text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX channels_name_key ON channels (workspace_id, name_key) WHERE name_key IS NOT NULL;
    CREATE UNIQUE INDEX channels_dm_key ON channels (workspace_id, dm_key) WHERE dm_key IS NOT NULL;
    CREATE INDEX channels_workspace_idx ON channels (workspace_id, region);

    -- Membership changes, role changes, sign-ins and revocations. Issue 4 turns this
    -- into the hash-chained log; until then it is append-only by convention.
    CREATE TABLE audit_events (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      workspace_id uuid,
      details jsonb NOT NULL DEFAULT '{}'
    );
  `.execute(db);
}
