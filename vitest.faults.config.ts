import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: the fault-injection suite (PostgreSQL server only; see docs/operations.md). */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // One file at a time: each runs Frontdesk processes under load.
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 180_000,
  },
});
