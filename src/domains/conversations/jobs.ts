/** Conversation jobs: the SLA check and approval expiry, both every minute. */
import { defineJob } from '../../platform/jobs.js';
import { runApprovalExpiry } from './approval-expiry.js';
import { runSlaTick } from './sla.js';

export const slaTick = defineJob<Record<string, never>>({
  name: 'conversations.sla-tick',
  retryLimit: 2,
  expireInSeconds: 600,
  async handle(_data, ctx) {
    const opened = await runSlaTick(ctx);
    if (opened) ctx.logger.info({ opened }, 'SLA breaches escalated');
  },
});

export const expireApprovalsTick = defineJob<Record<string, never>>({
  name: 'conversations.expire-approvals',
  retryLimit: 2,
  expireInSeconds: 600,
  async handle(_data, ctx) {
    const expired = await runApprovalExpiry(ctx);
    if (expired) ctx.logger.info({ expired }, 'approvals expired');
  },
});

export const conversationJobs = [slaTick, expireApprovalsTick];
export const conversationRecurring = [
  { name: slaTick.name, cron: '* * * * *' },
  { name: expireApprovalsTick.name, cron: '* * * * *' },
];
