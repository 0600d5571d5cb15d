import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that never reach the database server: they run the `frontdesk` CLI on embedded data
 * folders (the child's environment drops the server's URL: test/helpers/cli.ts), or test the
 * embedded engine's own snapshot. The server lanes (TEST_DATABASE_URL set: scripts/test-server.sh,
 * Citus) would run them exactly as the embedded lane does, so they run there only. A file that
 * also reaches the server (doctor, first-hour, migrate) is not listed.
 */
const EMBEDDED_ONLY = [
  'test/cli/admin.test.ts',
  'test/cli/bundle.test.ts',
  'test/cli/config-errors.test.ts',
  'test/cli/kb.test.ts',
  'test/cli/plans.test.ts',
  'test/cli/secrets.test.ts',
  'test/cli/snapshot.test.ts',
  'test/cli/start.test.ts',
  'src/platform/db/snapshot.test.ts',
  'src/seed/seed-cli.test.ts',
];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: process.env.TEST_DATABASE_URL
      ? [...configDefaults.exclude, ...EMBEDDED_ONLY]
      : configDefaults.exclude,
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Each worker process runs its files one after another without re-importing the app for each
    // one: importing it anew (about 400 modules) in a fresh process per file was about half of
    // the embedded lane's time (12 min 11 s isolated, 7 min 14 s not, same 858 tests). Files still
    // share nothing that matters: each opens its own database (test/helpers/db.ts), and none
    // mocks modules, stubs globals or sets environment variables for the files after it.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite is a whole PostgreSQL per file: two cores, two files at a time.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
