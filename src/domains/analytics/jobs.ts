/** Analytics jobs: conversation metrics and daily rollups (see rollup-runs.ts). */

import { defineJob, defineTick } from '../../platform/jobs.js';
import { z } from '../../platform/zod.js';
import { rebuildDay, runAnalyticsTick } from './rollup-runs.js';

/** Refreshes recent conversations' metrics and today's and yesterday's rollups, every tenant. */
export const analyticsTick = defineTick({
  name: 'analytics.tick',
  cron: '*/15 * * * *',
  expireInSeconds: 900,
  run: async (ctx) => ({ ...(await runAnalyticsTick(ctx)) }),
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
