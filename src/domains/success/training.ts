import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { between, emptyJsonObject, inValues, nonNegative, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { accounts, contacts } from '../crm/tables.js';

export const TRAINING_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export const TRAINING_STATUSES = ['not_started', 'in_progress', 'completed'] as const;

type Json = Record<string, unknown>;

/**
 * Training content a tenant offers its accounts (seed 002). Tenant-owned: each tenant writes its
 * own curriculum. `prerequisites` lists other modules' ids (an array cannot carry a foreign key;
 * the service checks them).
 */
export const trainingModules = tenantTable(
  'training_modules',
  {
    title: text('title').notNull(),
    description: text('description'),
    content: text('content'),
    durationMinutes: integer('duration_minutes'),
    level: text('level', { enum: TRAINING_LEVELS }).notNull().default('beginner'),
    category: text('category'),
    prerequisites: uuid('prerequisites').array().notNull().default(sql`'{}'::uuid[]`),
    isActive: boolean('is_active').notNull().default(true),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    index('training_modules_tenant_category_idx').on(t.tenantId, t.category),
    index('training_modules_tenant_active_idx').on(t.tenantId, t.isActive),
    inValues('training_modules_level_check', t.level, TRAINING_LEVELS),
    nonNegative('training_modules_duration_check', t.durationMinutes),
  ],
);

/**
 * An account's (and optionally one of its contacts') progress through a module (seed 002).
 * One row per (account, contact, module); NULLS NOT DISTINCT makes the account-level row
 * (contact NULL) unique too.
 */
export const trainingProgress = tenantTable(
  'training_progress',
  {
    accountId: uuid('account_id').notNull(),
    contactId: uuid('contact_id'),
    moduleId: uuid('module_id').notNull(),
    status: text('status', { enum: TRAINING_STATUSES }).notNull().default('not_started'),
    /** Percent complete, 0–100. */
    progress: integer('progress').notNull().default(0),
    score: integer('score'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('training_progress_account_fk', t.tenantId, t.accountId, accounts, 'cascade'),
    tenantRef('training_progress_contact_fk', t.tenantId, t.contactId, contacts),
    tenantRef('training_progress_module_fk', t.tenantId, t.moduleId, trainingModules, 'cascade'),
    unique('training_progress_account_contact_module_key')
      .on(t.tenantId, t.accountId, t.contactId, t.moduleId)
      .nullsNotDistinct(),
    index('training_progress_tenant_contact_idx').on(t.tenantId, t.contactId),
    index('training_progress_tenant_module_idx').on(t.tenantId, t.moduleId),
    inValues('training_progress_status_check', t.status, TRAINING_STATUSES),
    between('training_progress_progress_check', t.progress, 0, 100),
    nonNegative('training_progress_score_check', t.score),
    check(
      'training_progress_completed_check',
      sql`${t.status} <> 'completed' or ${t.completedAt} is not null`,
    ),
  ],
);

export type TrainingModule = typeof trainingModules.$inferSelect;
export type NewTrainingModule = typeof trainingModules.$inferInsert;
export type TrainingProgress = typeof trainingProgress.$inferSelect;
export type NewTrainingProgress = typeof trainingProgress.$inferInsert;
