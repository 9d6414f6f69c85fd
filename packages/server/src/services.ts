import type { Logger } from 'pino';
import type { AccessCache } from './access/access-cache.ts';
import type { CredentialCache } from './auth/credential-cache.ts';
import type { Config } from './config/schema.ts';
import type { VaultServices } from './protection/vault/index.ts';
import type { Bus } from './realtime/bus.ts';
import type { Stores } from './store/stores.ts';

/** What every route and action may use. Built once in app.ts. */
export interface Services {
  config: Config;
  stores: Stores;
  log: Logger;
  bus: Bus;
  /** Recently resolved sessions and tokens; invalidated by control envelopes. */
  credentials: CredentialCache;
  /** Channel region + workspace role per person; invalidated by control envelopes. */
  access: AccessCache;
  /** Region keys and the reveal rule (docs/data-protection/vault.md). */
  vault: VaultServices;
  /** Where the server can be reached, for links (setup, invitations). */
  publicUrl(): string;
}
