import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import type { Logger } from 'pino';
import type { Bus, Envelope } from './bus.ts';

const SUBJECT = 'enclave.bus.v1';

/**
 * Multi-node fan-out through NATS core pub/sub. Every node, including the
 * publisher, receives every envelope through the subscription, so all nodes
 * see one order per publisher. Durability does not depend on the bus: missed
 * channel events are replayed from the region's event log on resume.
 */
export class NatsBus implements Bus {
  private readonly handlers = new Set<(e: Envelope) => void>();
  private readonly codec = JSONCodec<Envelope[]>();
  private sub: Subscription | null = null;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {}

  static async connect(url: string, log: Logger): Promise<NatsBus> {
    const nc = await connect({ servers: url, name: 'enclave', maxReconnectAttempts: -1 });
    const bus = new NatsBus(nc, log);
    bus.sub = nc.subscribe(SUBJECT);
    void bus.pump(bus.sub);
    log.info('NATS bus connected');
    return bus;
  }

  private async pump(sub: Subscription): Promise<void> {
    for await (const m of sub) {
      let batch: Envelope[];
      try {
        batch = this.codec.decode(m.data);
      } catch {
        this.log.warn('NATS bus: undecodable message dropped');
        continue;
      }
      for (const e of batch) for (const h of this.handlers) h(e);
    }
  }

  publish(batch: readonly Envelope[]): void {
    if (batch.length) this.nc.publish(SUBJECT, this.codec.encode([...batch]));
  }

  subscribe(handler: (e: Envelope) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await this.nc.drain();
  }
}
