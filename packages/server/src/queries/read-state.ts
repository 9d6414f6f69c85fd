import type { ReadState } from '@enclave/protocol';
import { type Kysely, sql } from 'kysely';
import type { Services } from '../services.ts';
import type { RegionDB } from '../store/tables.ts';

interface ReadStateRow {
  channel_id: string;
  last_read_seq: string | number;
  unread: string | number;
  mentions: string | number;
}

/**
 * Read states of the user's channels in one region, limited to one workspace
 * or one channel. Counted from what is after the user's last read seq:
 * - unread: live root messages by others (replies count in their thread instead);
 * - mentions: live messages (roots or replies) by others that name the user
 *   (a mention record) or the whole channel (@channel, @here), each counted once.
 * What was there when the user joined counts as read (as in Slack and
 * Mattermost): joining a busy channel, or coming back to one, does not bury
 * the user under its history.
 */
export async function readStatesIn(
  db: Kysely<RegionDB>,
  userId: string,
  scope: { workspaceId: string } | { channelId: string },
): Promise<ReadState[]> {
  const where =
    'workspaceId' in scope ? sql`c.workspace_id = ${scope.workspaceId}` : sql`c.id = ${scope.channelId}`;
  const { rows } = await sql<ReadStateRow>`
    SELECT cm.channel_id,
           pos.last_read_seq,
           (SELECT count(*) FROM messages m
             WHERE m.channel_id = cm.channel_id AND m.seq > pos.last_read_seq
               AND m.thread_root_id IS NULL AND m.deleted_at IS NULL AND m.author_id <> ${userId}) AS unread,
           (SELECT count(*) FROM messages m
             WHERE m.channel_id = cm.channel_id AND m.seq > pos.last_read_seq
               AND m.deleted_at IS NULL AND m.author_id <> ${userId}
               AND (m.mentions_channel OR m.mentions_here
                    OR EXISTS (SELECT 1 FROM mentions mn WHERE mn.message_id = m.id AND mn.user_id = ${userId}))) AS mentions
      FROM channel_members cm
      JOIN channels c ON c.id = cm.channel_id
      LEFT JOIN read_states rs ON rs.channel_id = cm.channel_id AND rs.user_id = cm.user_id
      CROSS JOIN LATERAL (
        SELECT greatest(
                 coalesce(rs.last_read_seq, 0),
                 coalesce((SELECT max(j.seq) FROM messages j
                            WHERE j.channel_id = cm.channel_id AND j.deleted_at IS NULL AND j.created_at <= cm.joined_at), 0)
               ) AS last_read_seq
      ) pos
     WHERE cm.user_id = ${userId} AND ${where}
     ORDER BY cm.channel_id`.execute(db);
  return rows.map((r) => ({
    channelId: r.channel_id,
    lastReadSeq: Number(r.last_read_seq),
    unreadCount: Number(r.unread),
    mentionCount: Number(r.mentions),
  }));
}

/** The user's read state of every channel they are in, in every region of the workspace. */
export async function workspaceReadStates(
  services: Services,
  userId: string,
  workspaceId: string,
): Promise<ReadState[]> {
  const perRegion = await Promise.all(
    services.stores.allRegions().map((r) => readStatesIn(r.db, userId, { workspaceId })),
  );
  return perRegion.flat().sort((a, b) => a.channelId.localeCompare(b.channelId));
}
