import type { Config } from '@enclave/server';

/** Loads configuration or exits with the validation message (exit code 2: usage/config error). */
export async function configOrExit(overrides: Record<string, unknown> = {}): Promise<Config> {
  // Loaded on demand: the server pulls in the database driver and embedded PostgreSQL,
  // which commands such as `pii scan` and `--help` do not need.
  const { ConfigError, loadConfig } = await import('@enclave/server');
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
