/**
 * The tenants and their plans: the root every `tenantTable` references (`tenant_id → tenants`), so
 * they sit in schema/ below every domain rather than in domains/tenancy/. The tenancy domain owns
 * the services and operations on them.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { emptyJsonObject, emptyTextArray, idColumn, inValues, nonNegative, timestamps } from './columns.js';
import type { BrandConfig, EmailConfig } from './tenant-brand.js';

export const SUBSCRIPTION_STATUSES = [
  'trialing',
  'active',
  'past_due',
  'canceled',
  'paused',
  'suspended',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** Statuses that stop the tenant's keys, sessions, widget and inbound channels (docs/plans.md). */
export const BLOCKED_STATUSES: readonly SubscriptionStatus[] = ['suspended', 'canceled', 'paused'];
export const VERTICALS = [
  'coaching',
  'hospitality',
  'agency',
  'customer_success',
  'support',
  'other',
] as const;
export const MODULES = ['success', 'coaching', 'hospitality'] as const;

/**
 * Global: subscription plans (seed 004's subscription_plans). Limits drive per-tenant rate limits
 * and quotas. Prices are integer cents.
 */
export const plans = pgTable(
  'plans',
  {
    id: idColumn().primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    priceMonthlyCents: integer('price_monthly_cents').notNull().default(0),
    priceYearlyCents: integer('price_yearly_cents').notNull().default(0),
    features: jsonb('features').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    limits: jsonb('limits').$type<Record<string, number>>().notNull().default(emptyJsonObject),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('plans_slug_key').on(t.slug),
    nonNegative('plans_price_monthly_check', t.priceMonthlyCents),
    nonNegative('plans_price_yearly_check', t.priceYearlyCents),
  ],
);

/**
 * A tenant: one customer organisation of a product built on Frontdesk (seed 000's organizations,
 * 001's tenant_profiles, 003's companies and company_profile, 004's companies). The root of every
 * tenant-owned row; RLS lets a tenant context see only its own row.
 */
export const tenants = pgTable(
  'tenants',
  {
    id: idColumn().primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** Seed 001's tenant_type (e.g. individual coach vs. firm); free text per vertical. */
    tenantType: text('tenant_type'),
    domain: text('domain'),
    customDomain: text('custom_domain'),
    websiteUrl: text('website_url'),
    brandConfig: jsonb('brand_config').$type<BrandConfig>().notNull().default(emptyJsonObject),
    emailConfig: jsonb('email_config').$type<EmailConfig>().notNull().default(emptyJsonObject),
    /** Free-form product settings (seed 004's companies.settings). */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(emptyJsonObject),
    timezone: text('timezone').notNull().default('UTC'),
    locale: text('locale').notNull().default('en'),
    vertical: text('vertical', { enum: VERTICALS }).notNull().default('other'),
    planId: uuid('plan_id').references(() => plans.id),
    subscriptionStatus: text('subscription_status', { enum: SUBSCRIPTION_STATUSES })
      .notNull()
      .default('trialing'),
    trialEndsAt: timestamp('trial_ends_at', { withTimezone: true }),
    enabledModules: text('enabled_modules').array().notNull().default(emptyTextArray),
    enabledAssessments: text('enabled_assessments').array().notNull().default(emptyTextArray),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('tenants_slug_key').on(t.slug),
    check('tenants_slug_format_check', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{0,62}$'`),
    uniqueIndex('tenants_custom_domain_key').on(sql`lower(${t.customDomain})`),
    index('tenants_domain_idx').on(sql`lower(${t.domain})`),
    index('tenants_plan_idx').on(t.planId),
    inValues('tenants_subscription_status_check', t.subscriptionStatus, SUBSCRIPTION_STATUSES),
    inValues('tenants_vertical_check', t.vertical, VERTICALS),
  ],
);

export type Plan = typeof plans.$inferSelect;
export type NewPlan = typeof plans.$inferInsert;
export type Tenant = typeof tenants.$inferSelect;
export type NewTenant = typeof tenants.$inferInsert;
