import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite is a whole PostgreSQL per file: two cores, two files at a time.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
