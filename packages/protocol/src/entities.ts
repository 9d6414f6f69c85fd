import { z } from 'zod';
import { ChannelKind, ChannelRole, Id, IsoDate, LabelName, RegionId, WorkspaceRole } from './common.ts';

export const User = z.object({
  id: Id,
  email: z.string().nullable(),
  displayName: z.string(),
  kind: z.enum(['human', 'bot']),
  deactivated: z.boolean(),
  createdAt: IsoDate,
});
export type User = z.infer<typeof User>;

export const Workspace = z.object({
  id: Id,
  name: z.string(),
  slug: z.string(),
  homeRegion: RegionId,
  createdAt: IsoDate,
  role: WorkspaceRole,
});
export type Workspace = z.infer<typeof Workspace>;

export const WorkspaceMember = z.object({ user: User, role: WorkspaceRole, joinedAt: IsoDate });
export type WorkspaceMember = z.infer<typeof WorkspaceMember>;

export const Channel = z.object({
  id: Id,
  workspaceId: Id,
  region: RegionId,
  kind: ChannelKind,
  name: z.string(),
  topic: z.string(),
  purpose: z.string(),
  /** Classification label (policy decides what may be posted): see docs/data-protection/policy.md. */
  label: LabelName,
  archived: z.boolean(),
  createdAt: IsoDate,
  createdBy: Id,
  memberCount: z.number().int(),
  /** Last event sequence number: a client resumes from here. */
  lastSeq: z.number().int(),
  /** The viewer's membership (null when browsing a public channel they are not in). */
  membership: z.object({ role: ChannelRole, joinedAt: IsoDate }).nullable(),
});
export type Channel = z.infer<typeof Channel>;

export const ChannelMember = z.object({ userId: Id, role: ChannelRole, joinedAt: IsoDate });
export type ChannelMember = z.infer<typeof ChannelMember>;

export const Reaction = z.object({ emoji: z.string(), count: z.number().int(), userIds: z.array(Id) });
export type Reaction = z.infer<typeof Reaction>;

export const Message = z.object({
  id: Id,
  channelId: Id,
  /** Position in the channel's message order (root messages and replies share one order). */
  seq: z.number().int(),
  authorId: Id,
  text: z.string(),
  threadRootId: Id.nullable(),
  replyCount: z.number().int(),
  lastReplyAt: IsoDate.nullable(),
  reactions: z.array(Reaction),
  mentions: z.object({ userIds: z.array(Id), channel: z.boolean(), here: z.boolean() }),
  pinned: z.boolean(),
  createdAt: IsoDate,
  editedAt: IsoDate.nullable(),
  deleted: z.boolean(),
});
export type Message = z.infer<typeof Message>;

export const MessageEdit = z.object({ text: z.string(), editedAt: IsoDate, editorId: Id });
export type MessageEdit = z.infer<typeof MessageEdit>;

export const ReadState = z.object({
  channelId: Id,
  lastReadSeq: z.number().int(),
  unreadCount: z.number().int(),
  mentionCount: z.number().int(),
});
export type ReadState = z.infer<typeof ReadState>;

export const Session = z.object({
  id: Id,
  createdAt: IsoDate,
  lastSeenAt: IsoDate,
  expiresAt: IsoDate,
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type Session = z.infer<typeof Session>;

export const AccessToken = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['personal', 'bot']),
  scopes: z.array(z.string()),
  userId: Id,
  createdAt: IsoDate,
  lastUsedAt: IsoDate.nullable(),
  expiresAt: IsoDate.nullable(),
});
export type AccessToken = z.infer<typeof AccessToken>;

export const Invitation = z.object({
  id: Id,
  workspaceId: Id,
  role: WorkspaceRole,
  expiresAt: IsoDate,
  maxUses: z.number().int(),
  uses: z.number().int(),
  createdAt: IsoDate,
});
export type Invitation = z.infer<typeof Invitation>;
