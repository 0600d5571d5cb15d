/**
 * What the knowledge tests share: a platform with the real job queue over this file's
 * database, and a tenant.
 */
import { afterAll } from 'vitest';
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { type Config, loadConfig } from '../../src/platform/config.js';
import type { Jobs, Platform } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';
import type { TestDatabase } from '../helpers/db.js';

export type KbPlatform = Platform & { jobs: Jobs };

/** A platform (config from `env`) with its own job queue, stopped after the file. */
export function usePlatform(t: TestDatabase | { db: TestDatabase['db'] }, env: Record<string, string> = {}) {
  let platform: KbPlatform | undefined;
  afterAll(async () => {
    await platform?.jobs.stop();
  });
  return (): KbPlatform => {
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

export function withConfig(p: KbPlatform, patch: (c: Config) => Config): KbPlatform {
  return { ...p, config: patch(p.config) };
}
