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
