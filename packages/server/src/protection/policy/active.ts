import type { Services } from '../../services.ts';
import type { CompiledPolicy } from './compile.ts';
import { mustParsePolicy } from './parse.ts';
import { ensureDefaultPolicy } from './store.ts';

/**
 * The parsed active policy, cached per server (PO-7.3). decide() runs on every
 * message, so the policy is parsed once per activation, not per message. An
 * activation on any node publishes a `policy` envelope; every node drops its
 * copy and reloads on next use. A load that raced an activation is discarded.
 */
class ActivePolicyCache {
  private current: CompiledPolicy | null = null;
  private loading: Promise<CompiledPolicy> | null = null;
  private generation = 0;

  constructor(private readonly services: Services) {
    services.bus.subscribe((e) => {
      if (e.kind === 'policy') this.invalidate();
    });
  }

  invalidate(): void {
    this.generation++;
    this.current = null;
    this.loading = null;
  }

  async get(): Promise<CompiledPolicy> {
    if (this.current) return this.current;
    if (this.loading) return this.loading;
    const gen = this.generation;
    const load = this.load().then(
      (policy) => {
        if (gen === this.generation) {
          this.current = policy;
          this.loading = null;
        }
        return policy;
      },
      (err) => {
        if (gen === this.generation) this.loading = null;
        throw err;
      },
    );
    this.loading = load;
    return load;
  }

  private async load(): Promise<CompiledPolicy> {
    const db = this.services.stores.directory;
    const find = () =>
      db
        .selectFrom('policy_versions')
        .select(['version', 'yaml'])
        .where('active', '=', true)
        .executeTakeFirst();
    let row = await find();
    if (!row) {
      await ensureDefaultPolicy(this.services);
      row = await find();
    }
    if (!row) throw new Error('no active policy version');
    return mustParsePolicy(row.yaml, row.version);
  }
}

const caches = new WeakMap<Services, ActivePolicyCache>();

function cacheFor(services: Services): ActivePolicyCache {
  let c = caches.get(services);
  if (!c) {
    c = new ActivePolicyCache(services);
    caches.set(services, c);
  }
  return c;
}

/** The active policy (stores and activates the default on first use of a fresh install). */
export function activePolicy(services: Services): Promise<CompiledPolicy> {
  return cacheFor(services).get();
}

/** Drops this node's cached copy (the bus tells the other nodes). */
export function forgetActivePolicy(services: Services): void {
  cacheFor(services).invalidate();
}
