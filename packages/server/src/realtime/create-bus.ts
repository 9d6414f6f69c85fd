import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { type Bus, LocalBus } from './bus.ts';

/** One node: an in-process bus. NATS_URL: a NATS-backed bus shared by every node. */
export async function createBus(config: Config, log: Logger): Promise<Bus> {
  if (config.natsUrl) {
    const { NatsBus } = await import('./nats-bus.ts');
    return NatsBus.connect(config.natsUrl, log);
  }
  return new LocalBus();
}
