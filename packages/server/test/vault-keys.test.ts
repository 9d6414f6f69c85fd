import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatVaultToken, parseTokens } from '@enclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import { startTestServer, type TestServer } from '../../../test-support/server.ts';
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { envKeyProvider, fileKeyProvider, regionKeyPath } from '../src/protection/keys.ts';
import { maskFor } from '../src/protection/vault/masks.ts';
import { dataKeyContext, openValue } from '../src/protection/vault/value-crypto.ts';
import { JUSTIFICATION, postVaulted } from './vault-support.ts';

// docs/data-protection/vault.md VA-1..VA-3 (keys) and VA-7, VA-8 (tokens, masks).

let t: TestServer;
let owner: ApiClient;
let workspaceId: string;
const tmp: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'enclave-vault-keys-'));
  tmp.push(d);
  return d;
};

beforeAll(async () => {
  t = await startTestServer();
  ({ owner, workspaceId } = await t.setupOwner());
});
afterAll(async () => {
  await t?.stop();
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('region keys', () => {
  it('VA-2 the first start creates one key file per region, 0600 in a 0700 directory', () => {
    const dir = statSync(join(t.config.dataDir, 'keys'));
    expect(dir.mode & 0o777).toBe(0o700);
    for (const region of ['us', 'eu']) {
      const st = statSync(regionKeyPath(t.config.dataDir, region));
      expect(st.mode & 0o777).toBe(0o600);
      expect(st.size).toBe(32);
    }
  });

  it('VA-2 a second start reuses the key files (same key ids)', async () => {
    const dataDir = tempDir();
    const first = fileKeyProvider(dataDir, ['us']);
    const second = fileKeyProvider(dataDir, ['us']);
    expect((await first.regionKey('us')).keyId).toBe((await second.regionKey('us')).keyId);
  });

  it('VA-2 refuses to start with a key file or directory others can read, or a damaged key', () => {
    const dataDir = tempDir();
    fileKeyProvider(dataDir, ['us']);
    chmodSync(regionKeyPath(dataDir, 'us'), 0o644);
    expect(() => fileKeyProvider(dataDir, ['us'])).toThrow(ConfigError);
    expect(() => fileKeyProvider(dataDir, ['us'])).toThrow(/chmod 600/);
    chmodSync(regionKeyPath(dataDir, 'us'), 0o600);
    chmodSync(dirname(regionKeyPath(dataDir, 'us')), 0o755);
    expect(() => fileKeyProvider(dataDir, ['us'])).toThrow(/chmod 700/);
    chmodSync(dirname(regionKeyPath(dataDir, 'us')), 0o700);
    writeFileSync(regionKeyPath(dataDir, 'us'), randomBytes(16), { mode: 0o600 });
    expect(() => fileKeyProvider(dataDir, ['us'])).toThrow(/32-byte/);
  });

  it('VA-2 ENCLAVE_REGION_KEYS: validated at config load, one key per region required', async () => {
    const key = randomBytes(32).toString('base64');
    expect(() => loadConfig({ ENCLAVE_REGION_KEYS: '{"us":"short"}' })).toThrow(/ENCLAVE_REGION_KEYS/);
    let message = '';
    try {
      loadConfig({ ENCLAVE_REGION_KEYS: '{"us":"c2VjcmV0LWJ1dC10b28tc2hvcnQ="}' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('c2VjcmV0'); // the key is never echoed
    expect(() => envKeyProvider({ us: key }, ['us', 'eu'])).toThrow(/region "eu" has no key/);
    const provider = envKeyProvider({ us: key, eu: randomBytes(32).toString('base64') }, ['us', 'eu']);
    expect((await provider.regionKey('us')).keyId).not.toBe((await provider.regionKey('eu')).keyId);
    await expect(provider.regionKey('sg')).rejects.toThrow(/no key for region sg/);
  });

  it('VA-3 a value vaulted in eu lives only in eu and cannot be decrypted with the us key', async () => {
    const c = await owner.post(`/api/v1/workspaces/${workspaceId}/channels`, {
      name: 'eu-appeals',
      kind: 'private',
      region: 'eu',
    });
    expect(c.status).toBe(201);
    const channelId = c.body.channel.id as string;
    const v = await postVaulted(t, owner, channelId, 'user id 48213377');
    expect(v.region).toBe('eu');
    const { tokenId, subjectId } = v.tokens[0]!;
    expect((await t.query('us', 'SELECT count(*)::int AS n FROM vault_values')).rows[0].n).toBe(0);
    const row = (
      await t.query(
        'eu',
        'SELECT s.wrapped_key, v.ciphertext, v.nonce, v.tag, v.entity_type FROM vault_values v JOIN vault_subjects s ON s.id = v.subject_id WHERE v.token_id = $1',
        [tokenId],
      )
    ).rows[0];
    const keys = t.server.app.services.vault.keys;
    const usKek = await keys.regionKey('us');
    const euKek = await keys.regionKey('eu');
    await expect(usKek.unwrap(row.wrapped_key, dataKeyContext(subjectId))).rejects.toThrow();
    // The wrapped key is also bound to its subject: it will not unwrap as another subject's.
    await expect(euKek.unwrap(row.wrapped_key, dataKeyContext(tokenId))).rejects.toThrow();
    const dataKey = await euKek.unwrap(row.wrapped_key, dataKeyContext(subjectId));
    const ids = { tokenId, subjectId, type: row.entity_type };
    expect(openValue(dataKey, row, ids)).toBe('48213377');
    // And the reveal goes through the eu region end to end.
    const r = await owner.post(`/api/v1/channels/${channelId}/messages/${v.messageId}/reveal`, {
      token: tokenId,
      justification: JUSTIFICATION,
    });
    expect(r.body.value).toBe('48213377');
    expect(
      (await t.query('us', "SELECT count(*)::int AS n FROM audit_events WHERE action = 'vault.reveal'"))
        .rows[0].n,
    ).toBe(0);
  });
});

describe('tokens and masks', () => {
  it('VA-8 masks keep at most a short safe suffix', () => {
    expect(maskFor('CREDIT_CARD', '4111 1111 1111 4821')).toBe('•••• 4821');
    expect(maskFor('EMAIL_ADDRESS', 'Jane.Doe@Gmail.com')).toBe('j•••@g•••.com');
    expect(maskFor('PHONE_NUMBER', '+1 415 555 0132')).toBe('•••• 32');
    expect(maskFor('US_SSN', '536-22-8471')).toBe('•••• 471');
    expect(maskFor('PERSON', 'Jane Doe')).toBe('••••');
    expect(maskFor('IP_ADDRESS', '203.0.113.7')).toBe('••••');
    expect(maskFor('PLATFORM_USER_ID', '123')).toBe('••••'); // too short to show any suffix
  });

  it('VA-7 token syntax round-trips and rejects look-alikes', () => {
    const tokenId = '01900000-0000-7000-8000-000000000001';
    const token = formatVaultToken({ tokenId, type: 'CREDIT_CARD', mask: '•••• 4821' });
    expect(token).toBe(`⟦vault:${tokenId}:CREDIT_CARD:•••• 4821⟧`);
    const text = `paid with ${token} today`;
    expect(parseTokens(text)).toEqual([
      { token, tokenId, type: 'CREDIT_CARD', mask: '•••• 4821', start: 10, end: 10 + token.length },
    ]);
    expect(parseTokens(`[[vault:${tokenId}:CREDIT_CARD:x]]`)).toEqual([]);
    expect(parseTokens(`〚vault:${tokenId}:CREDIT_CARD:x〛`)).toEqual([]);
    expect(formatVaultToken({ tokenId, type: 'custom:employee-id', mask: '••••' })).toContain(
      ':CUSTOM_EMPLOYEE_ID:',
    );
    expect(() => formatVaultToken({ tokenId, type: 'X', mask: 'a⟧b' })).toThrow();
  });
});
