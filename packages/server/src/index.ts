export { insertUser } from './actions/accounts.ts';
export { type App, buildApp } from './app.ts';
export { ConfigError, loadConfig } from './config/load.ts';
export { type Config, ENV_VARS } from './config/schema.ts';
export { createLogger } from './lib/logger.ts';
export { type RunningServer, startServer } from './server.ts';
export { Stores } from './store/stores.ts';
export { VERSION } from './version.ts';
