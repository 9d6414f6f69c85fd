import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { Bus } from './realtime/bus.ts';
import type { Stores } from './store/stores.ts';

/** What every route and action may use. Built once in app.ts. */
export interface Services {
  config: Config;
  stores: Stores;
  log: Logger;
  bus: Bus;
  /** Where the server can be reached, for links (setup, invitations). */
  publicUrl(): string;
}
