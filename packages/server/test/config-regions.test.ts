import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load.ts';
import { planRegions, revealRateLimit } from '../src/config/regions.ts';
import { openKeyProvider, regionKeyPath } from '../src/protection/keys.ts';
import { Stores } from '../src/store/stores.ts';

// docs/regions.md: what each region's settings mean and which mistakes stop the start.

const tmp: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'enclave-config-regions-'));
  tmp.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

const regions = (list: unknown[]) => ({ ENCLAVE_REGIONS: JSON.stringify(list) });

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('region placement', () => {
  it('on embedded defaults gives each region its own cluster, files and keys under DATA_DIR/regions/<id>', () => {
    const config = loadConfig({
      ENCLAVE_DATA_DIR: '/srv/enclave',
      ENCLAVE_EMBEDDED_PG_PORT: '6000',
      ...regions([{ id: 'us' }, { id: 'eu', embeddedPort: 7000 }, { id: 'sg' }]),
    });
    const [us, eu, sg] = planRegions(config);
    expect(us).toMatchObject({
      database: { kind: 'own-cluster', port: 6001, dir: '/srv/enclave/regions/us/pg', auto: true },
      fileStoreDir: '/srv/enclave/regions/us/files',
      keys: { type: 'file', dir: null },
      revealRateLimitPerMinute: 20,
    });
    expect(eu!.database).toMatchObject({ port: 7000, passwordFile: '/srv/enclave/regions/eu/pg.password' });
    // Ports follow the declaration order, not which regions set their own.
    expect(sg!.database).toMatchObject({ port: 6003 });
  });

  it('beside DATABASE_URL, with a databaseUrl, shared, or own: as configured', () => {
    const key = randomBytes(32).toString('base64');
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/enclave',
      ENCLAVE_REGION_KEYS: JSON.stringify({ us: key }),
      ...regions([
        { id: 'us', fileStore: '/mnt/us-files' },
        { id: 'eu', databaseUrl: 'postgres://eu-db/enclave_eu', keyProvider: 'file' },
        { id: 'sg', embedded: 'own', keyProvider: { type: 'file', dir: '/secrets/sg' } },
        {
          id: 'au',
          databaseUrl: 'postgres://au-db/enclave_au',
          revealRateLimitPerMinute: 3,
          keyProvider: 'file',
        },
      ]),
    });
    const [us, eu, sg, au] = planRegions(config);
    expect(us).toMatchObject({
      database: { kind: 'beside-directory' },
      fileStoreDir: '/mnt/us-files',
      keys: { type: 'env' }, // ENCLAVE_REGION_KEYS makes env the default
    });
    expect(eu).toMatchObject({
      database: { kind: 'external', url: 'postgres://eu-db/enclave_eu' },
      keys: { type: 'file', dir: null },
    });
    expect(sg).toMatchObject({
      database: { kind: 'own-cluster', auto: false },
      keys: { dir: '/secrets/sg' },
    });
    expect(au!.revealRateLimitPerMinute).toBe(3);
    expect(revealRateLimit(config, 'au')).toBe(3);
    expect(revealRateLimit(config, 'us')).toBe(20);
  });

  it('resolves relative paths from the working directory', () => {
    const config = loadConfig(regions([{ id: 'us', fileStore: 'files/us' }]));
    expect(planRegions(config)[0]!.fileStoreDir).toBe(resolve('files/us'));
  });
});

