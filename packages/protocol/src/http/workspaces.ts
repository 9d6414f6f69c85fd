import { z } from 'zod';
import { Limit, RegionId, WorkspaceRole } from '../common.ts';
import { User, Workspace, WorkspaceMember } from '../entities.ts';

export const CreateWorkspaceBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  slug: z
    .string()
    .min(2)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-"')
    .optional(),
  homeRegion: RegionId.optional(),
});
export const WorkspaceResponse = z.object({ workspace: Workspace });
export const WorkspaceListResponse = z.object({ workspaces: z.array(Workspace) });

export const MemberListQuery = z.strictObject({ cursor: z.string().max(200).optional(), limit: Limit });
export const MemberListResponse = z.object({
  members: z.array(WorkspaceMember),
  nextCursor: z.string().nullable(),
});

export const ChangeRoleBody = z.strictObject({ role: WorkspaceRole });
export const WorkspaceMemberResponse = z.object({ member: WorkspaceMember });
export const UserResponse = z.object({ user: User });
