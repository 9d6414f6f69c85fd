import { z } from 'zod';
import { ChannelKind, Id, RegionId } from '../common.ts';
import { Message } from '../entities.ts';

/**
 * `q` is the search box text (docs/search.md): words, "quoted phrases",
 * -excluded words, and the filters in:#channel (or in:<channelId>),
 * from:@<userId> | from:email | from:me, before:/after:/on:YYYY-MM-DD (UTC days),
 * has:thread. A malformed filter is 400 INVALID_SEARCH_QUERY with
 * `details.filter` naming it.
 */
export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchResult = z.object({
  message: Message,
  channel: z.object({ id: Id, name: z.string(), kind: ChannelKind, region: RegionId, archived: z.boolean() }),
  /**
   * Short plain-text fragments of the message with matches between « and ».
   * Render as text, never as HTML. A literal « or » in the message appears as ‹ or ›.
   * Empty when the query has filters only.
   */
  highlights: z.array(z.string()),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** Best match first (then newest); `nextCursor` fetches the next page of the same query. */
export const SearchResponse = z.object({
  results: z.array(SearchResult),
  nextCursor: z.string().nullable(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;
