import { sql } from 'drizzle-orm';
import { check, index, jsonb, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { emptyJsonObject, inValues, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { contacts } from '../crm/tables.js';
import { users } from '../identity/tables.js';

/** How much of their own assessment results a participant sees. */
export const RESULTS_DISCLOSURES = ['full', 'summary', 'none'] as const;
export const CAMPAIGN_STATUSES = ['draft', 'active', 'closed', 'archived'] as const;
/** The coach's lead pipeline (seed 001's client_status). */
export const CLIENT_STATUSES = [
  'registered',
  'started',
  'completed',
  'contacted',
  'converted',
  'archived',
] as const;

type Json = Record<string, unknown>;

/**
 * An assessment campaign a coach runs (seed 001's campaigns). `assessment_type` names one of the
 * tenant's enabled assessments (tenants.enabled_assessments).
 */
export const campaigns = tenantTable(
  'campaigns',
  {
    name: text('name').notNull(),
    description: text('description'),
    assessmentType: text('assessment_type').notNull().default('industry4'),
    resultsDisclosure: text('results_disclosure', { enum: RESULTS_DISCLOSURES }).notNull().default('full'),
    status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('draft'),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    settings: jsonb('settings').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    index('campaigns_tenant_status_idx').on(t.tenantId, t.status),
    index('campaigns_created_by_idx').on(t.createdBy),
    inValues('campaigns_results_disclosure_check', t.resultsDisclosure, RESULTS_DISCLOSURES),
    inValues('campaigns_status_check', t.status, CAMPAIGN_STATUSES),
    check('campaigns_dates_check', sql`${t.endsAt} >= ${t.startsAt}`),
  ],
);

/**
 * A person taking a campaign's assessment (seed 001's participant_sessions), tracked through
 * the coach's pipeline. Registers once per campaign and email.
 */
export const participants = tenantTable(
  'participants',
  {
    campaignId: uuid('campaign_id').notNull(),
    contactId: uuid('contact_id'),
    name: text('name'),
    email: text('email').notNull(),
    clientStatus: text('client_status', { enum: CLIENT_STATUSES }).notNull().default('registered'),
    assessmentResults: jsonb('assessment_results').$type<Json>(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('participants_campaign_fk', t.tenantId, t.campaignId, campaigns, 'cascade'),
    tenantRef('participants_contact_fk', t.tenantId, t.contactId, contacts),
    uniqueIndex('participants_campaign_email_key').on(t.tenantId, t.campaignId, sql`lower(${t.email})`),
    index('participants_tenant_status_idx').on(t.tenantId, t.clientStatus),
    index('participants_tenant_contact_idx').on(t.tenantId, t.contactId),
    index('participants_tenant_email_idx').on(t.tenantId, sql`lower(${t.email})`),
    inValues('participants_client_status_check', t.clientStatus, CLIENT_STATUSES),
    check('participants_dates_check', sql`${t.completedAt} >= ${t.startedAt}`),
  ],
);

export type Campaign = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;
export type Participant = typeof participants.$inferSelect;
export type NewParticipant = typeof participants.$inferInsert;
