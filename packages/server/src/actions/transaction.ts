import type { ChannelEvent } from '@enclave/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Envelope } from '../realtime/bus.ts';
import type { Services } from '../services.ts';
import type { DirectoryDB, RegionDB } from '../store/tables.ts';

/** Bus messages an action queues; published only once its transaction has committed. */
export class Outbox {
  readonly items: Envelope[] = [];
  push(e: Envelope): void {
    this.items.push(e);
  }
}

export interface RegionTx {
  db: Transaction<RegionDB>;
  region: string;
  outbox: Outbox;
}

export async function inRegionTx<T>(
  services: Services,
  region: string,
  fn: (tx: RegionTx) => Promise<T>,
  outbox = new Outbox(),
): Promise<T> {
  const result = await services.stores
    .region(region)
    .transaction()
    .execute((db) => fn({ db, region, outbox }));
  services.bus.publish(outbox.items);
  return result;
}

export async function inDirectoryTx<T>(
  services: Services,
  fn: (db: Transaction<DirectoryDB>, outbox: Outbox) => Promise<T>,
): Promise<T> {
  const outbox = new Outbox();
  const result = await services.stores.directory.transaction().execute((db) => fn(db, outbox));
  services.bus.publish(outbox.items);
  return result;
}

/** Takes the channel's next sequence number; the row lock orders concurrent writers. */
export async function nextSeq(db: Kysely<RegionDB>, channelId: string): Promise<number> {
  const row = await db
    .updateTable('channels')
    .set({ last_seq: sql`last_seq + 1` })
    .where('id', '=', channelId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

/** Stores an event under an already-taken seq and queues it for publishing. */
export async function recordEvent(
  tx: RegionTx,
  channel: { id: string; workspace_id: string },
  seq: number,
  event: ChannelEvent,
): Promise<void> {
  await tx.db
    .insertInto('channel_events')
    .values({ channel_id: channel.id, seq, type: event.type, payload: JSON.stringify(event) })
    .execute();
  tx.outbox.push({
    kind: 'channel',
    region: tx.region,
    workspaceId: channel.workspace_id,
    channelId: channel.id,
    seq,
    event,
  });
}

export async function appendEvent(
  tx: RegionTx,
  channel: { id: string; workspace_id: string },
  event: ChannelEvent,
): Promise<number> {
  const seq = await nextSeq(tx.db, channel.id);
  await recordEvent(tx, channel, seq, event);
  return seq;
}
