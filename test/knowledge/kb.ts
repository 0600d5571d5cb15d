/**
 * What the knowledge tests share: a platform with the real job queue over this file's
 * database, and a tenant.
 */
import { afterAll } from 'vitest';
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { AppPlatform, Platform } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';
import type { TestDatabase } from '../helpers/db.js';

/** A platform (config from `env`) with its own job queue, stopped after the file. */
export function usePlatform(t: TestDatabase | { db: TestDatabase['db'] }, env: Record<string, string> = {}) {
  let platform: AppPlatform | undefined;
  afterAll(async () => {
    await platform?.jobs.stop();
  });
  return (): AppPlatform => {
    if (!platform) {
      const base: Platform = {
        db: t.db,
        logger: createLogger('silent'),
        clock: systemClock,
        config: loadConfig(env),
      };
      platform = { ...base, jobs: createJobs(base) };
    }
    return platform;
  };
}
