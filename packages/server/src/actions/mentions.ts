import type { Kysely } from 'kysely';
import type { RegionDB } from '../store/tables.ts';

// Mentions are written as <@USER_ID>, @channel and @here (the client turns a
// picked name into the id form, so renames never break a mention).
const USER_MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;
const CHANNEL_MENTION = /(^|[^\w@])@channel\b/i;
const HERE_MENTION = /(^|[^\w@])@here\b/i;

export interface ParsedMentions {
  userIds: string[];
  channel: boolean;
  here: boolean;
}

export function parseMentions(text: string): ParsedMentions {
  const ids = new Set<string>();
  for (const m of text.matchAll(USER_MENTION)) ids.add(m[1]!.toLowerCase());
  return { userIds: [...ids], channel: CHANNEL_MENTION.test(text), here: HERE_MENTION.test(text) };
}

/** The parsed user mentions that name members of the channel (others are plain text). */
export async function mentionedMembers(
  db: Kysely<RegionDB>,
  channelId: string,
  parsed: ParsedMentions,
): Promise<string[]> {
  if (!parsed.userIds.length) return [];
  const rows = await db
    .selectFrom('channel_members')
    .select('user_id')
    .where('channel_id', '=', channelId)
    .where('user_id', 'in', parsed.userIds)
    .execute();
  return rows.map((r) => r.user_id);
}
