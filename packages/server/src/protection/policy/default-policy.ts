import { readFileSync } from 'node:fs';

/** Where the shipped default policy lives (also what `enclave policy validate` is pointed at in docs). */
export const DEFAULT_POLICY_PATH = new URL('../../../policies/default.yaml', import.meta.url).pathname;

let cached: string | null = null;

/** The default policy's YAML text, read once. */
export function defaultPolicyYaml(): string {
  cached ??= readFileSync(DEFAULT_POLICY_PATH, 'utf8');
  return cached;
}
