import type { SearchResponse, SearchResult } from '@enclave/protocol';
import { workspaceFor } from '../access/workspaces.ts';
import type { Actor } from '../auth/actor.ts';
import { loadExtras, presentMessage } from '../presenters/messages.ts';
import { admittedLabels } from '../protection/residency/enforce.ts';
import type { Services } from '../services.ts';
import {
  comparePositions,
  decodeCursor,
  encodeCursor,
  queryFingerprint,
  type SearchPosition,
} from './cursor.ts';
import { type AuthorRef, parseSearchQuery } from './parse-query.ts';
import { searchRegion } from './region-search.ts';
import { narrowToRefs, visibleChannels } from './visible-channels.ts';

export interface SearchRequest {
  q: string;
  limit: number;
  cursor?: string | undefined;
}

const EMPTY: SearchResponse = { results: [], nextCursor: null };

/**
 * from: filters to user ids through the directory. An unknown person is not an
 * error (and not a hint that they exist or not): they just wrote nothing here.
 * Returns null when there is no from: filter.
 */
async function resolveAuthors(services: Services, actor: Actor, refs: AuthorRef[]): Promise<string[] | null> {
  if (!refs.length) return null;
  const ids = new Set<string>();
  const emails: string[] = [];
  for (const r of refs) {
    if (r.kind === 'me') ids.add(actor.userId);
    else if (r.kind === 'id') ids.add(r.id);
    else emails.push(r.email);
  }
  if (emails.length) {
    const found = await services.stores.directory
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), 'in', emails))
      .execute();
    for (const u of found) ids.add(u.id);
  }
  return [...ids];
}

/**
 * Full-text search over every message the person may read in a workspace.
 * Each region that holds channels of the workspace is asked, in parallel, only
 * about the channels it says the person may read; the answers are merged in
 * the shared order (score, created_at, id), so pages are stable across regions.
 */
export async function searchMessages(
  services: Services,
  actor: Actor,
  workspaceId: string,
  req: SearchRequest,
): Promise<SearchResponse> {
  const { role } = await workspaceFor(services, actor, workspaceId);
  const parsed = parseSearchQuery(req.q);
  const fingerprint = queryFingerprint(workspaceId, req.q);
  const after = req.cursor ? decodeCursor(req.cursor, fingerprint) : null;
  const authorIds = await resolveAuthors(services, actor, parsed.authors);
  if (authorIds?.length === 0) return EMPTY;
  if (parsed.createdFrom && parsed.createdBefore && parsed.createdFrom >= parsed.createdBefore) return EMPTY;

  const regions = await services.stores.directory
    .selectFrom('channels')
    .select('region')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .execute();

  const perRegion = await Promise.all(
    regions.map(async ({ region }) => {
      const db = services.stores.region(region);
      const visible = await visibleChannels(db, actor.userId, workspaceId, {
        includePublic: role !== 'guest',
        admittedLabels: await admittedLabels(services, actor, region, role),
      });
      const channels = narrowToRefs(visible, parsed.channels);
      if (!channels.length) return [];
      const hits = await searchRegion(db, {
        channelIds: channels.map((c) => c.id),
        parsed,
        authorIds,
        after,
        take: req.limit + 1,
      });
      const extras = await loadExtras(
        db,
        hits.map((h) => h.row.id),
      );
      const byId = new Map(channels.map((c) => [c.id, c]));
      return hits.map((h): { position: SearchPosition; result: SearchResult } => {
        const c = byId.get(h.row.channel_id)!;
        return {
          position: h.position,
          result: {
            message: presentMessage(h.row, extras),
            channel: { id: c.id, name: c.name, kind: c.kind, region, archived: c.archived },
            highlights: h.highlights,
          },
        };
      });
    }),
  );

  const merged = perRegion.flat().sort((a, b) => comparePositions(a.position, b.position));
  const page = merged.slice(0, req.limit);
  const last = page.at(-1);
  return {
    results: page.map((x) => x.result),
    nextCursor: merged.length > req.limit && last ? encodeCursor(last.position, fingerprint) : null,
  };
}
