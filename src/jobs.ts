/**
 * Every background job Frontdesk runs, on one queue. Each domain exports its job definitions;
 * this is the one place they are registered (like the routes in src/api/index.ts).
 */
import { aiJobs } from './domains/ai/jobs.js';
import { analyticsJobs } from './domains/analytics/jobs.js';
import { channelJobs } from './domains/channels/jobs.js';
import { conversationJobs } from './domains/conversations/jobs.js';
import { hospitalityJobs } from './domains/hospitality/jobs.js';
import { knowledgeJobs } from './domains/knowledge/jobs.js';
import { opsJobs } from './domains/ops/jobs.js';
import { plansJobs } from './domains/plans/jobs.js';
import { successJobs } from './domains/success/jobs.js';
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
  plansJobs,
];

export function createJobs(
  platform: Platform,
  options: { schedule?: boolean; supervise?: boolean } = {},
): Jobs {
  const jobs = new Jobs(platform, options);
  for (const definitions of DOMAIN_JOBS) jobs.define(...definitions);
  return jobs;
}
