/** Plans jobs: the daily trial expiry (admin.ts), on the platform's controllable clock. */
import { defineTick } from '../../platform/jobs.js';
import { expireTrials } from './admin.js';

export const TRIALS_TICK = 'plans.trials';

/** Every day at 00:05 UTC: trials that ended become `past_due`. */
export const trialsTick = defineTick({
  name: TRIALS_TICK,
  cron: '5 0 * * *',
  run: async (ctx) => (await expireTrials(ctx.db, ctx.clock.now())).length,
});

export const plansJobs = [trialsTick];
