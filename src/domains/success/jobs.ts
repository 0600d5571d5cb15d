/** Customer-success jobs: the account health refresh with its churn-risk check (churn.ts). */
import { defineJob } from '../../platform/jobs.js';
import { runHealthRefresh } from './churn.js';

export const healthRefresh = defineJob<Record<string, never>>({
  name: 'success.health-refresh',
  retryLimit: 2,
  expireInSeconds: 900,
  async handle(_data, ctx) {
    const opened = await runHealthRefresh(ctx);
    if (opened) ctx.logger.info({ opened }, 'churn risks escalated');
  },
});

export const successJobs = [healthRefresh];
/** Hourly: health moves with activity over days; the churn check rides along. */
export const successRecurring = [{ name: healthRefresh.name, cron: '7 * * * *' }];
