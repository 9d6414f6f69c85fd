import type { Message } from '@enclave/protocol';
import type { ChannelAccess } from '../access/channels.ts';
import { auditRegion } from '../audit/record.ts';
import { AppError } from '../lib/errors.ts';
import { loadExtras, MESSAGE_COLUMNS, presentMessage } from '../presenters/messages.ts';
import type { Services } from '../services.ts';
import { lockMessage, presentWithExtras } from './message-edits.ts';
import { appendEvent, inRegionTx } from './transaction.ts';

/** Pins a message for everyone in the channel (any member). Pinning a pinned message changes nothing. */
export async function pinMessage(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  messageId: string,
): Promise<Message> {
  const { channel } = access;
  return inRegionTx(services, access.region, async (tx) => {
    const msg = await lockMessage(tx.db, channel.id, messageId);
    if (msg.deleted_at) throw new AppError('MESSAGE_DELETED');
    const inserted = await tx.db
      .insertInto('pins')
      .values({ message_id: msg.id, channel_id: channel.id, pinned_by: actorId })
      .onConflict((oc) => oc.doNothing())
      .returning('message_id')
      .executeTakeFirst();
    if (inserted) {
      await appendEvent(tx, channel, { type: 'message.pinned', messageId: msg.id, userId: actorId });
      await auditRegion(tx.db, {
        actorId,
        action: 'message.pinned',
        targetType: 'message',
        targetId: msg.id,
        channelId: channel.id,
      });
    }
    return presentWithExtras(tx.db, msg);
  });
}

/** Unpins a message (any member). Unpinning a message that is not pinned changes nothing. */
export async function unpinMessage(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  messageId: string,
): Promise<void> {
  const { channel } = access;
  await inRegionTx(services, access.region, async (tx) => {
    const msg = await lockMessage(tx.db, channel.id, messageId);
    const removed = await tx.db
      .deleteFrom('pins')
      .where('message_id', '=', msg.id)
      .returning('message_id')
      .executeTakeFirst();
    if (removed) {
      await appendEvent(tx, channel, { type: 'message.unpinned', messageId: msg.id, userId: actorId });
      await auditRegion(tx.db, {
        actorId,
        action: 'message.unpinned',
        targetType: 'message',
        targetId: msg.id,
        channelId: channel.id,
      });
    }
  });
}

/** The channel's pinned messages, most recently pinned first. */
export async function listPins(services: Services, access: ChannelAccess): Promise<Message[]> {
  const db = services.stores.region(access.region);
  const rows = await db
    .selectFrom('pins as p')
    .innerJoin('messages as m', 'm.id', 'p.message_id')
    .select(MESSAGE_COLUMNS.map((c) => `m.${c}` as const))
    .where('p.channel_id', '=', access.channel.id)
    .where('m.deleted_at', 'is', null)
    .orderBy('p.pinned_at', 'desc')
    .orderBy('p.message_id', 'desc')
    .execute();
  const extras = await loadExtras(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentMessage(r, extras));
}
