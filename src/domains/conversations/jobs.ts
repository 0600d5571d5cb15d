/** Conversation jobs: the SLA check and approval expiry, both every minute. */
import { defineTick } from '../../platform/jobs.js';
import { runApprovalExpiry } from './approval-expiry.js';
import { runSlaTick } from './sla.js';

export const slaTick = defineTick({
  name: 'conversations.sla-tick',
  cron: '* * * * *',
  run: async (ctx) => ({ escalated: await runSlaTick(ctx, ctx.jobs) }),
});

export const expireApprovalsTick = defineTick({
  name: 'conversations.expire-approvals',
  cron: '* * * * *',
  run: async (ctx) => ({ expired: await runApprovalExpiry(ctx) }),
});

export const conversationJobs = [slaTick, expireApprovalsTick];
