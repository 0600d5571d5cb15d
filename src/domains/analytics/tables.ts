import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { between, inValues, nonNegative, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { agents } from '../ai/tables.js';
import { conversations } from '../conversations/tables.js';

export const RESOLUTION_TYPES = ['ai', 'human', 'abandoned'] as const;

/**
 * Per-conversation figures, one row per conversation (seed 004's conversation_analytics),
 * maintained by the analytics rollup. All durations are seconds.
 */
export const conversationMetrics = tenantTable(
  'conversation_metrics',
  {
    conversationId: uuid('conversation_id').notNull(),
    agentId: uuid('agent_id'),
    /** NULL while the conversation is unresolved. */
    resolutionType: text('resolution_type', { enum: RESOLUTION_TYPES }),
    messagesCount: integer('messages_count').notNull().default(0),
    aiMessagesCount: integer('ai_messages_count').notNull().default(0),
    humanMessagesCount: integer('human_messages_count').notNull().default(0),
    contactMessagesCount: integer('contact_messages_count').notNull().default(0),
    firstResponseSeconds: integer('first_response_seconds'),
    responseTimeAvgSeconds: integer('response_time_avg_seconds'),
    resolutionSeconds: integer('resolution_seconds'),
    durationSeconds: integer('duration_seconds'),
    satisfactionScore: integer('satisfaction_score'),
    escalated: boolean('escalated').notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    tenantRef('conversation_metrics_conversation_fk', t.tenantId, t.conversationId, conversations, 'cascade'),
    tenantRef('conversation_metrics_agent_fk', t.tenantId, t.agentId, agents),
    uniqueIndex('conversation_metrics_conversation_key').on(t.tenantId, t.conversationId),
    index('conversation_metrics_tenant_agent_idx').on(t.tenantId, t.agentId),
    index('conversation_metrics_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    inValues('conversation_metrics_resolution_type_check', t.resolutionType, RESOLUTION_TYPES),
    between('conversation_metrics_satisfaction_check', t.satisfactionScore, 1, 5),
    check(
      'conversation_metrics_counts_check',
      sql`least(${t.messagesCount}, ${t.aiMessagesCount}, ${t.humanMessagesCount}, ${t.contactMessagesCount}) >= 0`,
    ),
    check(
      'conversation_metrics_durations_check',
      sql`least(${t.firstResponseSeconds}, ${t.responseTimeAvgSeconds}, ${t.resolutionSeconds}, ${t.durationSeconds}) >= 0`,
    ),
  ],
);

/** One row per tenant and day (seed 004's daily_analytics), in the tenant's time zone. */
export const dailyMetrics = tenantTable(
  'daily_metrics',
  {
    date: date('date').notNull(),
    conversationsTotal: integer('conversations_total').notNull().default(0),
    conversationsResolved: integer('conversations_resolved').notNull().default(0),
    conversationsEscalated: integer('conversations_escalated').notNull().default(0),
    messagesTotal: integer('messages_total').notNull().default(0),
    avgResponseSeconds: integer('avg_response_seconds'),
    avgSatisfaction: numeric('avg_satisfaction', { precision: 3, scale: 2, mode: 'number' }),
    tokensTotal: bigint('tokens_total', { mode: 'number' }).notNull().default(0),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('daily_metrics_tenant_date_key').on(t.tenantId, t.date),
    check(
      'daily_metrics_counts_check',
      sql`least(${t.conversationsTotal}, ${t.conversationsResolved}, ${t.conversationsEscalated}, ${t.messagesTotal}) >= 0`,
    ),
    nonNegative('daily_metrics_avg_response_check', t.avgResponseSeconds),
    between('daily_metrics_avg_satisfaction_check', t.avgSatisfaction, 1, 5),
    nonNegative('daily_metrics_tokens_check', t.tokensTotal),
    nonNegative('daily_metrics_cost_check', t.costMicros),
  ],
);

export type ConversationMetrics = typeof conversationMetrics.$inferSelect;
export type NewConversationMetrics = typeof conversationMetrics.$inferInsert;
export type DailyMetrics = typeof dailyMetrics.$inferSelect;
export type NewDailyMetrics = typeof dailyMetrics.$inferInsert;
