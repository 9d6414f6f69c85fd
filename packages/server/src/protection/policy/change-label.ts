import type { Channel } from '@enclave/protocol';
import type { ChannelAccess } from '../../access/channels.ts';
import { appendEvent, inRegionTx } from '../../actions/transaction.ts';
import { auditRegion, auditRegionDenied } from '../../audit/record.ts';
import { AppError } from '../../lib/errors.ts';
import { presentChannel } from '../../presenters/channels.ts';
import type { Services } from '../../services.ts';
import { activePolicy } from './active.ts';
import { principalsOf } from './decide.ts';
import { mayChangeLabel, unknownLabel } from './labels.ts';

/**
 * Changes a channel's label (PO-2.3). The caller has already loaded the
 * channel with need 'manage' (channel owner/admin or workspace admin); the
 * policy then says which transitions those roles may make. One transaction:
 * the row, the `channel.updated` event and the audit entry (from/to, rule).
 * A refused transition is audited as denied.
 */
export async function changeChannelLabel(
  services: Services,
  actorId: string,
  access: ChannelAccess,
  label: string,
): Promise<Channel> {
  const { channel, region } = access;
  const policy = await activePolicy(services);
  if (!policy.rank.has(label)) throw unknownLabel(policy, 'body.label');
  if (channel.archived_at) throw new AppError('CHANNEL_ARCHIVED');
  if (label === channel.label) return presentChannel(channel, region, access.membership);
  const principals = principalsOf(access.workspaceRole, access.membership?.role);
  const verdict = mayChangeLabel(policy, channel.label, label, principals);
  const details = { from: channel.label, to: label, ruleId: verdict.ruleId, policyVersion: policy.version };
  if (!verdict.allowed) {
    await auditRegionDenied(services.stores.region(region), services.log, {
      actorId,
      action: 'channel.label_changed',
      targetType: 'channel',
      targetId: channel.id,
      channelId: channel.id,
      details,
    });
    throw new AppError(
      'LABEL_CHANGE_FORBIDDEN',
      `The policy does not let you change this channel from "${channel.label}" to "${label}".`,
    );
  }
  return inRegionTx(services, region, async (tx) => {
    const row = await tx.db
      .updateTable('channels')
      .set({ label })
      .where('id', '=', channel.id)
      // The transition was checked against this label: a concurrent change voids the check.
      .where('label', '=', channel.label)
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'LABEL_CHANGE_FORBIDDEN',
        'The label was changed meanwhile; reload the channel and try again.',
      );
    const seq = await appendEvent(tx, row, { type: 'channel.updated', changes: { label }, actorId });
    await auditRegion(tx.db, {
      actorId,
      action: 'channel.label_changed',
      targetType: 'channel',
      targetId: channel.id,
      channelId: channel.id,
      details,
    });
    return presentChannel({ ...row, last_seq: seq }, region, access.membership);
  });
}
