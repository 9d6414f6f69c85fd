import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { configOrExit } from './config.ts';

// `enclave audit ...`: verify and export the hash-chained audit log straight
// from the databases (docs/data-protection/audit.md, AU-9). Exit codes:
// 0 intact, 1 broken (or a runtime error), 2 bad configuration or usage.

interface StoreOpts {
  region?: string;
  directory?: boolean;
}

function pickStores(opts: StoreOpts, regionIds: string[]): string[] {
  if (opts.region && opts.directory) throw new UsageError('use either --region or --directory, not both');
  if (opts.directory) return ['directory'];
  if (opts.region) {
    if (!regionIds.includes(opts.region))
      throw new UsageError(`no region "${opts.region}" is configured (have: ${regionIds.join(', ')})`);
    return [opts.region];
  }
  return ['directory', ...regionIds];
}

class UsageError extends Error {}

async function withStores<T>(
  fn: (ctx: {
    config: Awaited<ReturnType<typeof configOrExit>>;
    server: typeof import('@enclave/server');
    dbOf: (store: string) => import('kysely').Kysely<unknown>;
    regionIds: string[];
  }) => Promise<T>,
): Promise<T> {
  const config = await configOrExit();
  const server = await import('@enclave/server');
  const log = server.createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  // Never migrate here: verification must look at the databases as they are.
  const stores = await server.Stores.open(config, log, { migrate: false });
  try {
    const dbOf = (store: string) =>
      (store === 'directory' ? stores.directory : stores.region(store)) as import('kysely').Kysely<unknown>;
    return await fn({ config, server, dbOf, regionIds: stores.regionIds });
  } finally {
    await stores.close();
  }
}

function usageExit(err: unknown): never {
  console.error(`enclave: ${(err as Error).message}`);
  process.exit(2);
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Verify and export the tamper-evident audit log.');
  audit
    .command('verify')
    .description(
      'Recompute every hash chain and checkpoint signature. Exit 0 when intact; 1 with the first broken entry otherwise.',
    )
    .option('--region <id>', 'verify only this region')
    .option('--directory', 'verify only the directory')
    .option(
      '--public-key <file...>',
      'trust these exported public keys (SPKI PEM) in addition to the local key files',
    )
    .option('--json', 'print the full reports as JSON', false)
    .action(async (opts: StoreOpts & { publicKey?: string[]; json: boolean }) => {
      const code = await withStores(async ({ config, server, dbOf, regionIds }) => {
        let stores: string[];
        let given: Array<{ keyId: string; key: import('node:crypto').KeyObject }>;
        try {
          stores = pickStores(opts, regionIds);
          given = (opts.publicKey ?? []).map((f) => server.parsePublicKey(readFileSync(f, 'utf8')));
        } catch (err) {
          usageExit(err);
        }
        let broken = 0;
        const reports = [];
        for (const store of stores) {
          const own = server.loadSigningKey(config.dataDir, store, {
            create: false,
            configured: config.auditSigningKeys,
          });
          const trusted = new Map(given.map((k) => [k.keyId, k.key]));
          if (own) trusted.set(own.keyId, own.publicKey);
          const kind = store === 'directory' ? 'directory' : 'region';
          const r = await server.verifyStore(dbOf(store), store, kind, trusted.size ? trusted : null);
          reports.push(r);
          if (!r.intact) broken++;
          if (opts.json) continue;
          if (r.intact) {
            process.stdout.write(
              `${store}: intact, ${r.entries} entries (last seq ${r.lastSeq}), ${r.checkpoints} signed checkpoint(s) verified with ${r.keySource === 'trusted' ? 'trusted keys' : 'keys recorded in the database only'}\n`,
            );
          } else {
            const p = r.firstProblem!;
            process.stdout.write(`${store}: BROKEN at seq ${p.seq}: ${p.kind}: ${p.detail}\n`);
            for (const more of r.problems.slice(1, 5))
              process.stdout.write(`  also seq ${more.seq}: ${more.kind}: ${more.detail}\n`);
          }
        }
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ intact: broken === 0, reports }, null, 2)}\n`);
        return broken ? 1 : 0;
      });
      // Explicit: something in the loader chain resets process.exitCode (stdout to a pipe is synchronous).
      if (code) process.exit(code);
    });

  audit
    .command('export')
    .description('Write one store’s audit entries to stdout as JSON lines, in sequence order.')
    .option('--region <id>', 'export this region')
    .option('--directory', 'export the directory (the default)')
    .action(async (opts: StoreOpts) => {
      await withStores(async ({ server, dbOf, regionIds }) => {
        let store: string;
        try {
          store = opts.region ? pickStores(opts, regionIds)[0]! : 'directory';
        } catch (err) {
          usageExit(err);
        }
        for await (const e of server.exportAuditEvents(dbOf(store), store, {}))
          process.stdout.write(`${JSON.stringify(e)}\n`);
      });
    });

  audit
    .command('public-key')
    .description('Print the public key (SPKI PEM) that signs a store’s checkpoints, for outside auditors.')
    .option('--region <id>', 'the key of this region')
    .option('--directory', 'the key of the directory (the default)')
    .action(async (opts: StoreOpts) => {
      const config = await configOrExit();
      const { loadSigningKey } = await import('@enclave/server');
      if (opts.region && opts.directory) usageExit(new Error('use either --region or --directory, not both'));
      const store = opts.region ?? 'directory';
      const key = loadSigningKey(config.dataDir, store, {
        create: false,
        configured: config.auditSigningKeys,
      });
      if (!key)
        usageExit(new Error(`no signing key for ${store} here (it is created when the server first starts)`));
      process.stdout.write(key.publicPem);
    });
}
