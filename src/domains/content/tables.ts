import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { emptyTextArray, inValues, nonNegative, timestamps } from '../../schema/columns.js';
import { tenantTable } from '../../schema/tenant-table.js';
import { CHANNEL_KINDS } from '../channels/tables.js';

/**
 * When a template is sent. The T_* triggers are relative to a reservation's check-in
 * (seed 003's rule_key); the others are events any vertical can use.
 */
export const TEMPLATE_TRIGGERS = [
  'T_MINUS_3',
  'T_MINUS_1',
  'DAY_OF',
  'BOOKING_CONFIRMED',
  'CHECK_OUT',
  'POST_STAY',
  'WELCOME',
  'FOLLOW_UP',
  'MANUAL',
] as const;
export type TemplateTrigger = (typeof TEMPLATE_TRIGGERS)[number];

/**
 * Outbound message templates, one per channel × trigger (seed 003's company_templates).
 * `body` may contain `{{placeholders}}` filled at send time; `version` increases on every edit.
 */
export const messageTemplates = tenantTable(
  'message_templates',
  {
    channel: text('channel', { enum: CHANNEL_KINDS }).notNull(),
    trigger: text('trigger', { enum: TEMPLATE_TRIGGERS }).notNull(),
    name: text('name'),
    subject: text('subject'),
    body: text('body').notNull(),
    version: integer('version').notNull().default(1),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('message_templates_channel_trigger_key').on(t.tenantId, t.channel, t.trigger),
    inValues('message_templates_channel_check', t.channel, CHANNEL_KINDS),
    inValues('message_templates_trigger_check', t.trigger, TEMPLATE_TRIGGERS),
    check('message_templates_version_check', sql`${t.version} > 0`),
  ],
);

/**
 * Saved replies a human agent inserts by shortcut (seed 004's canned_responses). Personal ones
 * have a user_id and is_team = false; team ones are shared.
 */
export const cannedResponses = tenantTable(
  'canned_responses',
  {
    /** A member of this tenant: references memberships (tenant_id, user_id), cascading (migration 0011, by hand). */
    userId: uuid('user_id'),
    shortcut: text('shortcut').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    category: text('category'),
    tags: text('tags').array().notNull().default(emptyTextArray),
    isTeam: boolean('is_team').notNull().default(true),
    usageCount: integer('usage_count').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('canned_responses_tenant_shortcut_key').on(t.tenantId, t.shortcut),
    index('canned_responses_tenant_category_idx').on(t.tenantId, t.category),
    index('canned_responses_user_idx').on(t.userId),
    nonNegative('canned_responses_usage_count_check', t.usageCount),
    check('canned_responses_shortcut_check', sql`${t.shortcut} ~ '^[A-Za-z0-9_-]{1,64}$'`),
    check('canned_responses_owner_check', sql`${t.isTeam} or ${t.userId} is not null`),
  ],
);

export type MessageTemplate = typeof messageTemplates.$inferSelect;
export type NewMessageTemplate = typeof messageTemplates.$inferInsert;
export type CannedResponse = typeof cannedResponses.$inferSelect;
export type NewCannedResponse = typeof cannedResponses.$inferInsert;
