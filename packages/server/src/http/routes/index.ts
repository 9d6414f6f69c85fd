import type { AnyRoute } from '../route.ts';
import { channelRoutes } from './channels.ts';
import { messageRoutes } from './messages.ts';
import { metaRoutes } from './meta.ts';
import { sessionRoutes } from './sessions.ts';
import { setupRoutes } from './setup.ts';
import { workspaceRoutes } from './workspaces.ts';

/** Every HTTP route. The OpenAPI document and the deny tests enumerate this list. */
export const ROUTES: AnyRoute[] = [
  ...metaRoutes,
  ...setupRoutes,
  ...sessionRoutes,
  ...workspaceRoutes,
  ...channelRoutes,
  ...messageRoutes,
];
