import { createHash } from 'node:crypto';
import type { Channel, WorkspaceRole } from '@enclave/protocol';
import type { ChannelAccess } from '../access/channels.ts';
import { auditRegion } from '../audit/record.ts';
import { AppError, isUniqueViolation } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { presentChannel } from '../presenters/channels.ts';
import { activePolicy, labelForNewChannel } from '../protection/policy/index.ts';
import {
  auditingCap,
  fenceFor,
  loadCandidates,
  overCap,
  refusals,
  refuseIneligible,
} from '../protection/residency/enforce.ts';
import type { Confirmation } from '../protection/screen.ts';
import type { Services } from '../services.ts';
import { auditDecision, screenFields, targetOf } from './screening.ts';
import { appendEvent, inRegionTx } from './transaction.ts';

export function nameKey(name: string): string {
  return createHash('sha256').update(name.normalize('NFKC').toLowerCase()).digest('hex');
}

export interface NewChannel {
  name: string;
  kind: 'public' | 'private' | 'dm' | 'group_dm';
  topic: string;
  purpose: string;
  region?: string | undefined;
  /** Classification label; default: the active policy's default for the kind. */
  label?: string | undefined;
  /** Confirms a policy warning about the name, topic or purpose (POLICY_CONFIRM_REQUIRED). */
  confirmation?: Confirmation | undefined;
  /** For DMs: every member, and the key that makes the DM unique. */
  members?: string[];
  dmKey?: string;
}

/**
 * Creates a channel: first the routing row in the directory (it enforces name
 * uniqueness across regions), then the channel and its first members in the
 * region. The two are separate databases, so a failure in the region removes
 * the routing row again: no half-created channel is left behind.
 */
