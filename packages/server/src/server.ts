import type { Logger } from 'pino';
import { issueSetupToken } from './actions/accounts.ts';
import { type App, buildApp } from './app.ts';
import type { Config } from './config/schema.ts';
import { createLogger } from './lib/logger.ts';
import { createBus } from './realtime/create-bus.ts';
import { Stores } from './store/stores.ts';

export interface RunningServer {
  app: App;
  url: string;
  /** The one-time setup link, while no account exists. */
  setupUrl: string | null;
  stop(): Promise<void>;
}

/** Opens the databases (embedded or external), migrates, listens. */
export async function startServer(config: Config, opts: { log?: Logger } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const stores = await Stores.open(config, log);
  const bus = await createBus(config, log);
  let app: App;
  try {
    app = await buildApp(config, stores, bus, log);
    await app.http.listen({ host: config.host, port: config.port });
  } catch (err) {
    await bus.close();
    await stores.close();
    throw err;
  }
  const addr = app.http.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : config.port;
  const url =
    config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const token = await issueSetupToken(stores.directory);
  const setupUrl = token ? `${url}/setup?token=${token}` : null;
  let stopping: Promise<void> | null = null;
  return {
    app,
    url,
    setupUrl,
    stop: () => {
      stopping ??= (async () => {
        await app.http.close();
        await bus.close();
        await stores.close();
      })();
      return stopping;
    },
  };
}
