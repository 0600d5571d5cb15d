/** The AI domain's jobs: the responder (reply, release held replies, send approved drafts). */
import { defineJob, defineTick, type PortPayload } from '../../platform/jobs.js';
import { deliverApprovalPort, replyPort } from '../conversations/ports.js';
import { activeTenants } from '../tenancy/lookup.js';
import { deliverApproval } from './responder/approvals.js';
import { responderDeps } from './responder/deps.js';
import { releaseDueHolds } from './responder/release.js';
import { replyToMessage } from './responder/reply.js';
import { postEscalationToSlack } from './responder/slack-alert.js';
import { replyToMessages } from './responder/triage.js';

/** Queued for every committed inbound message (conversations/ports.ts). */
export const replyJob = defineJob<PortPayload<typeof replyPort>>({
  name: replyPort.name,
  retryLimit: 3,
  // One worker per core (capped by the pool), each taking up to 10 messages: those no agent
  // answers are decided together, the rest are answered a few side by side (triage.ts), so a
  // burst's replies are composed side by side, not in single file.
  concurrency: 'cores',
  batchSize: 10,
  async handle(data, ctx) {
    await replyToMessage(ctx, responderDeps(ctx.config), data.tenantId, data.messageId);
  },
  async handleBatch(batch, ctx) {
    await replyToMessages(ctx, responderDeps(ctx.config), batch);
  },
});

/** Sent for each hold at its due time; without `holdId` it releases every due hold of the tenant. */
export const releaseJob = defineJob<{ tenantId: string; holdId?: string }>({
  name: 'responder.release',
  retryLimit: 3,
  async handle(data, ctx) {
    await releaseDueHolds(ctx, responderDeps(ctx.config), data.tenantId, data.holdId);
  },
});

/** Queued when a human approves or edits a draft (conversations/ports.ts). */
export const deliverApprovalJob = defineJob<PortPayload<typeof deliverApprovalPort>>({
  name: deliverApprovalPort.name,
  retryLimit: 5,
  async handle(data, ctx) {
    await deliverApproval(ctx, responderDeps(ctx.config), data.tenantId, data.approvalId);
  },
});

/** Sent when the responder opens an escalation: the alert in the team's Slack channel. */
export const notifyEscalationJob = defineJob<{ tenantId: string; escalationId: string }>({
  name: 'responder.notify-escalation',
  retryLimit: 5,
  async handle(data, ctx) {
    await postEscalationToSlack(ctx, data.tenantId, data.escalationId);
  },
});

/**
 * Every minute: releases the due holds of every active tenant. The per-hold jobs above do it on
 * time; the tick is what a clock moved by hand (tests, replays) or a lost job relies on.
 */
export const responderTick = defineTick({
  name: 'responder.tick',
  cron: '* * * * *',
  async run(ctx) {
    const tenants = await activeTenants(ctx.db);
    const deps = responderDeps(ctx.config);
    for (const t of tenants) await releaseDueHolds(ctx, deps, t.id);
    return {};
  },
});

export const aiJobs = [replyJob, releaseJob, deliverApprovalJob, notifyEscalationJob, responderTick];
