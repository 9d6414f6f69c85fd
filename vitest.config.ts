import { defineConfig } from 'vitest/config';

// One suite for the whole repo. Server integration tests share one PostgreSQL
// (embedded, or TEST_DATABASE_URL) started in globalSetup; each test file gets
// its own databases so files run in parallel without seeing each other.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