describe('region configuration errors name the setting and the fix', () => {
  it('ports: out of range, taken twice, or set where no cluster runs', () => {
    expect(problem({ ENCLAVE_EMBEDDED_PG_PORT: '0' })).toMatch(/ENCLAVE_EMBEDDED_PG_PORT: .*Fix:/);
    expect(problem({ ENCLAVE_EMBEDDED_PG_PORT: '65535' })).toMatch(
      /ENCLAVE_EMBEDDED_PG_PORT: base port 65535 leaves no port for region "us" \(it would get 65536\)\. Fix:/,
    );
    expect(problem(regions([{ id: 'us', embeddedPort: 70000 }]))).toMatch(
      /ENCLAVE_REGIONS \(at 0\.embeddedPort\): .*Fix:/,
    );
    expect(problem(regions([{ id: 'us' }, { id: 'eu', embeddedPort: 54330 }]))).toMatch(
      /ENCLAVE_REGIONS \(at 1\.embeddedPort\): port 54330 of region "eu"'s embedded PostgreSQL is already used by region "us"'s embedded PostgreSQL\. Fix: set embeddedPort for region "eu" to a free port\./,
    );
    expect(problem(regions([{ id: 'us', embeddedPort: 54329 }]))).toMatch(
      /already used by the directory's embedded PostgreSQL/,
    );
    expect(problem({ PORT: '54330' })).toMatch(
      /ENCLAVE_EMBEDDED_PG_PORT: port 54330 of region "us"'s embedded PostgreSQL is already used by the HTTP server \(PORT\)/,
    );
    expect(problem({ PORT: '54329' })).toMatch(
      /ENCLAVE_EMBEDDED_PG_PORT: port 54329 is also the HTTP server's \(PORT\)\. Fix:/,
    );
    expect(problem(regions([{ id: 'us', databaseUrl: 'postgres://x/y', embeddedPort: 6000 }]))).toMatch(
      /\(at 0\.embeddedPort\): region "us" does not run its own embedded PostgreSQL \(it has a databaseUrl\)/,
    );
    expect(
      problem({ DATABASE_URL: 'postgres://db/e', ...regions([{ id: 'us', embeddedPort: 6000 }]) }),
    ).toMatch(/\(DATABASE_URL is set\)\. Fix: remove embeddedPort, or set embedded to "own"/);
    expect(problem(regions([{ id: 'us', databaseUrl: 'postgres://x/y', embedded: 'own' }]))).toMatch(
      /\(at 0\.embedded\): region "us" has a databaseUrl/,
    );
  });

  it('paths: shared or nested file stores, stores over the data directory, keys in another region', () => {
    const env = { ENCLAVE_DATA_DIR: '/srv/enclave' };
    expect(
      problem({
        ...env,
        ...regions([
          { id: 'us', fileStore: '/f' },
          { id: 'eu', fileStore: '/f/eu' },
        ]),
      }),
    ).toMatch(
      /ENCLAVE_REGIONS \(at 0\.fileStore\): region "us"'s file store \/f overlaps region "eu"'s file store\. Fix:/,
    );
    expect(problem({ ...env, ...regions([{ id: 'us', fileStore: '/srv' }]) })).toMatch(
      /region "us"'s file store \/srv overlaps ENCLAVE_DATA_DIR/,
    );
    expect(problem({ ...env, ...regions([{ id: 'us', fileStore: '/srv/enclave/postgres/files' }]) })).toMatch(
      /overlaps the directory's database/,
    );
    expect(
      problem({ ...env, ...regions([{ id: 'us', fileStore: '/srv/enclave/regions/eu/x' }, { id: 'eu' }]) }),
    ).toMatch(/region "us"'s file store .* overlaps region "eu"'s directory/);
    expect(problem({ ...env, ...regions([{ id: 'us', fileStore: '/srv/enclave/regions/us' }]) })).toMatch(
      /overlaps its own database/,
    );
    expect(
      problem({
        ...env,
        ...regions([
          { id: 'us', keyProvider: { type: 'file', dir: '/srv/enclave/regions/eu/keys' } },
          { id: 'eu' },
        ]),
      }),
    ).toMatch(/\(at 0\.keyProvider\.dir\): region "us"'s key directory .* lies in region "eu"'s space/);
    expect(problem(regions([{ id: 'us', fileStore: '' }]))).toMatch(/\(at 0\.fileStore\)/);
    expect(problem(regions([{ id: 'us', keyProvider: 'kms' }]))).toMatch(/\(at 0\.keyProvider\)/);
  });

  it('duplicates and missing keys', () => {
    expect(problem(regions([{ id: 'us' }, { id: 'us' }]))).toMatch(
      /ENCLAVE_REGIONS: region "us" is declared twice/,
    );
    expect(problem(regions([{ id: 'us', keyProvider: 'env' }]))).toMatch(
      /ENCLAVE_REGION_KEYS: region "us" takes its vault key from ENCLAVE_REGION_KEYS but has none there\. Fix:/,
    );
    const file = join(tempDir(), 'enclave.yaml');
    writeFileSync(file, 'regions:\n  - id: us\n  - id: eu\n    embeddedPort: 54330\n');
    expect(problem({ ENCLAVE_CONFIG: file })).toMatch(
      new RegExp(`${file}: regions \\(at 1\\.embeddedPort\\): port 54330`),
    );
  });
});

