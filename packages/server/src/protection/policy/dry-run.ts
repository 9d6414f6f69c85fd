import type { Finding } from '@enclave/pii';
import { createDetector, type Detector } from '@enclave/pii';
import type { ActionCounts, PolicyAction, PolicyDryRunResponse } from '@enclave/protocol';
import { parseTokens } from '@enclave/protocol';
import type { Services } from '../../services.ts';
import type { CompiledPolicy } from './compile.ts';
import { decide } from './decide.ts';

// What a candidate policy would do to recent messages, next to what the
// active one does (PO-8). Counts only: no text, no values, no spans leave here.

let detector: Detector | null = null;
const scanner = () => (detector ??= createDetector());

const zero = (): ActionCounts => ({ allow: 0, warn: 0, tokenise: 0, quarantine: 0, block: 0 });

interface Tally {
  scanned: number;
  candidate: ActionCounts;
  active: ActionCounts;
}
const tally = (): Tally => ({ scanned: 0, candidate: zero(), active: zero() });

function count(t: Tally, candidate: PolicyAction, active: PolicyAction): void {
  t.scanned++;
  t.candidate[candidate]++;
  t.active[active]++;
}

export async function dryRunPolicy(
  services: Services,
  candidate: CompiledPolicy,
  active: CompiledPolicy,
  opts: { workspaceId?: string | undefined; limit: number },
): Promise<PolicyDryRunResponse> {
  const totals = tally();
  const byLabel = new Map<string, Tally>();
  const byChannel = new Map<
    string,
    Tally & { channelId: string; workspaceId: string; region: string; label: string }
  >();
  let changed = 0;
  for (const region of services.stores.regionIds) {
    let q = services.stores
      .region(region)
      .selectFrom('messages as m')
      .innerJoin('channels as c', 'c.id', 'm.channel_id')
      .select(['m.text', 'c.id as channel_id', 'c.workspace_id', 'c.label'])
      .where('m.deleted_at', 'is', null);
    if (opts.workspaceId) q = q.where('c.workspace_id', '=', opts.workspaceId);
    const rows = await q.orderBy('m.created_at', 'desc').limit(opts.limit).execute();
    for (const r of rows) {
      const findings = findingsOf(r.text);
      const a = decide(candidate, r.label, findings).action;
      const b = decide(active, r.label, findings).action;
      if (a !== b) changed++;
      count(totals, a, b);
      const l = byLabel.get(r.label) ?? tally();
      byLabel.set(r.label, l);
      count(l, a, b);
      let c = byChannel.get(r.channel_id);
      if (!c) {
        c = { ...tally(), channelId: r.channel_id, workspaceId: r.workspace_id, region, label: r.label };
        byChannel.set(r.channel_id, c);
      }
      count(c, a, b);
    }
  }
  return {
    candidate: { version: candidate.version, name: candidate.name },
    active: { version: active.version ?? 0, name: active.name },
    changed,
    totals,
    byLabel: [...byLabel]
      .map(([label, t]) => ({ label, ...t }))
      .sort((x, y) => x.label.localeCompare(y.label)),
    byChannel: [...byChannel.values()].sort(
      (x, y) => y.scanned - x.scanned || x.channelId.localeCompare(y.channelId),
    ),
  };
}

/**
 * What a stored text holds: what the detector still finds, plus every vault
 * token as a finding of the type it was vaulted as (the value itself is gone,
 * but the policy decided on it once and a new policy may decide otherwise).
 */
function findingsOf(text: string): Finding[] {
  const found = scanner().scan(text);
  for (const t of parseTokens(text)) {
    found.push({
      type: t.type as Finding['type'],
      start: t.start,
      end: t.end,
      score: 1,
      detector: 'vault-token',
      explanation: 'a value already in the vault',
    });
  }
  return found;
}
