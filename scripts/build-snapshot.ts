/**
 * Makes this build's prepared embedded snapshot (migrated, demo-seeded, pg-boss installed; see
 * src/cli/first-start.ts), so that even the first `npm start` on this machine restores it instead
 * of preparing a data folder in place. Runs from `npm install` (the `prepare` script) and
 * `npm run build:snapshot`; a snapshot this build already has is kept. It never fails the
 * install: without it the first start prepares its folder in place and saves the snapshot then.
 */
import { existsSync } from 'node:fs';
import { buildSnapshot } from '../src/cli/first-start.js';
import { loadConfig } from '../src/platform/config.js';
import { SNAPSHOT_DIR, snapshotFile } from '../src/platform/db/snapshot.js';
import { createLogger } from '../src/platform/logger.js';

try {
  const config = loadConfig();
  const dir = config.snapshotDir ?? SNAPSHOT_DIR;
  if (existsSync(snapshotFile(dir))) {
    process.stdout.write(`embedded snapshot up to date: ${snapshotFile(dir)}\n`);
  } else {
    const started = performance.now();
    const file = await buildSnapshot(dir, config, createLogger('warn'));
    process.stdout.write(
      file
        ? `embedded snapshot made in ${Math.round(performance.now() - started)} ms: ${file}\n`
        : `embedded snapshot not saved (${dir} is not writable); the first start will prepare its folder in place\n`,
    );
  }
} catch (error) {
  process.stderr.write(
    `embedded snapshot not made (${(error as Error).message}); the first start will prepare its folder in place\n`,
  );
}
