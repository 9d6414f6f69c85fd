import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { regionProblems } from './regions.ts';
import { type Config, ConfigSchema, ENV_VARS } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the configuration from (lowest to highest precedence) defaults, the
 * optional file named by ENCLAVE_CONFIG (YAML or JSON, same keys as the schema),
 * environment variables, and explicit overrides (tests, CLI flags).
 * A bad value throws a ConfigError naming the variable and how to fix it.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, unknown> = {},
): Config {
  const raw: Record<string, unknown> = {};
  const source: Record<string, string> = {};

  const file = env.ENCLAVE_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`ENCLAVE_CONFIG: cannot read ${file}: ${(err as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new ConfigError(`ENCLAVE_CONFIG: ${file} must hold a mapping of settings`);
      }
      for (const [k, v] of Object.entries(parsed)) {
        raw[k] = v;
        source[k] = `${file}: ${k}`;
      }
    }
  }

  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (spec.json) {
      try {
        raw[spec.key] = JSON.parse(value);
      } catch {
        throw new ConfigError(`${name}: not valid JSON. Expected ${spec.help}.`);
      }
    } else {
      raw[spec.key] = value;
    }
    source[spec.key] = name;
  }
  Object.assign(raw, overrides);

  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const where = source[key] ?? key;
      const help = Object.entries(ENV_VARS).find(([, s]) => s.key === key)?.[1].help;
      const path = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join('.')})` : '';
      return `${where}${path}: ${issue.message}.${help ? ` Fix: set it to ${help}.` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = result.data;
  const ids = config.regions.map((r) => r.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) {
    throw new ConfigError(`${source.regions ?? 'ENCLAVE_REGIONS'}: region "${dup}" is declared twice.`);
  }
  const defaultRegion = config.defaultRegion ?? ids[0]!;
  if (!ids.includes(defaultRegion)) {
    throw new ConfigError(
      `ENCLAVE_DEFAULT_REGION: "${defaultRegion}" is not a declared region (declared: ${ids.join(', ')}).`,
    );
  }
  const where = (key: string) =>
    source[key] ?? Object.entries(ENV_VARS).find(([, s]) => s.key === key)?.[0] ?? key;
  const problems = regionProblems(config, where);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return { ...config, defaultRegion };
}
