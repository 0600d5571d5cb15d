/**
 * The human-in-the-loop workflow as resources: approvals (approve, reject, edit: seed 002) and
 * escalations (acknowledge, resolve, mark-false-positive: seed 000). Decisions are kept: no
 * PATCH of a decision and no DELETE.
 */
import type { Context } from 'hono';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import type { ActionSpec, ResourceSpec } from '../../../platform/http/resource.js';
import { enqueueIn, type PortPayload } from '../../../platform/jobs.js';
import { z } from '../../../platform/zod.js';
import { actingUser } from '../acting-user.js';
import { deliverApprovalPort } from '../ports.js';
import { approvals, escalations } from '../tables.js';
import { approvalEvents, escalationEvents } from '../workflow-events.js';
import type { Row } from './kit.js';

/** Only a pending approval can be decided; an expired one cannot either. */
const decide = (row: Row, c: Context<AppEnv>, now: Date, values: Row): Row => {
  if (row.status !== 'pending') throw new AppError('conflict', `the approval is already ${row.status}`);
  // The platform clock, as the responder that set `expires_at` used it.
  if (row.expiresAt instanceof Date && row.expiresAt.getTime() <= now.getTime()) {
    throw new AppError('conflict', 'the approval has expired');
  }
  return { ...values, resolvedBy: actingUser(c), resolvedAt: now };
};
const comment = z.string().max(5000).optional();

/**
 * An approved or edited AI reply is sent by the responder: its job is queued in the decision's
 * transaction, so it exists if and only if the decision commits (no decision without its send,
 * even if the process dies right after the commit).
 */
const sendDecided: ActionSpec['inTransaction'] = async (tx, row, { c, platform }) => {
  if (row.action !== 'send_reply' || !platform.jobs.has(deliverApprovalPort.name)) return;
  await enqueueIn<PortPayload<typeof deliverApprovalPort>>(tx, deliverApprovalPort.name, {
    tenantId: c.get('principal').tenantId,
    approvalId: String(row.id),
  });
};

/** Approvals of AI replies: deciding one sends the reply. */
export const approvalResource: ResourceSpec = {
  name: 'approvals',
  component: 'Approval',
  tag: 'Conversations',
  table: approvals,
  writeRole: 'agent',
  readOnly: ['status', 'editedContent', 'resolvedBy', 'resolvedAt', 'comment', 'requestedByUserId'],
  filters: ['status', 'conversationId', 'messageId', 'agentId'],
  example: {
    conversationId: '01950000-0000-7000-8000-000000000003',
    action: 'send_reply',
    details: 'Offer a 20% renewal discount to keep the account',
    draftContent: 'We can offer 20% off your renewal if you sign before the 31st.',
  },
  refs: { conversationId: 'conversations' },
  afterWrite: approvalEvents,
  // A decision is made by the actions below and kept.
  update: false,
  remove: false,
  actions: [
    {
      name: 'approve',
      summary: 'Approve a pending request as proposed',
      role: 'agent',
      body: z.object({ comment }),
      apply: (row, body, { c, clock }) =>
        decide(row, c, clock.now(), { status: 'approved', comment: body.comment ?? null }),
      inTransaction: sendDecided,
    },
    {
      name: 'reject',
      summary: 'Reject a pending request',
      role: 'agent',
      body: z.object({ comment }),
      apply: (row, body, { c, clock }) =>
        decide(row, c, clock.now(), { status: 'rejected', comment: body.comment ?? null }),
    },
    {
      name: 'edit',
      summary: 'Approve a pending request with edited content sent instead of the draft',
      role: 'agent',
      body: z.object({ editedContent: z.string().min(1).max(100_000), comment }),
      apply: (row, body, { c, clock }) =>
        decide(row, c, clock.now(), {
          status: 'edited',
          editedContent: body.editedContent,
          comment: body.comment ?? null,
        }),
      inTransaction: sendDecided,
    },
  ],
};

/**
 * open → acknowledged → resolved | false_positive; open may go straight to a final state. The
 * database enforces the same (escalation_workflow trigger); checking here answers 409.
 */
const close = (
  row: Row,
  c: Context<AppEnv>,
  now: Date,
  status: 'resolved' | 'false_positive',
  notes: unknown,
) => {
  if (row.status !== 'open' && row.status !== 'acknowledged') {
    throw new AppError('conflict', `the escalation is already ${row.status}`);
  }
  const user = actingUser(c);
  return {
    status,
    resolvedAt: now,
    resolvedByUserId: user,
    resolutionNotes: (notes as string | undefined) ?? row.resolutionNotes ?? null,
    // Closing an open escalation acknowledges it at the same moment.
    ...(row.status === 'open' ? { acknowledgedAt: now, acknowledgedByUserId: user } : {}),
  };
};
const notes = z.object({ resolutionNotes: z.string().max(10_000).optional() });

/** Escalations: acknowledge, resolve or mark a false positive. */
export const escalationResource: ResourceSpec = {
  name: 'escalations',
  component: 'Escalation',
  tag: 'Conversations',
  table: escalations,
  writeRole: 'agent',
  readOnly: [
    'status',
    'acknowledgedByUserId',
    'acknowledgedByExternal',
    'acknowledgedAt',
    'resolvedByUserId',
    'resolvedByExternal',
    'resolvedAt',
    'resolutionNotes',
  ],
  filters: ['status', 'severity', 'type', 'conversationId', 'accountId', 'channelId'],
  example: {
    type: 'complaint',
    severity: 'high',
    summary: 'Guest reports no hot water and asks for a partial refund',
    suggestedAction: 'Call the guest and send maintenance today',
    conversationId: '01950000-0000-7000-8000-000000000003',
  },
  refs: { conversationId: 'conversations' },
  afterWrite: escalationEvents,
  remove: false,
  actions: [
    {
      name: 'acknowledge',
      summary: 'Acknowledge an open escalation',
      role: 'agent',
      apply: (row, _body, { c, clock }) => {
        if (row.status !== 'open') throw new AppError('conflict', `the escalation is already ${row.status}`);
        return { status: 'acknowledged', acknowledgedAt: clock.now(), acknowledgedByUserId: actingUser(c) };
      },
    },
    {
      name: 'resolve',
      summary: 'Resolve an open or acknowledged escalation',
      role: 'agent',
      body: notes,
      apply: (row, body, { c, clock }) => close(row, c, clock.now(), 'resolved', body.resolutionNotes),
    },
    {
      name: 'mark-false-positive',
      summary: 'Dismiss an open or acknowledged escalation as a false positive',
      role: 'agent',
      body: notes,
      apply: (row, body, { c, clock }) => close(row, c, clock.now(), 'false_positive', body.resolutionNotes),
    },
  ],
};
