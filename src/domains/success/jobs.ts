/** Customer-success jobs: the account health refresh with its churn-risk check (churn.ts). */
import { defineTick } from '../../platform/jobs.js';
import { runHealthRefresh } from './churn.js';

/** Hourly: health moves with activity over days; the churn check rides along. */
export const healthRefresh = defineTick({
  name: 'success.health-refresh',
  cron: '7 * * * *',
  expireInSeconds: 900,
  run: async (ctx) => ({ churnRisksEscalated: await runHealthRefresh(ctx, ctx.jobs) }),
});

export const successJobs = [healthRefresh];
