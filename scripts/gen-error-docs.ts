// Writes docs/errors.md from the error catalogue (packages/protocol/src/errors.ts).
// Run `npm run docs:errors` after adding a code; test/contract.test.ts fails until you do.
import { writeFileSync } from 'node:fs';
import { ERROR_CATALOGUE } from '@enclave/protocol';

const rows = Object.entries(ERROR_CATALOGUE).map(
  ([code, s]) => `| \`${code}\` | ${s.status} | ${s.message} |`,
);
const doc = `# Errors

Every error Enclave's HTTP API returns has one shape:

\`\`\`json
{ "error": { "code": "VALIDATION_FAILED", "message": "…", "requestId": "…", "issues": [{ "path": "body.text", "problem": "…" }] } }
\`\`\`

- \`code\` is one of the codes below and is what programs should branch on; \`message\` is for people and may change.
- \`requestId\` matches the \`X-Request-Id\` response header and the server's log line for the request.
- \`issues\` (validation errors only) names each offending field and the problem, never the value sent.
- \`details\` carries structured facts for some codes (e.g. \`maxLength\` for \`MESSAGE_TOO_LONG\`).
- A request that fails changes nothing: every write is one transaction.

WebSocket close codes are listed in [realtime.md](realtime.md#close-codes).

This table is generated from \`packages/protocol/src/errors.ts\` by \`npm run docs:errors\`; a test keeps the two in step.

| code | HTTP status | meaning |
| --- | --- | --- |
${rows.join('\n')}
`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), doc);
console.log(`docs/errors.md: ${rows.length} codes`);
