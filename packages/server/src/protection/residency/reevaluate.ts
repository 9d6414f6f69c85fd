import type { PersonAttributes } from '@enclave/protocol';
import { auditRegion } from '../../audit/record.ts';
import type { Services } from '../../services.ts';
import { admits, loadPerson, memberships } from './people-channels.ts';

/**
 * After a person's attributes changed (FE-5): every channel they are a member
 * of is checked against its rules with the old and the new attributes, and
 * each change of access is audited in that channel's region. The live cut-off
 * itself is the gateway's (it re-checks on the `refresh` control envelope the
 * change published); fetches are refused by channelFor from the next request.
 */
export async function reevaluateAccess(
  services: Services,
  actorId: string,
  userId: string,
  before: PersonAttributes,
): Promise<{ suspended: string[]; restored: string[] }> {
  const now = await loadPerson(services, userId);
  if (!now) return { suspended: [], restored: [] };
  const then = { ...now, attributes: before };
  const suspended: string[] = [];
  const restored: string[] = [];
  for (const m of await memberships(services, userId)) {
    const [was, is] = [await admits(services, m, then), await admits(services, m, now)];
    if (was === is) continue;
    (is ? restored : suspended).push(m.channelId);
    await auditRegion(services.stores.region(m.region), {
      actorId,
      action: is ? 'channel.access_restored' : 'channel.access_suspended',
      targetType: 'user',
      targetId: userId,
      channelId: m.channelId,
      details: { label: m.label, cause: 'attributes_changed' },
    });
  }
  return { suspended, restored };
}
