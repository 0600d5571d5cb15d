/** Analytics jobs: conversation metrics and daily rollups (see rollup-runs.ts). */
import { z } from 'zod';
import { defineJob } from '../../platform/jobs.js';
import { rebuildDay, runAnalyticsTick } from './rollup-runs.js';

/** Refreshes recent conversations' metrics and today's and yesterday's rollups, every tenant. */
export const analyticsTick = defineJob<Record<string, never>>({
  name: 'analytics.tick',
  retryLimit: 2,
  expireInSeconds: 900,
  async handle(_data, ctx) {
    const result = await runAnalyticsTick(ctx);
    ctx.logger.debug({ ...result }, 'analytics rolled up');
  },
});

const rebuildInput = z.object({
  tenantId: z.uuid(),
  date: z.iso.date(),
});

/** Rebuilds one tenant-local day: `jobs.send('analytics.rebuild-day', { tenantId, date })`. */
export const analyticsRebuildDay = defineJob<z.infer<typeof rebuildInput>>({
  name: 'analytics.rebuild-day',
  async handle(data, ctx) {
    const { tenantId, date } = rebuildInput.parse(data);
    await rebuildDay(ctx, tenantId, date);
  },
});

export const analyticsJobs = [analyticsTick, analyticsRebuildDay];
export const analyticsRecurring = [{ name: analyticsTick.name, cron: '*/15 * * * *' }];
