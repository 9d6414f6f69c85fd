import { type Kysely, sql } from 'kysely';

// A region's content database: everything people wrote or did inside channels
// of this region. Nothing here is ever copied to another region.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE channels (
      id uuid PRIMARY KEY,
      workspace_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('public', 'private', 'dm', 'group_dm')),
      name text NOT NULL,
      topic text NOT NULL DEFAULT '',
      purpose text NOT NULL DEFAULT '',
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      -- One gap-free counter per channel numbers its events; a message's seq is
      -- the seq of the event that created it.
      last_seq bigint NOT NULL DEFAULT 0,
      member_count integer NOT NULL DEFAULT 0
    );
    CREATE INDEX channels_workspace_idx ON channels (workspace_id, kind);

    CREATE TABLE channel_members (
      channel_id uuid NOT NULL REFERENCES channels (id),
      user_id uuid NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
      joined_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, user_id)
    );
    CREATE INDEX channel_members_user_idx ON channel_members (user_id);

    CREATE TABLE messages (
      id uuid PRIMARY KEY,
      channel_id uuid NOT NULL REFERENCES channels (id),
      seq bigint NOT NULL,
      author_id uuid NOT NULL,
      client_msg_id text NOT NULL,
      text text NOT NULL,
      thread_root_id uuid REFERENCES messages (id),
      reply_count integer NOT NULL DEFAULT 0,
      last_reply_at timestamptz,
      mention_user_ids uuid[] NOT NULL DEFAULT '{}',
      mentions_channel boolean NOT NULL DEFAULT false,
      mentions_here boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_at timestamptz,
      deleted_at timestamptz,
      search tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
      UNIQUE (channel_id, seq),
      UNIQUE (channel_id, author_id, client_msg_id)
    );
    CREATE INDEX messages_thread_idx ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL;
    CREATE INDEX messages_search_idx ON messages USING gin (search);
    CREATE INDEX messages_trgm_idx ON messages USING gin (text gin_trgm_ops);
    CREATE INDEX messages_author_idx ON messages (author_id, created_at);

    CREATE TABLE message_edits (
      id bigserial PRIMARY KEY,
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      text text NOT NULL,
      editor_id uuid NOT NULL,
      edited_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX message_edits_message_idx ON message_edits (message_id, id);

    CREATE TABLE reactions (
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      emoji text NOT NULL,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (message_id, emoji, user_id)
    );

    CREATE TABLE mentions (
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      channel_id uuid NOT NULL,
      user_id uuid NOT NULL,
      seq bigint NOT NULL,
      PRIMARY KEY (message_id, user_id)
    );
    CREATE INDEX mentions_user_idx ON mentions (user_id, channel_id, seq);

    CREATE TABLE pins (
      message_id uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
      channel_id uuid NOT NULL,
      pinned_by uuid NOT NULL,
      pinned_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX pins_channel_idx ON pins (channel_id, pinned_at);

    CREATE TABLE thread_follows (
      root_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      channel_id uuid NOT NULL,
      following boolean NOT NULL,
      last_read_seq bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (root_id, user_id)
    );
    CREATE INDEX thread_follows_user_idx ON thread_follows (user_id) WHERE following;

    CREATE TABLE read_states (
      channel_id uuid NOT NULL REFERENCES channels (id),
      user_id uuid NOT NULL,
      last_read_seq bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, user_id)
    );

    -- The durable event log a reconnecting client resumes from.
    CREATE TABLE channel_events (
      channel_id uuid NOT NULL REFERENCES channels (id),
      seq bigint NOT NULL,
      type text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, seq)
    );

    CREATE TABLE audit_events (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      channel_id uuid,
      details jsonb NOT NULL DEFAULT '{}'
    );
  `.execute(db);
}
