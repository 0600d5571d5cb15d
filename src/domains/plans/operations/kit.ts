/** What the plans operations share: the usage schemas, the export and every tenant's usage. */
import type { Context } from 'hono';
import type { Database } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { z } from '../../../platform/zod.js';
import { listTenants } from '../../tenancy/service.js';
import { exportRows, LIMIT_NAMES, PERIOD_RE, type TenantUsage, toCsv, usageOf } from '../usage.js';

export const period = z
  .string()
  .regex(PERIOD_RE, 'a month as YYYY-MM')
  .optional()
  .openapi({ description: "A calendar month in the tenant's time zone (default: the current one)." });
export const usageQuery = z.object({ period });
export const exportQuery = z.object({ period, format: z.enum(['json', 'csv']).default('json') });
export const platformQuery = exportQuery.extend({ tenant: z.string().max(100).optional() });

export const limitUsage = z.object({ limit: z.number().nullable(), used: z.number().nullable() });
export const usageSchema = z
  .object({
    tenantId: z.string(),
    slug: z.string(),
    plan: z.string().nullable(),
    subscriptionStatus: z.string(),
    trialEndsAt: z.string().nullable(),
    period: z.object({
      id: z.string(),
      start: z.string(),
      end: z.string(),
      timezone: z.string(),
      current: z.boolean(),
    }),
    limits: z.object(
      Object.fromEntries(LIMIT_NAMES.map((n) => [n, limitUsage])) as Record<string, typeof limitUsage>,
    ),
    daily: z.array(
      z.object({
        date: z.string(),
        conversations: z.number(),
        messages: z.number(),
        tokens: z.number(),
        costMicros: z.number(),
      }),
    ),
  })
  .openapi('Usage');
export const exportRow = z.object({
  tenantId: z.string(),
  tenantSlug: z.string(),
  plan: z.string().nullable(),
  subscriptionStatus: z.string(),
  period: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  metric: z.string(),
  limit: z.number().nullable(),
  used: z.number().nullable(),
});
export const exported = {
  content: {
    'application/json': { schema: z.object({ data: z.array(exportRow) }) },
    'text/csv': { schema: z.string() },
  },
};

/** Usage as JSON (`data`, one row per metric) or as a CSV attachment. */
export function sendExport(
  c: Context<AppEnv>,
  usages: TenantUsage[],
  format: 'json' | 'csv',
  name: string,
  withUsage = false,
) {
  if (format === 'json')
    return c.json({ data: exportRows(usages), ...(withUsage ? { tenants: usages } : {}) });
  return c.body(toCsv(usages), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}.csv"`,
  });
}

/** The usage of every tenant (or of one, by slug or id) in a period. */
export async function everyTenantUsage(db: Database, now: Date, p: string | undefined, only?: string) {
  const all = (await listTenants(db)).filter((t) => !only || t.slug === only || t.id === only);
  const out: TenantUsage[] = [];
  for (const t of all) out.push(await withTenant(db, t.id, (tx) => usageOf(tx, now, p)));
  return out;
}
