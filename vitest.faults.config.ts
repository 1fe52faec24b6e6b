import { defineConfig } from 'vitest/config';

/** The fault suite: real Redis, Docker and app processes, one scenario at a time (some restart shared services). */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One lease network per run (TEST_LEASE_NETWORK), removed at the end.
    globalSetup: ['test/support/lease-network-setup.ts'],
  },
});
