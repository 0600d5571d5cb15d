import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inValues, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { CHANNEL_KINDS } from '../channels/tables.js';
import { reservations } from './tables.js';

/** The reservation messages Frontdesk sends on its own (seed 003's schedule rules). */
export const SCHEDULE_RULES = ['T_MINUS_3', 'T_MINUS_1', 'DAY_OF'] as const;
export type ScheduleRule = (typeof SCHEDULE_RULES)[number];

/**
 * claimed → sent | failed (retried by a later tick) | skipped (nothing to send: no template,
 * no contact, channel disabled, or the rule's moment passed while nothing ran).
 */
export const SCHEDULED_MESSAGE_STATUSES = ['claimed', 'sent', 'failed', 'skipped'] as const;

/**
 * One row per reservation and schedule rule: the claim that makes a scheduled message go out
 * exactly once. A tick inserts the row (the unique key decides which worker wins) before it
 * sends; the message it sends carries this row's id in its metadata, so a claim left behind by
 * a crash can be checked against what was really stored. `message_id` has no foreign key on
 * purpose: deleting the message must not delete the claim (that would send it again).
 */
export const scheduledMessages = tenantTable(
  'scheduled_messages',
  {
    reservationId: uuid('reservation_id').notNull(),
    rule: text('rule', { enum: SCHEDULE_RULES }).notNull(),
    status: text('status', { enum: SCHEDULED_MESSAGE_STATUSES }).notNull().default('claimed'),
    /** When the rule was due (the property's wall-clock time, moved past quiet hours). */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    channelKind: text('channel_kind', { enum: CHANNEL_KINDS }),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    attempts: integer('attempts').notNull().default(1),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Why it was skipped, or the last failure. */
    detail: text('detail'),
    ...timestamps(),
  },
  (t) => [
    tenantRef('scheduled_messages_reservation_fk', t.tenantId, t.reservationId, reservations, 'cascade'),
    uniqueIndex('scheduled_messages_reservation_rule_key').on(t.tenantId, t.reservationId, t.rule),
    index('scheduled_messages_tenant_status_idx').on(t.tenantId, t.status, t.claimedAt),
    inValues('scheduled_messages_rule_check', t.rule, SCHEDULE_RULES),
    inValues('scheduled_messages_status_check', t.status, SCHEDULED_MESSAGE_STATUSES),
    inValues('scheduled_messages_channel_kind_check', t.channelKind, CHANNEL_KINDS),
    check('scheduled_messages_attempts_check', sql`${t.attempts} >= 1`),
    check(
      'scheduled_messages_sent_check',
      sql`(${t.status} = 'sent') = (${t.sentAt} is not null and ${t.messageId} is not null)`,
    ),
  ],
);

/**
 * One row per tenant: when the scheduler must look at the tenant again. A tick that looked
 * writes the earliest moment a rule of the tenant becomes due (or a claim's lease ends, or the
 * next UTC midnight, when new check-in dates enter its window); `dirty` is set by triggers
 * (migration 0019) on every change to what decides a schedule (reservations, properties and
 * their settings, agents' quiet hours, channels, templates), so an idle tick is one query over
 * this table: tenants with `dirty`, a passed `next_at`, a changed time zone, or no row yet.
 */
export const scheduleWakeups = tenantTable(
  'schedule_wakeups',
  {
    nextAt: timestamp('next_at', { withTimezone: true }).notNull(),
    dirty: boolean('dirty').notNull().default(true),
    /** The tenant's time zone `next_at` was computed with (properties without one use it). */
    timezone: text('timezone').notNull(),
  },
  (t) => [uniqueIndex('schedule_wakeups_tenant_key').on(t.tenantId)],
);

export type ScheduledMessage = typeof scheduledMessages.$inferSelect;
export type NewScheduledMessage = typeof scheduledMessages.$inferInsert;
