/** Hospitality jobs: the scheduled reservation messages (see schedule.ts). */
import { defineTick } from '../../platform/jobs.js';
import { runScheduleTick } from './schedule.js';

/** Finds and sends every scheduled message due now, every minute. */
export const scheduleTick = defineTick({
  name: 'schedule.tick',
  cron: '* * * * *',
  run: async (ctx) => ({ ...(await runScheduleTick(ctx)) }),
});

export const hospitalityJobs = [scheduleTick];
