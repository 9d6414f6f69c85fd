import type { Finding } from '@enclave/pii';
import { MAX_MESSAGE_LENGTH, type Message, type QuarantineItem } from '@enclave/protocol';
import { sql } from 'kysely';
import type { ChannelAccess } from '../access/channels.ts';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { loadExtras, MESSAGE_COLUMNS, type MessageRow, presentMessage } from '../presenters/messages.ts';
import {
  type Confirmation,
  detector,
  type Screened,
  type ScreenOptions,
  screenContent,
} from '../protection/screen.ts';
import { vaultFindings } from '../protection/vault/index.ts';
import type { Services } from '../services.ts';
import { mentionedMembers, parseMentions } from './mentions.ts';
import { holdMessage } from './quarantine.ts';
import { auditDecision, type Protection, protectionOf, sameSubmission, targetOf } from './screening.ts';
import { sendPlainMessage } from './send-plain-message.ts';
import { appendEvent, inRegionTx, nextSeq, type RegionTx, recordEvent } from './transaction.ts';

/** Whether checkText would accept the text (without throwing). */
export function isSendableText(text: string): boolean {
  return text.length <= MAX_MESSAGE_LENGTH && text.trim().length > 0;
}

export function checkText(text: string): void {
  if (text.trim().length === 0) throw new AppError('MESSAGE_EMPTY');
  if (text.length > MAX_MESSAGE_LENGTH) {
    throw new AppError('MESSAGE_TOO_LONG', `A message can be at most ${MAX_MESSAGE_LENGTH} characters.`, {
      details: { maxLength: MAX_MESSAGE_LENGTH, length: text.length },
    });
  }
}

class DuplicateSend extends Error {}

export interface SendInput {
  clientMsgId: string;
  text: string;
  threadRootId?: string | undefined;
  confirmation?: Confirmation | undefined;
}

/** What the policy decided about a sent message, for the sender's client to explain. */
export interface SendResult {
  message: Message;
  created: boolean;
  protection: Protection | null;
}

/** The policy held the message for review (PL-6): nothing was delivered. */
export interface HeldResult {
  held: QuarantineItem;
}

/**
 * Sends a message. Idempotent on (channel, author, clientMsgId): a retry of the
 * same send returns the stored message (`created: false`) instead of a copy.
 */
