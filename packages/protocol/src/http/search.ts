import { z } from 'zod';
import { Limit } from '../common.ts';
import { Message } from '../entities.ts';

/** `q` accepts words and "phrases" plus in:#channel from:@user|email before:YYYY-MM-DD after:YYYY-MM-DD has:thread. */
export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500),
  limit: Limit,
  cursor: z.string().max(200).optional(),
});
export const SearchResponse = z.object({
  results: z.array(z.object({ message: Message, channelName: z.string(), highlights: z.array(z.string()) })),
  nextCursor: z.string().nullable(),
});
