import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
import {
  between,
  emptyJsonObject,
  emptyTextArray,
  inValues,
  nonNegative,
  timestamps,
} from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { channels } from '../channels/tables.js';

export const ACCOUNT_STAGES = ['prospect', 'onboarding', 'active', 'renewal', 'churned'] as const;
export const RELATIONSHIP_STATUSES = ['active', 'at_risk', 'churned'] as const;
export const SENTIMENTS = ['positive', 'neutral', 'negative', 'mixed'] as const;

type Json = Record<string, unknown>;

/**
 * A B2B client of the tenant (seed 000's clientProfiles, seed 002's customers). Money is integer
 * cents; the health score is recomputed by account_health_score() (see migrations).
 */
export const accounts = tenantTable(
  'accounts',
  {
    name: text('name').notNull(),
    domain: text('domain'),
    industry: text('industry'),
    arrCents: bigint('arr_cents', { mode: 'number' }),
    lifetimeValueCents: bigint('lifetime_value_cents', { mode: 'number' }),
    stage: text('stage', { enum: ACCOUNT_STAGES }).notNull().default('prospect'),
    relationshipStatus: text('relationship_status', { enum: RELATIONSHIP_STATUSES })
      .notNull()
      .default('active'),
    healthScore: integer('health_score'),
    /**
     * A member of this tenant: references memberships (tenant_id, user_id), ON DELETE SET NULL of
     * this column alone (written by hand in migrations/0011_member_references.sql: drizzle cannot
     * say `SET NULL (column)`).
     */
    accountManagerUserId: uuid('account_manager_user_id'),
    /** The account manager's id in an outside system when they are not a Frontdesk user (a Slack user id). */
    accountManagerExternal: text('account_manager_external'),
    servicesProvided: text('services_provided').array().notNull().default(emptyTextArray),
    contractDetails: text('contract_details'),
    startDate: date('start_date'),
    renewalDate: date('renewal_date'),
    salesforceId: text('salesforce_id'),
    hubspotId: text('hubspot_id'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    index('accounts_tenant_name_idx').on(t.tenantId, t.name),
    index('accounts_tenant_domain_idx').on(t.tenantId, sql`lower(${t.domain})`),
    index('accounts_tenant_stage_idx').on(t.tenantId, t.stage),
    index('accounts_tenant_relationship_idx').on(t.tenantId, t.relationshipStatus),
    index('accounts_tenant_renewal_idx').on(t.tenantId, t.renewalDate),
    index('accounts_manager_idx').on(t.accountManagerUserId),
    uniqueIndex('accounts_tenant_salesforce_key')
      .on(t.tenantId, t.salesforceId)
      .where(sql`${t.salesforceId} is not null`),
    uniqueIndex('accounts_tenant_hubspot_key')
      .on(t.tenantId, t.hubspotId)
      .where(sql`${t.hubspotId} is not null`),
    nonNegative('accounts_arr_check', t.arrCents),
    nonNegative('accounts_lifetime_value_check', t.lifetimeValueCents),
    inValues('accounts_stage_check', t.stage, ACCOUNT_STAGES),
    inValues('accounts_relationship_status_check', t.relationshipStatus, RELATIONSHIP_STATUSES),
    between('accounts_health_score_check', t.healthScore, 0, 100),
    check('accounts_contract_details_check', sql`char_length(${t.contractDetails}) <= 2000`),
    check(
      'accounts_dates_check',
      sql`${t.renewalDate} is null or ${t.startDate} is null or ${t.renewalDate} >= ${t.startDate}`,
    ),
  ],
);

/**
 * A person the tenant talks to (seed 002's stakeholders, seed 004's customers, seed 000's
 * clientContacts), optionally belonging to an account. Channel handles live in contact_identities.
 */
export const contacts = tenantTable(
  'contacts',
  {
    accountId: uuid('account_id'),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    role: text('role'),
    isPrimary: boolean('is_primary').notNull().default(false),
    sentiment: text('sentiment', { enum: SENTIMENTS }),
    linkedinUrl: text('linkedin_url'),
    avatarUrl: text('avatar_url'),
    tags: text('tags').array().notNull().default(emptyTextArray),
    /** The contact's id in the tenant's own system (seed 004's customers.external_id). */
    externalId: text('external_id'),
    notes: text('notes'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('contacts_account_fk', t.tenantId, t.accountId, accounts),
    index('contacts_tenant_account_idx').on(t.tenantId, t.accountId),
    index('contacts_tenant_email_idx').on(t.tenantId, sql`lower(${t.email})`),
    index('contacts_tenant_phone_idx').on(t.tenantId, t.phone),
    index('contacts_tenant_last_seen_idx').on(t.tenantId, t.lastSeenAt.desc()),
    uniqueIndex('contacts_tenant_external_key')
      .on(t.tenantId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    inValues('contacts_sentiment_check', t.sentiment, SENTIMENTS),
  ],
);

/**
 * A contact's identity on one channel: e.g. a Slack user id in one workspace (seed 000), a phone
 * number on an SMS channel, a Telegram chat id. Unique per channel, so inbound traffic resolves
 * to exactly one contact.
 */
export const contactIdentities = tenantTable(
  'contact_identities',
  {
    contactId: uuid('contact_id').notNull(),
    channelId: uuid('channel_id').notNull(),
    externalUserId: text('external_user_id').notNull(),
    externalUserName: text('external_user_name'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('contact_identities_contact_fk', t.tenantId, t.contactId, contacts, 'cascade'),
    tenantRef('contact_identities_channel_fk', t.tenantId, t.channelId, channels, 'cascade'),
    uniqueIndex('contact_identities_channel_user_key').on(t.tenantId, t.channelId, t.externalUserId),
    index('contact_identities_tenant_contact_idx').on(t.tenantId, t.contactId),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
export type ContactIdentity = typeof contactIdentities.$inferSelect;
export type NewContactIdentity = typeof contactIdentities.$inferInsert;