export async function sendMessage(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  input: SendInput,
  findings: Finding[] = detector().scan(input.text),
  options: ScreenOptions = { mayHold: true },
): Promise<SendResult | HeldResult> {
  checkText(input.text);
  const { channel, region } = access;
  // scan -> decide: throws for block and unconfirmed warnings, before anything is written.
  const screened = await screenContent(
    services,
    targetOf(access),
    actorId,
    input.text,
    input.confirmation,
    findings,
    options,
  );
  if (screened.held) return { held: await holdMessage(services, actorId, access, input, screened) };
  const parsed = parseMentions(input.text);
  if (!input.threadRootId && parsed.userIds.length === 0 && findings.length === 0) {
    const message = await sendPlainMessage(
      services,
      actorId,
      // channelFor already checked the label rules for this access.
      { channelId: channel.id, region, admittedLabels: null },
      input,
      parsed,
    );
    if (message) return { message, created: true, protection: null };
    return existingSend(services, actorId, access, input, screened);
  }
  try {
    const message = await inRegionTx(services, region, async (tx) => {
      const messageId = newId();
      // vault: values the policy tokenises leave the text here, inside this transaction.
      const vaulted = await vaultFindings(tx, {
        keys: services.vault.keys,
        channelId: channel.id,
        messageId,
        text: input.text,
        findings: screened.toTokenise,
      });
      let root: MessageRow | undefined;
      if (input.threadRootId) {
        root = await tx.db
          .selectFrom('messages')
          .select(MESSAGE_COLUMNS)
          .where('id', '=', input.threadRootId)
          .where('channel_id', '=', channel.id)
          .executeTakeFirst();
        if (!root) throw new AppError('MESSAGE_NOT_FOUND', 'The thread root is not in this channel.');
        // Replies to a reply join the same thread, as in Slack: threads are one level deep.
        if (root.thread_root_id) {
          root = await tx.db
            .selectFrom('messages')
            .select(MESSAGE_COLUMNS)
            .where('id', '=', root.thread_root_id)
            .executeTakeFirstOrThrow();
        }
        if (root.deleted_at) throw new AppError('MESSAGE_DELETED', 'The thread root has been deleted.');
      }
      const mentions = parsed;
      const mentioned = await mentionedMembers(tx.db, channel.id, mentions);
      const seq = await nextSeq(tx.db, channel.id);
      const row = await tx.db
        .insertInto('messages')
        .values({
          id: messageId,
          channel_id: channel.id,
          seq,
          author_id: actorId,
          client_msg_id: input.clientMsgId,
          text: vaulted.text,
          thread_root_id: root?.id ?? null,
          mention_user_ids: mentioned,
          mentions_channel: mentions.channel,
          mentions_here: mentions.here,
        })
        .onConflict((oc) => oc.columns(['channel_id', 'author_id', 'client_msg_id']).doNothing())
        .returning(MESSAGE_COLUMNS)
        .executeTakeFirst();
      // Rolls back the seq we took, so the event log keeps no gap.
      if (!row) throw new DuplicateSend();
      if (mentioned.length) {
        await tx.db
          .insertInto('mentions')
          .values(
            mentioned
              .filter((u) => u !== actorId)
              .map((user_id) => ({ message_id: row.id, channel_id: channel.id, user_id, seq })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const message = presentMessage(row);
      await recordEvent(tx, channel, seq, { type: 'message.created', message });
      await auditDecision(tx, actorId, channel.id, messageId, screened, vaulted.tokens.length);
      if (root) {
        const updated = await tx.db
          .updateTable('messages')
          .set({ reply_count: sql`reply_count + 1`, last_reply_at: row.created_at })
          .where('id', '=', root.id)
          .returning(['reply_count', 'last_reply_at'])
          .executeTakeFirstOrThrow();
        await appendEvent(tx, channel, {
          type: 'thread.updated',
          rootId: root.id,
          replyCount: updated.reply_count,
          lastReplyAt: updated.last_reply_at?.toISOString() ?? null,
        });
        // The root's author and everyone who replies follow the thread unless they chose not to.
        const followers = [...new Set([root.author_id, actorId, ...mentioned])];
        await tx.db
          .insertInto('thread_follows')
          .values(
            followers.map((user_id) => ({
              root_id: root.id,
              user_id,
              channel_id: channel.id,
              following: true,
              updated_at: new Date(),
            })),
          )
          .onConflict((oc) => oc.columns(['root_id', 'user_id']).doNothing())
          .execute();
        // Replying means the author has read the thread up to here.
        await tx.db
          .updateTable('thread_follows')
          .set({ last_read_seq: seq, updated_at: new Date() })
          .where('root_id', '=', root.id)
          .where('user_id', '=', actorId)
          .where('last_read_seq', '<', seq)
          .execute();
      } else {
        // Posting in a channel means the author has read it up to their message, as in Slack.
        await advanceOwnReadState(tx, channel.id, actorId, seq);
      }
      return message;
    });
    return { message, created: true, protection: protectionOf(screened) };
  } catch (err) {
    if (!(err instanceof DuplicateSend)) throw err;
    return existingSend(services, actorId, access, input, screened);
  }
}

/** A send that wrote nothing: a retry of a stored message (returned as is), a reused id, or an archived channel. */
async function existingSend(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  input: SendInput,
  screened: Screened,
): Promise<SendResult> {
  const { channel, region } = access;
  const db = services.stores.region(region);
  const existing = await db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('channel_id', '=', channel.id)
    .where('author_id', '=', actorId)
    .where('client_msg_id', '=', input.clientMsgId)
    .executeTakeFirst();
  // Nothing stored under this id, yet nothing written: the channel was archived after the access check.
  if (!existing) throw new AppError('CHANNEL_ARCHIVED');
  const sameThread = (existing.thread_root_id !== null) === (input.threadRootId !== undefined);
  if (!sameSubmission(existing.text, input.text, screened.toTokenise) || !sameThread) {
    throw new AppError('CLIENT_ID_REUSED');
  }
  return {
    message: presentMessage(existing, await loadExtras(db, [existing.id])),
    created: false,
    protection: protectionOf(screened),
  };
}

/** Posting reads the channel up to one's own message (RT-12: clients infer it, no frame is sent). */
async function advanceOwnReadState(
  tx: RegionTx,
  channelId: string,
  userId: string,
  seq: number,
): Promise<void> {
  await tx.db
    .insertInto('read_states')
    .values({ channel_id: channelId, user_id: userId, last_read_seq: seq, updated_at: new Date() })
    .onConflict((oc) =>
      oc
        .columns(['channel_id', 'user_id'])
        .doUpdateSet({ last_read_seq: sql`excluded.last_read_seq`, updated_at: sql`excluded.updated_at` })
        .where('read_states.last_read_seq', '<', seq),
    )
    .execute();
}
