import { defineConfig } from 'vitest/config';

/** The product's container image: built from the Dockerfile, run, asked /readyz and one provision. */
export default defineConfig({
  test: {
    include: ['test/image/**/*.test.ts'],
    testTimeout: 120_000,
    // Building the image installs the dependencies in a container: minutes on a cold cache.
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
