import type { AnyRoute } from '../route.ts';
import { auditRoutes } from './audit.ts';
import { botRoutes } from './bots.ts';
import { channelRoutes } from './channels.ts';
import { invitationRoutes } from './invitations.ts';
import { labelRoutes } from './labels.ts';
import { messageOpRoutes } from './message-ops.ts';
import { messageRoutes } from './messages.ts';
import { metaRoutes } from './meta.ts';
import { peopleRoutes } from './people.ts';
import { policyRoutes } from './policies.ts';
import { quarantineRoutes } from './quarantine.ts';
import { readStateRoutes } from './read-state.ts';
import { searchRoutes } from './search.ts';
import { sessionRoutes } from './sessions.ts';
import { setupRoutes } from './setup.ts';
import { threadRoutes } from './threads.ts';
import { tokenRoutes } from './tokens.ts';
import { userRoutes } from './users.ts';
import { vaultRoutes } from './vault.ts';
import { workspaceMemberRoutes } from './workspace-members.ts';
import { workspaceRoutes } from './workspaces.ts';

/** Every HTTP route. The OpenAPI document and the deny tests enumerate this list. */
export const ROUTES: AnyRoute[] = [
  ...metaRoutes,
  ...setupRoutes,
  ...sessionRoutes,
  ...workspaceRoutes,
  ...tokenRoutes,
  ...botRoutes,
  ...invitationRoutes,
  ...userRoutes,
  ...peopleRoutes,
  ...workspaceMemberRoutes,
  ...channelRoutes,
  ...labelRoutes,
  ...policyRoutes,
  ...messageRoutes,
  ...searchRoutes,
  ...messageOpRoutes,
  ...threadRoutes,
  ...readStateRoutes,
  ...vaultRoutes,
  ...quarantineRoutes,
  ...auditRoutes,
];
