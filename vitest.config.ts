import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/faults/**', 'test/image/**', '**/node_modules/**'],
    // Integration tests wait on a real Docker engine; this is a hang guard, not a speed check.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One lease network per run (TEST_LEASE_NETWORK), removed at the end.
    globalSetup: ['test/support/lease-network-setup.ts'],
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The page runs in the browser, and the tests that drive it measure it there, not here.
      exclude: ['src/web/page/**'],
      reporter: ['text-summary', 'json-summary'],
      // Today's level, rounded down: coverage may only go up. Raise these when it does.
      thresholds: { statements: 87, branches: 81, functions: 88, lines: 89 },
    },
  },
});
