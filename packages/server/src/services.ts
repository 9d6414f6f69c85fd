import type { Logger } from 'pino';
import type { CredentialCache } from './auth/credential-cache.ts';
import type { Config } from './config/schema.ts';
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
  /** Where the server can be reached, for links (setup, invitations). */
  publicUrl(): string;
}
