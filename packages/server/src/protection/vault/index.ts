import type { Config } from '../../config/schema.ts';
import { type KeyProvider, openKeyProvider } from '../keys.ts';
import { defaultRevealPolicy, type RevealPolicy } from './reveal-policy.ts';

// The vault's public surface (docs/data-protection/vault.md). The write
// pipeline calls vaultFindings() inside its region transaction; routes call
// the reveal and erasure actions; clients use parseTokens() from @enclave/protocol.

export { escapeUserText, formatVaultToken, parseTokens } from '@enclave/protocol';
export type { KeyEncryptionKey, KeyProvider } from '../keys.ts';
export { defaultRevealPolicy, type RevealContext, type RevealPolicy } from './reveal-policy.ts';
export { deleteMessageValues, type VaultInput, type VaultResult, vaultFindings } from './vault-findings.ts';

export interface VaultServices {
  keys: KeyProvider;
  /** Who may reveal which types; the policy engine's rule replaces the default when wired. */
  revealPolicy: RevealPolicy;
}

/** Opens the region keys at start; a missing or loosely-permissioned key file stops the start (VA-2). */
export function createVault(config: Config, revealPolicy: RevealPolicy = defaultRevealPolicy): VaultServices {
  return { keys: openKeyProvider(config), revealPolicy };
}
