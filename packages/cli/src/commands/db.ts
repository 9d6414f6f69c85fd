import type { Command } from 'commander';
import { configOrExit } from './config.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('Database maintenance.');
  db.command('migrate')
    .description('Apply pending migrations to the directory and every region, then exit.')
    .action(async () => {
      const config = await configOrExit();
      const { createLogger, Stores } = await import('@enclave/server');
      const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      const stores = await Stores.open(config, log, { migrate: false });
      try {
        await stores.migrate(log);
        const { ready, problems } = await stores.readiness();
        if (!ready) throw new Error(problems.join('; '));
        process.stdout.write(
          `Migrations are current (directory and ${stores.regionIds.length} region(s): ${stores.regionIds.join(', ')}).\n`,
        );
      } finally {
        await stores.close();
      }
    });
}
