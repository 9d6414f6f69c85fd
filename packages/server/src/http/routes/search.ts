import { SearchQuery, SearchResponse } from '@enclave/protocol';
import { searchMessages } from '../../search/search-messages.ts';
import { route } from '../route.ts';
import { WorkspaceParams } from './workspaces.ts';

export const searchRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/workspaces/:workspaceId/search',
    summary:
      'Search messages you may read in the workspace: words, "phrases", -exclusions and in:, from:, before:, after:, on:, has:thread filters (docs/search.md). Best match first; page with nextCursor.',
    tag: 'search',
    auth: 'user',
    params: WorkspaceParams,
    query: SearchQuery,
    response: SearchResponse,
    // Each search fans out to every region: cap one address (generously: an office may share it).
    rateLimit: { max: 600, timeWindow: 60_000 },
    handler: ({ services, actor, params, query }) =>
      searchMessages(services, actor, params.workspaceId, query),
  }),
];
