/**
 * Plans domain tables: what enforcing a plan needs beyond the plan itself (schema/tenants.ts).
 *
 * `quota_counters` holds one row per tenant, limit and period. Its row is the lock that makes a
 * quota race-free: the `frontdesk_enforce_quota` trigger (migrations/0011_plans.sql) locks it
 * `FOR UPDATE` before counting, in the transaction that creates the resource, so two creations at
 * the limit run one after the other and the second sees the first. Monthly limits also keep their
 * count here (`used`: conversations created in the month, never decremented); the others count
 * the live rows and leave `used` at 0.
 *
 * `usage_notices` records the one-per-period notices (80 % and 100 % of the token budget, the
 * budget escalation), so each is sent exactly once whatever the number of workers.
 */
import { sql } from 'drizzle-orm';
import { check, integer, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, nonNegative, timestamps } from '../../schema/columns.js';
import { tenantTable } from '../../schema/tenant-table.js';

export const quotaCounters = tenantTable(
  'quota_counters',
  {
    /** The plan limit's name: `agents`, `seats`, `knowledgeSources`, `monthlyConversations`. */
    resource: text('resource').notNull(),
    /** `YYYY-MM` in the tenant's time zone for monthly limits, '' for the others. */
    period: text('period').notNull().default(''),
    used: integer('used').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('quota_counters_tenant_resource_period_key').on(t.tenantId, t.resource, t.period),
    nonNegative('quota_counters_used_check', t.used),
  ],
);

export const usageNotices = tenantTable(
  'usage_notices',
  {
    /** e.g. `monthlyTokens.80`, `monthlyTokens.100`, `monthlyTokens.escalation`. */
    kind: text('kind').notNull(),
    /** `YYYY-MM` in the tenant's time zone. */
    period: text('period').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('usage_notices_tenant_kind_period_key').on(t.tenantId, t.kind, t.period),
    check('usage_notices_period_check', sql`${t.period} ~ '^[0-9]{4}-[0-9]{2}$'`),
  ],
);

export type QuotaCounter = typeof quotaCounters.$inferSelect;
