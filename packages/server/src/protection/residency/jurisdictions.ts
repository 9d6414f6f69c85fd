import { EU_MEMBER_STATES } from '@enclave/protocol';
import type { RegionConfig } from '../../config/schema.ts';

// Which countries count as "inside" a region (FE-2). A region declares its
// countries in configuration; well-known region ids have a default so the
// embedded us + eu setup works out of the box. A region with neither has an
// empty jurisdiction: rules that require members "in region" then admit
// nobody (closed), and the server logs a warning at start.

const KNOWN: Record<string, readonly string[]> = {
  us: ['US', 'PR', 'GU', 'VI', 'AS', 'MP', 'UM'],
  eu: EU_MEMBER_STATES,
  // The EEA and Switzerland share the EU's data-protection regime for most purposes.
  eea: [...EU_MEMBER_STATES, 'IS', 'LI', 'NO'],
  uk: ['GB'],
  gb: ['GB'],
  ca: ['CA'],
  au: ['AU'],
  nz: ['NZ'],
  jp: ['JP'],
  sg: ['SG'],
  in: ['IN'],
  br: ['BR'],
  sa: ['SA'],
  ch: ['CH'],
};

export function jurisdictionOf(region: Pick<RegionConfig, 'id' | 'countries'>): ReadonlySet<string> {
  return new Set(region.countries ?? KNOWN[region.id] ?? []);
}

/** Region id -> its countries, for every configured region. */
export function jurisdictions(regions: readonly Pick<RegionConfig, 'id' | 'countries'>[]) {
  return new Map(regions.map((r) => [r.id, jurisdictionOf(r)]));
}
