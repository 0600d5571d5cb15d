/**
 * The real knowledge pipeline, set up the way the server sets it up, for the eval and the
 * benches: one platform (database, silent logger, system clock, config from the given
 * environment) and the job queue with every domain's jobs.
 */
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/database.js';
import type { AppPlatform, Platform } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';

export type Pipeline = AppPlatform;

/** `env` is what the config reads instead of process.env (offline embeddings unless it says otherwise). */
export async function openPipeline(db: Database, env: NodeJS.ProcessEnv = {}): Promise<Pipeline> {
  const platform: Platform = {
    db,
    logger: createLogger('silent'),
    clock: systemClock,
    config: loadConfig(env),
  };
  const jobs = createJobs(platform);
  await jobs.start();
  return { ...platform, jobs };
}
