/** Hospitality jobs: the scheduled reservation messages (see schedule.ts). */
import { defineJob } from '../../platform/jobs.js';
import { runScheduleTick } from './schedule.js';

/** Finds and sends every scheduled message due now; run every minute (RECURRING_JOBS). */
export const scheduleTick = defineJob<Record<string, never>>({
  name: 'schedule.tick',
  retryLimit: 2,
  // A tick that overlaps the next one is harmless (claims decide), but should not run for ever.
  expireInSeconds: 600,
  async handle(_data, ctx) {
    const result = await runScheduleTick(ctx);
    if (result.sent || result.failed || result.skipped) ctx.logger.info({ ...result }, 'scheduled messages');
  },
});

export const hospitalityJobs = [scheduleTick];

export const hospitalityRecurring = [{ name: scheduleTick.name, cron: '* * * * *' }];