describe('region stores and keys on disk', () => {
  it('creates each file store 0700 and refuses one that is a file or open to others', async () => {
    const dataDir = tempDir();
    const log = pino({ level: 'silent' });
    const external = { DATABASE_URL: 'postgres://127.0.0.1:1/none', ENCLAVE_DATA_DIR: dataDir };
    const asFile = join(dataDir, 'not-a-dir');
    writeFileSync(asFile, '');
    await expect(
      Stores.open(loadConfig({ ...external, ...regions([{ id: 'us', fileStore: asFile }]) }), log),
    ).rejects.toThrow(/ENCLAVE_REGIONS: the file store of region "us", .* is not a directory\. Fix:/);
    const open = join(dataDir, 'open');
    mkdirSync(open, { mode: 0o755 });
    await expect(
      Stores.open(loadConfig({ ...external, ...regions([{ id: 'us', fileStore: open }]) }), log),
    ).rejects.toThrow(/is open to other users \(mode 755\)\. Fix: chmod 700/);
    // The file store is made before any database is reached (this URL reaches none).
    await expect(Stores.open(loadConfig(external), log)).rejects.toThrow();
    expect(statSync(join(dataDir, 'regions/us/files')).mode & 0o777).toBe(0o700);
  });

  it('key files: per region by default, the shared DATA_DIR/keys file of an older install, or env', async () => {
    const dataDir = tempDir();
    expect(regionKeyPath(dataDir, 'us')).toBe(join(dataDir, 'regions/us/keys/region-us.kek'));
    mkdirSync(join(dataDir, 'keys'), { mode: 0o700 });
    writeFileSync(join(dataDir, 'keys/region-us.kek'), randomBytes(32), { mode: 0o600 });
    expect(regionKeyPath(dataDir, 'us')).toBe(join(dataDir, 'keys/region-us.kek'));
    expect(regionKeyPath(dataDir, 'us', '/secrets/us')).toBe('/secrets/us/region-us.kek');

    const euKey = randomBytes(32).toString('base64');
    const config = loadConfig({
      ENCLAVE_DATA_DIR: dataDir,
      ENCLAVE_REGION_KEYS: JSON.stringify({ eu: euKey }),
      ...regions([{ id: 'us', keyProvider: 'file' }, { id: 'eu' }, { id: 'sg', keyProvider: 'file' }]),
    });
    const provider = openKeyProvider(config);
    expect(provider.kind).toBe('mixed');
    const ids = await Promise.all(['us', 'eu', 'sg'].map(async (r) => (await provider.regionKey(r)).keyId));
    expect(new Set(ids).size).toBe(3);
    // us kept its older key file; sg got a new one in its own directory, private.
    expect(existsSync(join(dataDir, 'regions/us/keys'))).toBe(false);
    expect(statSync(join(dataDir, 'regions/sg/keys')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'regions/sg/keys/region-sg.kek')).mode & 0o777).toBe(0o600);
    // The same files give the same keys on the next start.
    const again = openKeyProvider(config);
    expect((await again.regionKey('us')).keyId).toBe(ids[0]);
    expect((await again.regionKey('sg')).keyId).toBe(ids[2]);
  });
});
