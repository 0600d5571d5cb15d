import { sql } from 'drizzle-orm';
import { check, index, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { emptyJsonObject, inValues, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { agents } from '../ai/tables.js';
import { channels } from '../channels/tables.js';
import { accounts } from '../crm/tables.js';
import { users } from '../identity/tables.js';
import { conversations, messages } from './threads.js';
import { ESCALATION_TYPES } from './values.js';

export { ESCALATION_TYPES };

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'edited'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** open → acknowledged → resolved | false_positive (open may skip straight to a final state). */
export const ESCALATION_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;

type Json = Record<string, unknown>;

/**
 * A human-in-the-loop decision (seed 002's approvals): an agent proposes an action or a draft
 * reply, a team member approves, rejects or edits it. `edited` means approved with
 * `edited_content` sent instead of `draft_content`.
 */
export const approvals = tenantTable(
  'approvals',
  {
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    /** The AI agent that asked. */
    agentId: uuid('agent_id'),
    requestedByUserId: uuid('requested_by_user_id'),
    action: text('action').notNull(),
    details: text('details'),
    draftContent: text('draft_content'),
    editedContent: text('edited_content'),
    status: text('status', { enum: APPROVAL_STATUSES }).notNull().default('pending'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    comment: text('comment'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('approvals_conversation_fk', t.tenantId, t.conversationId, conversations, 'cascade'),
    tenantRef('approvals_message_fk', t.tenantId, t.messageId, messages, 'cascade'),
    tenantRef('approvals_agent_fk', t.tenantId, t.agentId, agents),
    index('approvals_tenant_status_idx').on(t.tenantId, t.status, t.createdAt.desc()),
    index('approvals_tenant_conversation_idx').on(t.tenantId, t.conversationId),
    index('approvals_tenant_message_idx').on(t.tenantId, t.messageId),
    index('approvals_tenant_agent_idx').on(t.tenantId, t.agentId),
    index('approvals_pending_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
    inValues('approvals_status_check', t.status, APPROVAL_STATUSES),
    check('approvals_resolved_check', sql`(${t.status} = 'pending') = (${t.resolvedAt} is null)`),
    check('approvals_edited_check', sql`${t.status} <> 'edited' or ${t.editedContent} is not null`),
  ],
);

/**
 * An alert that needs a human (seed 000's escalationAlerts, seed 003's escalation categories).
 * The workflow is enforced in the database: the CHECKs tie timestamps to the status, and the
 * `escalation_workflow` trigger (migrations) fills them in and forbids going backwards
 * (acknowledged → open) or leaving a final state (resolved, false_positive).
 * Who acted is a user, or an outside id (a Slack user) when acting from the channel.
 */
export const escalations = tenantTable(
  'escalations',
  {
    type: text('type', { enum: ESCALATION_TYPES }).notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    summary: text('summary').notNull(),
    suggestedAction: text('suggested_action'),
    sentiment: jsonb('sentiment').$type<Json>(),
    status: text('status', { enum: ESCALATION_STATUSES }).notNull().default('open'),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    accountId: uuid('account_id'),
    channelId: uuid('channel_id'),
    /** The provider's channel (a Slack channel id) and message (Slack `ts`) that raised it. */
    externalChannelId: text('external_channel_id'),
    externalMessageTs: text('external_message_ts'),
    acknowledgedByUserId: uuid('acknowledged_by_user_id'),
    acknowledgedByExternal: text('acknowledged_by_external'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    resolvedByUserId: uuid('resolved_by_user_id'),
    resolvedByExternal: text('resolved_by_external'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolutionNotes: text('resolution_notes'),
    ...timestamps(),
  },
  (t) => [
    tenantRef('escalations_conversation_fk', t.tenantId, t.conversationId, conversations, 'cascade'),
    tenantRef('escalations_message_fk', t.tenantId, t.messageId, messages, 'cascade'),
    tenantRef('escalations_account_fk', t.tenantId, t.accountId, accounts),
    tenantRef('escalations_channel_fk', t.tenantId, t.channelId, channels),
    index('escalations_tenant_status_idx').on(t.tenantId, t.status, t.createdAt.desc()),
    index('escalations_tenant_severity_idx').on(t.tenantId, t.severity),
    index('escalations_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('escalations_tenant_account_idx').on(t.tenantId, t.accountId),
    index('escalations_tenant_conversation_idx').on(t.tenantId, t.conversationId),
    index('escalations_tenant_message_idx').on(t.tenantId, t.messageId),
    index('escalations_tenant_channel_idx').on(t.tenantId, t.channelId),
    index('escalations_tenant_external_msg_idx').on(t.tenantId, t.externalChannelId, t.externalMessageTs),
    index('escalations_ack_user_idx').on(t.acknowledgedByUserId),
    index('escalations_resolved_user_idx').on(t.resolvedByUserId),
    inValues('escalations_type_check', t.type, ESCALATION_TYPES),
    inValues('escalations_severity_check', t.severity, SEVERITIES),
    inValues('escalations_status_check', t.status, ESCALATION_STATUSES),
    check('escalations_acknowledged_check', sql`(${t.status} = 'open') = (${t.acknowledgedAt} is null)`),
    check(
      'escalations_resolved_check',
      sql`(${t.status} in ('resolved', 'false_positive')) = (${t.resolvedAt} is not null)`,
    ),
    check(
      'escalations_resolved_order_check',
      sql`${t.resolvedAt} is null or ${t.resolvedAt} >= ${t.acknowledgedAt}`,
    ),
  ],
);

export type Approval = typeof approvals.$inferSelect;
export type NewApproval = typeof approvals.$inferInsert;
export type Escalation = typeof escalations.$inferSelect;
export type NewEscalation = typeof escalations.$inferInsert;
