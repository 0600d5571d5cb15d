/**
 * Replies the responder holds back: a response delay or quiet hours put the reply in the future.
 * One pending hold per conversation: a guest writing again merges into it (the reply then answers
 * every unanswered message), a human answering first cancels it.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inValues, timestamps } from '../../../schema/columns.js';
import { tenantRef, tenantTable } from '../../../schema/tenant-table.js';
import { conversations, messages } from '../../conversations/threads.js';
import { agents } from '../tables.js';

export const HOLD_REASONS = ['delay', 'quiet_hours'] as const;
export const HOLD_STATUSES = ['pending', 'released', 'cancelled'] as const;

export const replyHolds = tenantTable(
  'reply_holds',
  {
    conversationId: uuid('conversation_id').notNull(),
    /** The latest inbound message the reply will answer. */
    messageId: uuid('message_id').notNull(),
    agentId: uuid('agent_id'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    reason: text('reason', { enum: HOLD_REASONS }).notNull(),
    status: text('status', { enum: HOLD_STATUSES }).notNull().default('pending'),
    /** How many inbound messages were merged into this reply. */
    messageCount: integer('message_count').notNull().default(1),
    /** What releasing it did (sent, drafted, handed_off) or why it was cancelled. */
    outcome: text('outcome'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    tenantRef('reply_holds_conversation_fk', t.tenantId, t.conversationId, conversations, 'cascade'),
    tenantRef('reply_holds_message_fk', t.tenantId, t.messageId, messages, 'cascade'),
    tenantRef('reply_holds_agent_fk', t.tenantId, t.agentId, agents),
    uniqueIndex('reply_holds_one_pending_key')
      .on(t.tenantId, t.conversationId)
      .where(sql`${t.status} = 'pending'`),
    index('reply_holds_tenant_due_idx').on(t.tenantId, t.dueAt).where(sql`${t.status} = 'pending'`),
    index('reply_holds_tenant_message_idx').on(t.tenantId, t.messageId),
    index('reply_holds_tenant_agent_idx').on(t.tenantId, t.agentId),
    inValues('reply_holds_reason_check', t.reason, HOLD_REASONS),
    inValues('reply_holds_status_check', t.status, HOLD_STATUSES),
    check('reply_holds_message_count_check', sql`${t.messageCount} >= 1`),
    check('reply_holds_resolved_check', sql`(${t.status} = 'pending') = (${t.resolvedAt} is null)`),
  ],
);

export type ReplyHold = typeof replyHolds.$inferSelect;
export type NewReplyHold = typeof replyHolds.$inferInsert;
