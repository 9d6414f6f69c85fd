import type { Message } from '@enclave/protocol';
import { type Kysely, sql } from 'kysely';
import { type ChannelAccess, canManage } from '../access/channels.ts';
import { auditRegion } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { loadExtras, MESSAGE_COLUMNS, type MessageRow, presentMessage } from '../presenters/messages.ts';
import { type Confirmation, screenContent } from '../protection/screen.ts';
import { deleteMessageValues, vaultFindings } from '../protection/vault/index.ts';
import type { Services } from '../services.ts';
import type { RegionDB } from '../store/tables.ts';
import { mentionedMembers, parseMentions } from './mentions.ts';
import { checkText } from './messages.ts';
import { auditDecision, sameSubmission, targetOf } from './screening.ts';
import { appendEvent, inRegionTx } from './transaction.ts';

/**
 * Loads a message of the channel for a change. Takes the channel row lock first,
 * the same order a send takes (channel seq, then the thread root), so a reply
 * and a reaction on its root cannot deadlock; changes to one channel apply one
 * after the other, as their seqs do anyway.
 */
export async function lockMessage(
  db: Kysely<RegionDB>,
  channelId: string,
  messageId: string,
): Promise<MessageRow> {
  await db.selectFrom('channels').select('id').where('id', '=', channelId).forUpdate().execute();
  const row = await db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('id', '=', messageId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (!row) throw new AppError('MESSAGE_NOT_FOUND');
  return row;
}

/** A message as clients see it, with its reactions and pin. */
export async function presentWithExtras(db: Kysely<RegionDB>, row: MessageRow): Promise<Message> {
  return presentMessage(row, await loadExtras(db, [row.id]));
}

/**
 * Edits a message's text (its author only). The replaced text goes to
 * message_edits, so the history can be shown; mentions are parsed again and
 * the mention records follow the new text.
 */
export async function editMessage(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  messageId: string,
  submitted: string,
  confirmation?: Confirmation,
): Promise<Message> {
  checkText(submitted);
  const { channel, region } = access;
  // An edit is content like a send: scan -> decide before anything is written.
  const screened = await screenContent(services, targetOf(access), actorId, submitted, confirmation);
  return inRegionTx(services, region, async (tx) => {
    const old = await lockMessage(tx.db, channel.id, messageId);
    if (old.deleted_at) throw new AppError('MESSAGE_DELETED');
    if (old.author_id !== actorId) throw new AppError('FORBIDDEN', 'Only the author can edit a message.');
    // Saving the same text is not an edit: no history row, no event.
    if (sameSubmission(old.text, submitted, screened.toTokenise) && !screened.toTokenise.length) {
      return presentWithExtras(tx.db, old);
    }
    const vaulted = await vaultFindings(tx, {
      keys: services.vault.keys,
      channelId: channel.id,
      messageId: old.id,
      text: submitted,
      findings: screened.toTokenise,
    });
    const text = vaulted.text;

    const mentions = parseMentions(text);
    const mentioned = await mentionedMembers(tx.db, channel.id, mentions);
    const now = new Date();
    await tx.db
      .insertInto('message_edits')
      .values({ message_id: old.id, text: old.text, editor_id: actorId, edited_at: now })
      .execute();
    const row = await tx.db
      .updateTable('messages')
      .set({
        text,
        edited_at: now,
        mention_user_ids: mentioned,
        mentions_channel: mentions.channel,
        mentions_here: mentions.here,
      })
      .where('id', '=', old.id)
      .returning(MESSAGE_COLUMNS)
      .executeTakeFirstOrThrow();
    // Mention records keep the message's seq: read state compares against where the message sits.
    await tx.db.deleteFrom('mentions').where('message_id', '=', old.id).execute();
    const notified = mentioned.filter((u) => u !== actorId);
    if (notified.length) {
      await tx.db
        .insertInto('mentions')
        .values(
          notified.map((user_id) => ({ message_id: old.id, channel_id: channel.id, user_id, seq: old.seq })),
        )
        .execute();
    }
    const message = await presentWithExtras(tx.db, row);
    await appendEvent(tx, channel, { type: 'message.updated', message });
    await auditDecision(tx, actorId, channel.id, old.id, screened, vaulted.tokens.length);
    await auditRegion(tx.db, {
      actorId,
      action: 'message.edited',
      targetType: 'message',
      targetId: old.id,
      channelId: channel.id,
    });
    return message;
  });
}

/** Earlier versions of a message, oldest first (the current text is the message itself). */
export async function editHistory(services: Services, access: ChannelAccess, messageId: string) {
  const db = services.stores.region(access.region);
  const msg = await db
    .selectFrom('messages')
    .select(['id', 'deleted_at', 'thread_root_id', 'reply_count'])
    .where('id', '=', messageId)
    .where('channel_id', '=', access.channel.id)
    .executeTakeFirst();
  if (!msg || (msg.deleted_at && msg.reply_count === 0)) throw new AppError('MESSAGE_NOT_FOUND');
  const rows = await db
    .selectFrom('message_edits')
    .select(['text', 'editor_id', 'edited_at'])
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ text: r.text, editorId: r.editor_id, editedAt: r.edited_at.toISOString() }));
}

