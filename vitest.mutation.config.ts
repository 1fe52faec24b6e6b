import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant (`npm run mutation`, stryker.config.mjs): unit,
 * contract and integration tests on real Redis and Docker. Left out, because a mutant could never
 * be seen in them: the tests that run the built product (`dist/`) as a process, which runs the
 * unmutated build and is not in Stryker's sandbox (test/e2e with the browser tests, and the integration tests that start
 * the product, its scheduler or Discord's registration script), and the fault suite, which does the same and stops shared
 * services. No coverage thresholds here: Stryker switches coverage off and measures its own.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      'test/integration/cleanup-scheduler.test.ts',
      'test/integration/discord/register.test.ts',
      'test/integration/redis-password.test.ts',
      'test/integration/start-refusals.test.ts',
    ],
    // A hang guard for tests that wait on a real Docker engine, not a speed check.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/lease-network-setup.ts'],
  },
});
