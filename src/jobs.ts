/**
 * Every background job Frontdesk runs, on one queue. Each domain exports its job definitions;
 * this is the one place they are registered (like the routes in src/api/index.ts).
 */
import { aiJobs, aiRecurring } from './domains/ai/jobs.js';
import { analyticsJobs, analyticsRecurring } from './domains/analytics/jobs.js';
import { channelJobs } from './domains/channels/jobs.js';
import { conversationJobs, conversationRecurring } from './domains/conversations/jobs.js';
import { hospitalityJobs, hospitalityRecurring } from './domains/hospitality/jobs.js';
import { knowledgeJobs } from './domains/knowledge/jobs.js';
import { opsJobs } from './domains/ops/jobs.js';
import { successJobs, successRecurring } from './domains/success/jobs.js';
import { type JobDefinition, Jobs, type Platform } from './platform/jobs.js';

const DOMAIN_JOBS: JobDefinition<never>[][] = [
  opsJobs as JobDefinition<never>[],
  channelJobs as JobDefinition<never>[],
  knowledgeJobs as JobDefinition<never>[],
  analyticsJobs,
  conversationJobs,
  hospitalityJobs,
  successJobs,
  aiJobs,
];

/** A job that runs on a cron schedule (UTC), with an empty payload. */
export interface RecurringJob {
  name: string;
  cron: string;
}

/** The periodic "tick" jobs: each finds its due work at `clock.now()` and is safe to overlap. */
const RECURRING_JOBS: RecurringJob[] = [
  ...analyticsRecurring,
  ...conversationRecurring,
  ...hospitalityRecurring,
  ...successRecurring,
  ...aiRecurring,
];

export function createJobs(platform: Platform, options: { schedule?: boolean } = {}): Jobs {
  const jobs = new Jobs(platform, options);
  for (const definitions of DOMAIN_JOBS) jobs.define(...definitions);
  return jobs;
}

/**
 * Registers the recurring jobs' cron schedules in pg-boss (idempotent: it replaces a schedule
 * of the same name). pg-boss fires each slot once across all processes, from whichever process
 * runs with `schedule: true`; the server does (src/cli/commands/start.ts).
 */
export async function scheduleRecurringJobs(jobs: Jobs): Promise<RecurringJob[]> {
  await jobs.start();
  for (const { name, cron } of RECURRING_JOBS) await jobs.boss.schedule(name, cron, {}, { tz: 'UTC' });
  return RECURRING_JOBS;
}
