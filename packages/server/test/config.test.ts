import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load.ts';

describe('configuration', () => {
  it('has embedded defaults that need no settings at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: './data',
      defaultRegion: 'us',
      regions: [{ id: 'us' }],
    });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('reads environment variables', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgres://db/enclave',
      ENCLAVE_REGIONS: '[{"id":"us"},{"id":"eu","databaseUrl":"postgres://eu-db/enclave"}]',
      ENCLAVE_DEFAULT_REGION: 'eu',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgres://db/enclave',
      defaultRegion: 'eu',
    });
    expect(c.regions.map((r) => r.id)).toEqual(['us', 'eu']);
  });

  it('names the variable and the fix when a value is bad', () => {
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(bad({ PORT: 'eighty' })).toMatch(/PORT: .*Fix: set it to TCP port/);
    expect(bad({ PORT: '70000' })).toMatch(/^Invalid configuration:\n {2}PORT:/);
    expect(bad({ DATABASE_URL: 'mysql://x' })).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect(bad({ ENCLAVE_REGIONS: '[{"id":"us"' })).toMatch(/ENCLAVE_REGIONS: not valid JSON/);
    expect(bad({ ENCLAVE_REGIONS: '[{"id":"US"}]' })).toMatch(
      /ENCLAVE_REGIONS \(at 0.id\): must be a lower-case region id/,
    );
    expect(bad({ ENCLAVE_REGIONS: '[{"id":"us"},{"id":"us"}]' })).toMatch(/region "us" is declared twice/);
    expect(bad({ ENCLAVE_DEFAULT_REGION: 'eu' })).toMatch(
      /ENCLAVE_DEFAULT_REGION: "eu" is not a declared region/,
    );
    expect(bad({ LOG_LEVEL: 'loud' })).toMatch(/LOG_LEVEL/);
  });

  it('reads an optional YAML config file, with environment variables taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'enclave-config-'));
    const file = join(dir, 'enclave.yaml');
    writeFileSync(file, 'port: 4000\nregions:\n  - id: us\n  - id: sg\n    name: Singapore\n');
    const c = loadConfig({ ENCLAVE_CONFIG: file, PORT: '5000' });
    expect(c.port).toBe(5000);
    expect(c.regions).toEqual([{ id: 'us' }, { id: 'sg', name: 'Singapore' }]);
    writeFileSync(file, 'prot: 4000\n');
    expect(() => loadConfig({ ENCLAVE_CONFIG: file })).toThrow(/Unrecognized key.*prot/i);
    expect(() => loadConfig({ ENCLAVE_CONFIG: join(dir, 'missing.yaml') })).toThrow(
      /ENCLAVE_CONFIG: cannot read/,
    );
  });
});

describe('docs/configuration.md', () => {
  it('lists exactly the settings the server reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { ENV_VARS } = await import('../src/config/schema.ts');
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| `([A-Za-z]+)` \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(ENV_VARS).map(([name, s]) => [name, s.key]));
  });
});
