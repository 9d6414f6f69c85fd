import type { Message } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { AppError } from '../lib/errors.ts';
import { loadExtras, MESSAGE_COLUMNS, type MessageRow, presentMessage } from '../presenters/messages.ts';
import type { RegionDB } from '../store/tables.ts';

export interface PageRequest {
  before?: number | undefined;
  after?: number | undefined;
  around?: string | undefined;
  limit: number;
}

export interface Page {
  messages: Message[];
  hasMoreBefore: boolean;
  hasMoreAfter: boolean;
}

/**
 * A page of a channel's timeline (root messages; replies live in their thread)
 * or of one thread's replies, in ascending seq order. Deleted messages drop
 * out unless they still anchor replies (then they show as tombstones).
 */
export async function messagePage(
  db: Kysely<RegionDB>,
  scope: { channelId: string; threadRootId?: string },
  req: PageRequest,
): Promise<Page> {
  const base = () => {
    let q = db.selectFrom('messages').select(MESSAGE_COLUMNS).where('channel_id', '=', scope.channelId);
    q = scope.threadRootId
      ? q.where('thread_root_id', '=', scope.threadRootId)
      : q.where('thread_root_id', 'is', null);
    return q.where((eb) => eb.or([eb('deleted_at', 'is', null), eb('reply_count', '>', 0)]));
  };
  const older = async (below: number | null, n: number) => {
    let q = base();
    if (below !== null) q = q.where('seq', '<', below);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(n + 1)
      .execute();
    return { rows: rows.slice(0, n).reverse(), more: rows.length > n };
  };
  const newer = async (above: number, n: number) => {
    const rows = await base()
      .where('seq', '>', above)
      .orderBy('seq', 'asc')
      .limit(n + 1)
      .execute();
    return { rows: rows.slice(0, n), more: rows.length > n };
  };

  let rows: MessageRow[];
  let hasMoreBefore: boolean;
  let hasMoreAfter: boolean;
  if (req.around) {
    const anchor = await base().where('id', '=', req.around).executeTakeFirst();
    if (!anchor) throw new AppError('MESSAGE_NOT_FOUND');
    const half = Math.max(1, Math.floor((req.limit - 1) / 2));
    const [b, a] = await Promise.all([older(anchor.seq, half), newer(anchor.seq, req.limit - 1 - half)]);
    rows = [...b.rows, anchor, ...a.rows];
    hasMoreBefore = b.more;
    hasMoreAfter = a.more;
  } else if (req.after !== undefined) {
    const a = await newer(req.after, req.limit);
    rows = a.rows;
    hasMoreAfter = a.more;
    hasMoreBefore =
      (await base().where('seq', '<=', req.after).select('id').limit(1).executeTakeFirst()) !== undefined;
  } else {
    const b = await older(req.before ?? null, req.limit);
    rows = b.rows;
    hasMoreBefore = b.more;
    hasMoreAfter =
      req.before !== undefined &&
      (await base().where('seq', '>=', req.before).select('id').limit(1).executeTakeFirst()) !== undefined;
  }
  const extras = await loadExtras(
    db,
    rows.map((r) => r.id),
  );
  return { messages: rows.map((r) => presentMessage(r, extras)), hasMoreBefore, hasMoreAfter };
}
