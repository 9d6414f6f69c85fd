import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { INITIAL_JS_BUDGET_KB, measureBundle } from './bundle.ts';

// `npm run bench:web`: builds the web client if stale and records its initial
// download against the budget. Channel-switch time is measured in a real
// browser by e2e/messages.test.ts and recorded here when run with it.

const DIST = fileURLToPath(new URL('../../packages/web/dist/', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

await ensureWebBuild();
const r = measureBundle(DIST);
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
const md = `# Web client bundle — ${date}

Machine: ${machine}. Command: \`npm run bench:web\`.

| measure | value | budget |
| --- | --- | --- |
| initial JavaScript, gzipped | **${r.initialJsGzipKb} KB** | ≤ ${INITIAL_JS_BUDGET_KB} KB |
| initial CSS, gzipped | ${r.initialCssGzipKb} KB | |
| lazy chunks (admin console, PII worker, …), gzipped | ${r.lazyJsGzipKb} KB | not initial |

Initial files: ${r.initialFiles.map((f) => `\`${f.file}\` ${Math.round(f.gzipBytes / 1024)} KB`).join(', ')}.
`;
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}web-latest.md`, md);
writeFileSync(`${RESULTS}web-latest.json`, `${JSON.stringify({ date, machine, ...r }, null, 2)}\n`);
console.log(md);
if (r.initialJsGzipKb > INITIAL_JS_BUDGET_KB) process.exitCode = 1;
