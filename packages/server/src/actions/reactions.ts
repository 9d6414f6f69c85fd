import type { Message } from '@enclave/protocol';
import type { ChannelAccess } from '../access/channels.ts';
import { AppError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { lockMessage, presentWithExtras } from './message-edits.ts';
import { appendEvent, inRegionTx } from './transaction.ts';

// Reactions are not audited: they carry no content and would drown the log.
// Both directions are idempotent, so a client may retry freely: a reaction that
// is already there (or already gone) changes nothing and emits nothing.

/** Adds the actor's reaction; `added` is false when it was already there. */
export async function addReaction(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  messageId: string,
  emoji: string,
): Promise<{ message: Message; added: boolean }> {
  const { channel } = access;
  return inRegionTx(services, access.region, async (tx) => {
    const msg = await lockMessage(tx.db, channel.id, messageId);
    if (msg.deleted_at) throw new AppError('MESSAGE_DELETED');
    const inserted = await tx.db
      .insertInto('reactions')
      .values({ message_id: msg.id, emoji, user_id: actorId })
      .onConflict((oc) => oc.doNothing())
      .returning('emoji')
      .executeTakeFirst();
    if (inserted)
      await appendEvent(tx, channel, { type: 'reaction.added', messageId: msg.id, emoji, userId: actorId });
    return { message: await presentWithExtras(tx.db, msg), added: inserted !== undefined };
  });
}

/** Removes the actor's reaction, if any. */
export async function removeReaction(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  messageId: string,
  emoji: string,
): Promise<void> {
  const { channel } = access;
  await inRegionTx(services, access.region, async (tx) => {
    const msg = await lockMessage(tx.db, channel.id, messageId);
    const removed = await tx.db
      .deleteFrom('reactions')
      .where('message_id', '=', msg.id)
      .where('emoji', '=', emoji)
      .where('user_id', '=', actorId)
      .returning('emoji')
      .executeTakeFirst();
    if (removed)
      await appendEvent(tx, channel, { type: 'reaction.removed', messageId: msg.id, emoji, userId: actorId });
  });
}