export async function createChannel(
  services: Services,
  actorId: string,
  workspaceId: string,
  workspaceRole: WorkspaceRole,
  input: NewChannel,
): Promise<Channel> {
  if (workspaceRole === 'guest' && (input.kind === 'public' || input.kind === 'private')) {
    throw new AppError('GUEST_NOT_ALLOWED', 'Guests cannot create channels.');
  }
  const ws = await services.stores.directory
    .selectFrom('workspaces')
    .select('home_region')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  const region = input.region ?? ws.home_region;
  if (!services.stores.regionIds.includes(region)) {
    throw new AppError('VALIDATION_FAILED', 'Unknown region.', {
      issues: [{ path: 'body.region', problem: 'not a configured region' }],
    });
  }
  const label = labelForNewChannel(await activePolicy(services), input.kind, input.label, workspaceRole);
  const id = newId();
  const isDm = input.kind === 'dm' || input.kind === 'group_dm';
  const members = isDm ? (input.members ?? [actorId]) : [actorId];
  // The label's rules apply from the first member on: DM members, and the creator as owner (FE-4).
  const fence = await fenceFor(services, label, region);
  const candidates = await loadCandidates(services, workspaceId, members);
  const owners = new Set(isDm ? [] : [actorId]);
  await refuseIneligible(
    services,
    actorId,
    id,
    fence,
    'channel.created',
    refusals(fence, candidates, owners),
  );
  await auditingCap(services, actorId, id, fence, 'channel.created', async () => {
    const cap = overCap(fence, members.length);
    if (cap) throw cap;
  });
  // Names, topics and purposes are content: scan -> decide before anything is written.
  const fields = await screenFields(
    services,
    { region, channelId: id, label, workspaceRole, channelRole: 'owner' },
    actorId,
    { name: isDm ? undefined : input.name, topic: input.topic, purpose: input.purpose },
    input.confirmation,
  );
  try {
    await services.stores.directory
      .insertInto('channels')
      .values({
        id,
        workspace_id: workspaceId,
        region,
        kind: input.kind,
        name_key: isDm ? null : nameKey(input.name),
        dm_key: input.dmKey ?? null,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err, 'channels_name_key')) throw new AppError('CHANNEL_NAME_TAKEN');
    throw err;
  }
  try {
    return await inRegionTx(services, region, async (tx) => {
      const safe = await fields.vault(tx);
      refuseTokenisedName(safe.name, input.name);
      await auditDecision(tx, actorId, id, id, fields.screened, 0, 'channel');
      const channel = await tx.db
        .insertInto('channels')
        .values({
          id,
          workspace_id: workspaceId,
          kind: input.kind,
          name: input.name,
          topic: safe.topic ?? input.topic,
          purpose: safe.purpose ?? input.purpose,
          label,
          created_by: actorId,
          member_count: members.length,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const role = isDm ? 'member' : 'owner';
      const rows = await tx.db
        .insertInto('channel_members')
        .values(
          members.map((user_id) => ({
            channel_id: id,
            user_id,
            role: user_id === actorId ? role : 'member',
          })),
        )
        .returningAll()
        .execute();
      for (const m of rows) {
        await appendEvent(tx, channel, { type: 'member.joined', userId: m.user_id, role: m.role, actorId });
      }
      await auditRegion(tx.db, {
        actorId,
        action: 'channel.created',
        targetType: 'channel',
        targetId: id,
        channelId: id,
        details: { kind: input.kind, members: members.length, label },
      });
      const fresh = await tx.db
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      for (const m of rows) {
        tx.outbox.push({
          kind: 'user',
          userId: m.user_id,
          event: { type: 'channel.added', channel: presentChannel(fresh, region, m) },
        });
      }
      return presentChannel(
        fresh,
        region,
        rows.find((r) => r.user_id === actorId),
      );
    });
  } catch (err) {
    await services.stores.directory.deleteFrom('channels').where('id', '=', id).execute();
    throw err;
  }
}

/** Opens (or returns the existing) DM or group DM among the actor and `userIds`. */
export async function openDm(
  services: Services,
  actorId: string,
  workspaceId: string,
  workspaceRole: WorkspaceRole,
  userIds: string[],
): Promise<Channel> {
  const members = [...new Set([actorId, ...userIds])].sort();
  const valid = await services.stores.directory
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .where('m.workspace_id', '=', workspaceId)
    .where('m.user_id', 'in', members)
    .where('u.deactivated_at', 'is', null)
    .execute();
  if (valid.length !== members.length)
    throw new AppError('USER_NOT_FOUND', 'Every person in a DM must be an active member of the workspace.');
  const dmKey = members.join(',');
  const existing = await services.stores.directory
    .selectFrom('channels')
    .select(['id', 'region'])
    .where('workspace_id', '=', workspaceId)
    .where('dm_key', '=', dmKey)
    .executeTakeFirst();
  if (existing) {
    const db = services.stores.region(existing.region);
    const c = await db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', existing.id)
      .executeTakeFirstOrThrow();
    const m = await db
      .selectFrom('channel_members')
      .selectAll()
      .where('channel_id', '=', c.id)
      .where('user_id', '=', actorId)
      .executeTakeFirst();
    return presentChannel(c, existing.region, m);
  }
  try {
    return await createChannel(services, actorId, workspaceId, workspaceRole, {
      name: '',
      kind: members.length <= 2 ? 'dm' : 'group_dm',
      topic: '',
      purpose: '',
      members,
      dmKey,
    });
  } catch (err) {
    // Two people opened the same DM at once: the other request won, use its channel.
    if (isUniqueViolation(err, 'channels_dm_key'))
      return openDm(services, actorId, workspaceId, workspaceRole, userIds);
    throw err;
  }
}

export async function updateChannel(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  changes: {
    name?: string | undefined;
    topic?: string | undefined;
    purpose?: string | undefined;
    archived?: boolean;
    confirmation?: Confirmation | undefined;
  },
): Promise<Channel> {
  const { channel, region } = access;
  if (channel.kind === 'dm' || (channel.kind === 'group_dm' && changes.name !== undefined))
    throw new AppError('NOT_SUPPORTED_FOR_DM');
  if (channel.archived_at && changes.archived !== false) throw new AppError('CHANNEL_ARCHIVED');
  // Names, topics and purposes are content: scan -> decide before anything is written.
  const fields = await screenFields(
    services,
    targetOf(access),
    actorId,
    { name: changes.name, topic: changes.topic, purpose: changes.purpose },
    changes.confirmation,
  );
  const renamed = changes.name !== undefined && changes.name !== channel.name;
  if (renamed) {
    try {
      await services.stores.directory
        .updateTable('channels')
        .set({ name_key: nameKey(changes.name!) })
        .where('id', '=', channel.id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err, 'channels_name_key')) throw new AppError('CHANNEL_NAME_TAKEN');
      throw err;
    }
  }
  try {
    return await inRegionTx(services, region, async (tx) => {
      const safe = await fields.vault(tx);
      refuseTokenisedName(safe.name, changes.name);
      await auditDecision(tx, actorId, channel.id, channel.id, fields.screened, 0, 'channel');
      const set: Record<string, unknown> = {};
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.topic !== undefined) set.topic = safe.topic ?? changes.topic;
      if (changes.purpose !== undefined) set.purpose = safe.purpose ?? changes.purpose;
      if (changes.archived !== undefined) set.archived_at = changes.archived ? new Date() : null;
      const row = await tx.db
        .updateTable('channels')
        .set(set)
        .where('id', '=', channel.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // The event carries what was stored (tokens), never what was typed.
      const { name } = changes;
      const topic = changes.topic === undefined ? undefined : row.topic;
      const purpose = changes.purpose === undefined ? undefined : row.purpose;
      const event = {
        type: 'channel.updated' as const,
        changes: {
          ...(name !== undefined && { name }),
          ...(topic !== undefined && { topic }),
          ...(purpose !== undefined && { purpose }),
          ...(changes.archived !== undefined && { archived: changes.archived }),
        },
        actorId,
      };
      const seq = await appendEvent(tx, row, event);
      const action =
        changes.archived === true
          ? 'channel.archived'
          : changes.archived === false
            ? 'channel.unarchived'
            : 'channel.updated';
      await auditRegion(tx.db, {
        actorId,
        action,
        targetType: 'channel',
        targetId: channel.id,
        channelId: channel.id,
        details: { fields: Object.keys(set) },
      });
      return presentChannel({ ...row, last_seq: seq }, region, access.membership);
    });
  } catch (err) {
    if (renamed)
      await services.stores.directory
        .updateTable('channels')
        .set({ name_key: nameKey(channel.name) })
        .where('id', '=', channel.id)
        .execute();
    throw err;
  }
}

/** A channel name cannot hold a vault token (names are plain identifiers), so a name the policy would tokenise is refused. */
function refuseTokenisedName(stored: string | undefined, typed: string | undefined): void {
  if (stored !== undefined && typed !== undefined && stored !== typed) {
    throw new AppError('POLICY_BLOCKED', 'A channel name cannot hold personal data; choose another name.');
  }
}
