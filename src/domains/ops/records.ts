import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, emptyJsonObject, nonNegative } from '../../schema/columns.js';
import { tenantTable } from '../../schema/tenant-table.js';

type Json = Record<string, unknown>;

/**
 * Metered usage for billing and quotas (seed 001's usage_events; tokens also from seed 004).
 * Costs are integer micro-units of the currency (1 cent = 10,000 micros), because one LLM call
 * costs a fraction of a cent. `conversation_id` and `agent_id` are not foreign keys: billing
 * records outlive the conversations and agents they were spent on.
 */
export const usageEvents = tenantTable(
  'usage_events',
  {
    userId: uuid('user_id'),
    /** An open, dotted name (e.g. `llm.completion`, `embedding`, `message.outbound`), not an enum. */
    eventType: text('event_type').notNull(),
    eventData: jsonb('event_data').$type<Json>().notNull().default(emptyJsonObject),
    model: text('model'),
    tokensInput: integer('tokens_input').notNull().default(0),
    tokensOutput: integer('tokens_output').notNull().default(0),
    tokensTotal: integer('tokens_total').notNull().default(0),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    conversationId: uuid('conversation_id'),
    agentId: uuid('agent_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('usage_events_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('usage_events_tenant_type_idx').on(t.tenantId, t.eventType, t.createdAt.desc()),
    index('usage_events_tenant_conversation_idx').on(t.tenantId, t.conversationId),
    index('usage_events_user_idx').on(t.userId),
    check('usage_events_event_type_check', sql`${t.eventType} ~ '^[a-z][a-z0-9_]*([.][a-z0-9_]+)*$'`),
    nonNegative('usage_events_tokens_input_check', t.tokensInput),
    nonNegative('usage_events_tokens_output_check', t.tokensOutput),
    nonNegative('usage_events_tokens_total_check', t.tokensTotal),
    nonNegative('usage_events_cost_check', t.costMicros),
  ],
);

export type UsageEvent = typeof usageEvents.$inferSelect;
export type NewUsageEvent = typeof usageEvents.$inferInsert;
