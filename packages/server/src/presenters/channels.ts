import type { Channel, ChannelMember } from '@enclave/protocol';
import type { Selectable } from 'kysely';
import type { RegionDB } from '../store/tables.ts';

export type ChannelRow = Selectable<RegionDB['channels']>;
export type MemberRow = Selectable<RegionDB['channel_members']>;

export function presentChannel(
  c: ChannelRow,
  region: string,
  membership: MemberRow | null | undefined,
): Channel {
  return {
    id: c.id,
    workspaceId: c.workspace_id,
    region,
    kind: c.kind,
    name: c.name,
    topic: c.topic,
    purpose: c.purpose,
    label: c.label,
    archived: c.archived_at !== null,
    createdAt: c.created_at.toISOString(),
    createdBy: c.created_by,
    memberCount: c.member_count,
    lastSeq: c.last_seq,
    membership: membership ? { role: membership.role, joinedAt: membership.joined_at.toISOString() } : null,
  };
}

export function presentMember(m: MemberRow): ChannelMember {
  return { userId: m.user_id, role: m.role, joinedAt: m.joined_at.toISOString() };
}
