import { type Config, ConfigError, loadConfig } from '@enclave/server';

/** Loads configuration or exits with the validation message (exit code 2: usage/config error). */
export function configOrExit(overrides: Record<string, unknown> = {}): Config {
  try {
    return loadConfig(process.env, overrides);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