/**
 * Deletes a message: its author, or whoever manages the channel. The row stays
 * as a tombstone (a deleted thread root still anchors its replies), but its text
 * leaves every place it was copied to: edit history, mention records, reactions,
 * pins, the search vector and the stored event log a reconnecting client replays.
 */
export async function deleteMessage(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  messageId: string,
): Promise<void> {
  const { channel, region } = access;
  if (channel.archived_at) throw new AppError('CHANNEL_ARCHIVED');
  await inRegionTx(services, region, async (tx) => {
    const msg = await lockMessage(tx.db, channel.id, messageId);
    const isAuthor = msg.author_id === actorId;
    if (!(isAuthor && access.membership) && !canManage(access)) {
      if (isAuthor) throw new AppError('NOT_CHANNEL_MEMBER');
      throw new AppError(
        'FORBIDDEN',
        'Only the author or a channel or workspace admin can delete this message.',
      );
    }
    // Deleting twice is not an error, and says nothing the first delete did not.
    if (msg.deleted_at) return;

    await tx.db
      .updateTable('messages')
      .set({
        text: '',
        deleted_at: new Date(),
        mention_user_ids: [],
        mentions_channel: false,
        mentions_here: false,
      })
      .where('id', '=', msg.id)
      .execute();
    for (const table of ['message_edits', 'reactions', 'pins', 'mentions'] as const) {
      await tx.db.deleteFrom(table).where('message_id', '=', msg.id).execute();
    }
    // The message's vaulted values go with it (their tokens appear nowhere any more).
    await deleteMessageValues(tx, msg.id);
    await scrubEventLog(tx.db, channel.id, msg);
    await appendEvent(tx, channel, {
      type: 'message.deleted',
      messageId: msg.id,
      threadRootId: msg.thread_root_id,
    });

    if (msg.thread_root_id) {
      // The root counts live replies only; its last reply time falls back to the newest one left.
      const root = await tx.db
        .updateTable('messages')
        .set({
          reply_count: sql`reply_count - 1`,
          last_reply_at: sql`(SELECT max(created_at) FROM messages WHERE thread_root_id = ${msg.thread_root_id} AND deleted_at IS NULL)`,
        })
        .where('id', '=', msg.thread_root_id)
        .returning(['id', 'reply_count', 'last_reply_at'])
        .executeTakeFirstOrThrow();
      await appendEvent(tx, channel, {
        type: 'thread.updated',
        rootId: root.id,
        replyCount: root.reply_count,
        lastReplyAt: root.last_reply_at?.toISOString() ?? null,
      });
    }
    await auditRegion(tx.db, {
      actorId,
      action: 'message.deleted',
      targetType: 'message',
      targetId: msg.id,
      channelId: channel.id,
      details: { authorId: msg.author_id, byAuthor: isAuthor },
    });
  });
}

/**
 * Rewrites the stored message.created / message.updated events of a deleted
 * message to the tombstone, so replay can never hand its text out again.
 * They sit at or after the message's own seq.
 */
async function scrubEventLog(db: Kysely<RegionDB>, channelId: string, msg: MessageRow): Promise<void> {
  const tombstone = presentMessage({
    ...msg,
    text: '',
    deleted_at: new Date(),
    mention_user_ids: [],
    mentions_channel: false,
    mentions_here: false,
  });
  await db
    .updateTable('channel_events')
    .set({ payload: sql`jsonb_set(payload, '{message}', ${JSON.stringify(tombstone)}::jsonb)` })
    .where('channel_id', '=', channelId)
    .where('seq', '>=', msg.seq)
    .where('type', 'in', ['message.created', 'message.updated'])
    .where(sql<boolean>`payload->'message'->>'id' = ${msg.id}`)
    .execute();
}
