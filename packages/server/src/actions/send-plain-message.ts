import { escapeUserText, type Message } from '@enclave/protocol';
import { sql } from 'kysely';
import { isUniqueViolation } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { presentMessage } from '../presenters/messages.ts';
import type { Services } from '../services.ts';
import type { ParsedMentions } from './mentions.ts';

/**
 * The common send — a root message that mentions no one by id — as ONE SQL
 * statement: take the channel's next seq, insert the message, store its event
 * and advance the author's read state. A single statement is atomic on its
 * own, so there is no BEGIN/COMMIT and one round trip instead of six; this is
 * the hot path of every chat (see bench/results). Replies and user mentions
 * take the general path in messages.ts.
 *
 * It also carries the post's access check (the author is a member, the channel
 * is not archived, its label's rules admit the author), so with the cached
 * directory route a send costs one round trip. Returns null when nothing was written — not a member, archived, or the
 * client id already used (a retry) — and the caller then runs the full access
 * check and the general path, which answer precisely.
 */
export async function sendPlainMessage(
  services: Services,
  actorId: string,
  /** admittedLabels: labels whose rules admit the author (FE-5); null = every label does. */
  target: { channelId: string; region: string; admittedLabels: string[] | null },
  input: { clientMsgId: string; text: string },
  mentions: ParsedMentions,
): Promise<Message | null> {
  const { region } = target;
  const channel = { id: target.channelId };
  const createdAt = new Date();
  // Typed look-alikes of vault tokens are neutralised: only the vault writes tokens (VA-8).
  const text = escapeUserText(input.text);
  const message = presentMessage({
    id: newId(),
    channel_id: channel.id,
    seq: 0,
    author_id: actorId,
    client_msg_id: input.clientMsgId,
    text,
    thread_root_id: null,
    reply_count: 0,
    last_reply_at: null,
    mention_user_ids: [],
    mentions_channel: mentions.channel,
    mentions_here: mentions.here,
    created_at: createdAt,
    edited_at: null,
    deleted_at: null,
  });
  const payload = JSON.stringify({ type: 'message.created', message });
  let row: { seq: number; workspace_id: string } | undefined;
  try {
    const { rows } = await sql<{ seq: number; workspace_id: string }>`
      WITH s AS (
        UPDATE channels SET last_seq = last_seq + 1
        WHERE id = ${channel.id} AND archived_at IS NULL
          -- The access check of a post, inside the write: only members post.
          AND EXISTS (SELECT 1 FROM channel_members WHERE channel_id = ${channel.id} AND user_id = ${actorId})
          -- ... and the channel's label still admits them (FE-5).
          AND (${target.admittedLabels === null} OR label = ANY(${target.admittedLabels ?? []}::text[]))
          AND NOT EXISTS (
            SELECT 1 FROM messages
            WHERE channel_id = ${channel.id} AND author_id = ${actorId} AND client_msg_id = ${input.clientMsgId}
          )
        RETURNING last_seq, workspace_id
      ), m AS (
        INSERT INTO messages (id, channel_id, seq, author_id, client_msg_id, text, mentions_channel, mentions_here, created_at)
        SELECT ${message.id}, ${channel.id}, s.last_seq, ${actorId}, ${input.clientMsgId}, ${text},
               ${mentions.channel}, ${mentions.here}, ${createdAt}
        FROM s
        RETURNING seq, (SELECT workspace_id FROM s) AS workspace_id
      ), e AS (
        INSERT INTO channel_events (channel_id, seq, type, payload, created_at)
        SELECT ${channel.id}, m.seq, 'message.created', jsonb_set(${payload}::jsonb, '{message,seq}', to_jsonb(m.seq)), ${createdAt}
        FROM m
      ), r AS (
        -- Posting reads the channel up to one's own message, as in Slack.
        INSERT INTO read_states (channel_id, user_id, last_read_seq, updated_at)
        SELECT ${channel.id}, ${actorId}, m.seq, ${createdAt} FROM m
        ON CONFLICT (channel_id, user_id) DO UPDATE
          SET last_read_seq = excluded.last_read_seq, updated_at = excluded.updated_at
          WHERE read_states.last_read_seq < excluded.last_read_seq
      )
      SELECT seq, workspace_id FROM m`.execute(services.stores.region(region));
    row = rows[0];
  } catch (err) {
    // Two identical sends at the same instant: the unique constraint decides, the statement undoes itself.
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  if (!row) return null;
  const { seq } = row;
  message.seq = seq;
  // No read_state.updated frame: RT-12 — a client applies "my own root message marks the
  // channel read up to it" from the message.created it receives, saving a frame per send.
  services.bus.publish([
    {
      kind: 'channel',
      region,
      workspaceId: row.workspace_id,
      channelId: channel.id,
      seq,
      event: { type: 'message.created', message },
    },
  ]);
  return message;
}
