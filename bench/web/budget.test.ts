import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../scripts/ensure-web-build.ts';
import { INITIAL_JS_BUDGET_KB, measureBundle } from './bundle.ts';

// Issue 6's performance budget, held in CI: the JavaScript a first visit
// downloads before the app runs stays within 250 KB gzipped.
const DIST = fileURLToPath(new URL('../../packages/web/dist/', import.meta.url));

beforeAll(async () => {
  await ensureWebBuild();
}, 120_000);

describe('web bundle budget', () => {
  it(`initial JavaScript is at most ${INITIAL_JS_BUDGET_KB} KB gzipped, and counts every preloaded module`, () => {
    const r = measureBundle(DIST);
    expect(r.initialFiles.length).toBeGreaterThan(0);
    expect(r.initialJsGzipKb).toBeGreaterThan(20);
    expect(r.initialJsGzipKb).toBeLessThanOrEqual(INITIAL_JS_BUDGET_KB);
  });
});
