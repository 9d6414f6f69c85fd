import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// The initial JavaScript a browser must download before the app runs (issue 6:
// ≤ 250 KB gzipped): the entry script of index.html plus every module it
// preloads, gzipped as a server would send them. Lazy chunks (the admin
// console, the PII worker) are not initial and are listed separately.

export const INITIAL_JS_BUDGET_KB = 250;

export interface BundleReport {
  initialJsGzipKb: number;
  initialCssGzipKb: number;
  initialFiles: { file: string; bytes: number; gzipBytes: number }[];
  lazyJsGzipKb: number;
}

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

export function measureBundle(dist: string): BundleReport {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)) initial.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g))
    initial.add(m[1]!);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+\.css)"/g)].map((m) => m[1]!);
  const sizes = (file: string) => {
    const bytes = readFileSync(join(dist, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  const initialFiles = [...initial].map(sizes);
  const all = readdirJs(join(dist, 'assets')).map((f) => `assets/${f}`);
  const lazy = all.filter((f) => !initial.has(f)).map(sizes);
  return {
    initialJsGzipKb: kb(initialFiles.reduce((s, f) => s + f.gzipBytes, 0)),
    initialCssGzipKb: kb(css.map(sizes).reduce((s, f) => s + f.gzipBytes, 0)),
    initialFiles,
    lazyJsGzipKb: kb(lazy.reduce((s, f) => s + f.gzipBytes, 0)),
  };
}

function readdirJs(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.js'));
}
