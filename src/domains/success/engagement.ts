import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { emptyJsonArray, emptyJsonObject, inValues, nonNegative, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { conversations } from '../conversations/tables.js';
import { accounts } from '../crm/tables.js';

export const CONTRACT_STATUSES = ['draft', 'pending', 'active', 'expired', 'terminated'] as const;
export const MEETING_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
export const INSIGHT_SOURCES = ['meeting', 'email', 'crm', 'agent', 'conversation', 'manual'] as const;
export const INSIGHT_TYPES = ['decision', 'action_item', 'concern', 'quote', 'sentiment'] as const;
export const IMPORTANCE_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const INSIGHT_STATUSES = ['open', 'in_progress', 'done', 'dismissed'] as const;

type Json = Record<string, unknown>;

/**
 * A customer contract and what was parsed from it (seed 002). `account_id` may be NULL while a
 * just-uploaded contract has not been matched to (or turned into) an account yet.
 */
export const contracts = tenantTable(
  'contracts',
  {
    accountId: uuid('account_id'),
    fileUrl: text('file_url'),
    fileName: text('file_name'),
    rawText: text('raw_text'),
    companyName: text('company_name'),
    arrCents: bigint('arr_cents', { mode: 'number' }),
    /** As written in the contract, e.g. "12 months, auto-renew". */
    contractTerm: text('contract_term'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull().default('active'),
    parsedData: jsonb('parsed_data').$type<Json>(),
    pricingTerms: jsonb('pricing_terms').$type<Json>(),
    technicalRequirements: jsonb('technical_requirements').$type<Json>(),
    missingInfo: jsonb('missing_info').$type<Json>(),
    nextSteps: jsonb('next_steps').$type<Json>(),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('contracts_account_fk', t.tenantId, t.accountId, accounts, 'cascade'),
    index('contracts_tenant_account_idx').on(t.tenantId, t.accountId),
    index('contracts_tenant_status_idx').on(t.tenantId, t.status),
    index('contracts_tenant_end_date_idx').on(t.tenantId, t.endDate),
    inValues('contracts_status_check', t.status, CONTRACT_STATUSES),
    nonNegative('contracts_arr_check', t.arrCents),
    check('contracts_dates_check', sql`${t.endDate} >= ${t.startDate}`),
  ],
);

/** A line item of a contract (seed 002's entitlements). */
export const entitlements = tenantTable(
  'entitlements',
  {
    contractId: uuid('contract_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    quantity: integer('quantity'),
    unit: text('unit'),
    priceCents: bigint('price_cents', { mode: 'number' }),
    category: text('category'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('entitlements_contract_fk', t.tenantId, t.contractId, contracts, 'cascade'),
    index('entitlements_tenant_contract_idx').on(t.tenantId, t.contractId),
    nonNegative('entitlements_quantity_check', t.quantity),
    nonNegative('entitlements_price_check', t.priceCents),
  ],
);

/**
 * A meeting with an account (seed 002). `conversation_id` is the assistant session it was
 * scheduled from (seed 002's session_id).
 */
export const meetings = tenantTable(
  'meetings',
  {
    accountId: uuid('account_id'),
    conversationId: uuid('conversation_id'),
    title: text('title').notNull(),
    description: text('description'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    durationMinutes: integer('duration_minutes'),
    status: text('status', { enum: MEETING_STATUSES }).notNull().default('scheduled'),
    meetingUrl: text('meeting_url'),
    calendarEventId: text('calendar_event_id'),
    attendees: jsonb('attendees').$type<Json[]>().notNull().default(emptyJsonArray),
    agenda: jsonb('agenda').$type<Json>(),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('meetings_account_fk', t.tenantId, t.accountId, accounts, 'cascade'),
    tenantRef('meetings_conversation_fk', t.tenantId, t.conversationId, conversations),
    index('meetings_tenant_account_idx').on(t.tenantId, t.accountId, t.scheduledAt.desc()),
    index('meetings_tenant_scheduled_idx').on(t.tenantId, t.scheduledAt),
    index('meetings_tenant_conversation_idx').on(t.tenantId, t.conversationId),
    uniqueIndex('meetings_tenant_calendar_event_key')
      .on(t.tenantId, t.calendarEventId)
      .where(sql`${t.calendarEventId} is not null`),
    inValues('meetings_status_check', t.status, MEETING_STATUSES),
    nonNegative('meetings_duration_check', t.durationMinutes),
  ],
);

/** A meeting's transcript (seed 002). */
export const transcripts = tenantTable(
  'transcripts',
  {
    meetingId: uuid('meeting_id').notNull(),
    content: text('content').notNull(),
    durationSeconds: integer('duration_seconds'),
    speakers: jsonb('speakers').$type<Json[]>().notNull().default(emptyJsonArray),
    wordCount: integer('word_count'),
    language: text('language').notNull().default('en'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('transcripts_meeting_fk', t.tenantId, t.meetingId, meetings, 'cascade'),
    index('transcripts_tenant_meeting_idx').on(t.tenantId, t.meetingId),
    nonNegative('transcripts_duration_check', t.durationSeconds),
    nonNegative('transcripts_word_count_check', t.wordCount),
  ],
);

/** Something learned about an account: a decision, an action item, a concern… (seed 002). */
export const insights = tenantTable(
  'insights',
  {
    accountId: uuid('account_id'),
    meetingId: uuid('meeting_id'),
    source: text('source', { enum: INSIGHT_SOURCES }).notNull(),
    type: text('type', { enum: INSIGHT_TYPES }).notNull(),
    content: text('content').notNull(),
    importance: text('importance', { enum: IMPORTANCE_LEVELS }).notNull().default('medium'),
    /** Who owns an action item: a name or email as said in the meeting. */
    owner: text('owner'),
    dueDate: date('due_date'),
    status: text('status', { enum: INSIGHT_STATUSES }).notNull().default('open'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('insights_account_fk', t.tenantId, t.accountId, accounts, 'cascade'),
    tenantRef('insights_meeting_fk', t.tenantId, t.meetingId, meetings),
    index('insights_tenant_account_type_idx').on(t.tenantId, t.accountId, t.type),
    index('insights_tenant_meeting_idx').on(t.tenantId, t.meetingId),
    index('insights_tenant_status_idx').on(t.tenantId, t.status),
    inValues('insights_source_check', t.source, INSIGHT_SOURCES),
    inValues('insights_type_check', t.type, INSIGHT_TYPES),
    inValues('insights_importance_check', t.importance, IMPORTANCE_LEVELS),
    inValues('insights_status_check', t.status, INSIGHT_STATUSES),
  ],
);

export type Contract = typeof contracts.$inferSelect;
export type NewContract = typeof contracts.$inferInsert;
export type Entitlement = typeof entitlements.$inferSelect;
export type NewEntitlement = typeof entitlements.$inferInsert;
export type Meeting = typeof meetings.$inferSelect;
export type NewMeeting = typeof meetings.$inferInsert;
export type Transcript = typeof transcripts.$inferSelect;
export type NewTranscript = typeof transcripts.$inferInsert;
export type Insight = typeof insights.$inferSelect;
export type NewInsight = typeof insights.$inferInsert;
