import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Builds the web client (packages/web) when its build is missing or older than
// any of its sources, so `npm start` and the browser tests always serve the
// current client without a separate build step, and skip the build when
// nothing changed. Run by `npm start` (prestart) and by the browser tests.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'packages/web');
const SOURCES = [
  join(WEB, 'src'),
  join(WEB, 'index.html'),
  join(WEB, 'vite.config.ts'),
  join(WEB, 'package.json'),
  join(ROOT, 'packages/protocol/src'),
  join(ROOT, 'packages/pii/src'),
];

function newest(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)));
  return max;
}

export async function ensureWebBuild(): Promise<'built' | 'fresh'> {
  const built = statSync(join(WEB, 'dist/index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built && built >= Math.max(...SOURCES.map(newest))) return 'fresh';
  const { build } = await import('vite');
  await build({ root: WEB, logLevel: 'warn', configFile: join(WEB, 'vite.config.ts') });
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = await ensureWebBuild();
  if (result === 'built') console.log(`web client built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
