import type { Kysely } from 'kysely';
import type { Services } from '../services.ts';
import { signingKeyFor, startAuditChains } from './checkpoints.ts';
import { type VerifyReport, verifyStore } from './verify.ts';

/** The audit chains of this server: the directory's and each region's, by store name. */
export function auditStores(services: Services): Array<{ store: string; db: Kysely<unknown> }> {
  return [
    { store: 'directory', db: services.stores.directory as Kysely<unknown> },
    ...services.stores.allRegions().map((r) => ({ store: r.id, db: r.db as Kysely<unknown> })),
  ];
}

/** Called once per server start (app.ts); the returned function stops the checkpoint timer. */
export function startAudit(services: Services): Promise<() => void> {
  const { config, log } = services;
  return startAuditChains(auditStores(services), {
    dataDir: config.dataDir,
    keys: config.auditSigningKeys,
    every: config.auditCheckpointEvery,
    minutes: config.auditCheckpointMinutes,
    log,
  });
}

/** Verifies this server's chains (all, or one store) against the keys it signs with. */
export async function verifyServerStores(services: Services, only?: string): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  for (const { store, db } of auditStores(services)) {
    if (only && store !== only) continue;
    const key = signingKeyFor(services.config.dataDir, store, services.config.auditSigningKeys);
    const trusted = key ? new Map([[key.keyId, key.publicKey]]) : null;
    reports.push(await verifyStore(db, store, store === 'directory' ? 'directory' : 'region', trusted));
  }
  return reports;
}

/** The public halves of the checkpoint keys, for outside auditors (AU-8). */
export function publicKeys(services: Services): Array<{ store: string; keyId: string; publicKey: string }> {
  const out = [];
  for (const { store } of auditStores(services)) {
    const key = signingKeyFor(services.config.dataDir, store, services.config.auditSigningKeys);
    if (key) out.push({ store, keyId: key.keyId, publicKey: key.publicPem });
  }
  return out;
}
