/**
 * Plans over HTTP: a tenant's usage against its plan (`GET /v1/usage`, and its export for a
 * billing system), the platform admin's view of every tenant's usage, and the platform admin's
 * change of a tenant's plan, status or trial (audited in the tenant's log).
 */
import type { Context } from 'hono';
import type { Database } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { AppEnv } from '../../platform/http/context.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { SUBSCRIPTION_STATUSES } from '../../schema/tenants.js';
import { requirePlatformAdmin } from '../tenancy/operations/index.js';
import { listTenants } from '../tenancy/service.js';
import { changeSubscription } from './admin.js';
import { exportRows, LIMIT_NAMES, PERIOD_RE, type TenantUsage, toCsv, usageOf } from './usage.js';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const period = z
  .string()
  .regex(PERIOD_RE, 'a month as YYYY-MM')
  .optional()
  .openapi({ description: "A calendar month in the tenant's time zone (default: the current one)." });
const usageQuery = z.object({ period });
const exportQuery = z.object({ period, format: z.enum(['json', 'csv']).default('json') });
const platformQuery = exportQuery.extend({ tenant: z.string().max(100).optional() });

const limitUsage = z.object({ limit: z.number().nullable(), used: z.number().nullable() });
const usageSchema = z
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
const exportRow = z.object({
  tenant_id: z.string(),
  tenant_slug: z.string(),
  plan: z.string().nullable(),
  subscription_status: z.string(),
  period: z.string(),
  period_start: z.string(),
  period_end: z.string(),
  metric: z.string(),
  limit: z.number().nullable(),
  used: z.number().nullable(),
});
const exported = {
  content: {
    'application/json': { schema: z.object({ data: z.array(exportRow) }) },
    'text/csv': { schema: z.string() },
  },
};

const changeBody = z
  .object({
    plan: z.string().min(1).max(50).optional(),
    subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES).optional(),
    trialEndsAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

function sendExport(
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

async function everyTenantUsage(db: Database, now: Date, p: string | undefined, only?: string) {
  const all = (await listTenants(db)).filter((t) => !only || t.slug === only || t.id === only);
  const out: TenantUsage[] = [];
  for (const t of all) out.push(await withTenant(db, t.id, (tx) => usageOf(tx, now, p)));
  return out;
}

export function registerPlansRoutes(api: ApiContext): void {
  const { db, platform } = api;
  const ownUsage = (c: Context<AppEnv>, p: string | undefined) =>
    withTenant(db, c.get('principal').tenantId, (tx) => usageOf(tx, platform.clock.now(), p));

  route(api, {
    method: 'get',
    path: '/usage',
    collection: true,
    role: 'viewer',
    tag: 'Plans',
    operationId: 'getUsage',
    summary: 'Your usage against your plan in a period: each limit and its use, and usage by day',
    request: { query: usageQuery },
    responses: { 200: { description: 'Usage', ...json(usageSchema) } },
    handler: async (c) => {
      const q = parseWith(usageQuery, c.req.query(), 'query');
      return c.json(await ownUsage(c, q.period));
    },
  });

  route(api, {
    method: 'get',
    path: '/usage/export',
    collection: true,
    role: 'viewer',
    tag: 'Plans',
    operationId: 'exportUsage',
    summary: 'Your usage in a period, one row per metric, as JSON or CSV (for a billing system)',
    request: { query: exportQuery },
    responses: { 200: { description: 'One row per metric', ...exported } },
    handler: async (c) => {
      const q = parseWith(exportQuery, c.req.query(), 'query');
      const usage = await ownUsage(c, q.period);
      return sendExport(c, [usage], q.format, `usage-${usage.slug}-${usage.period.id}`);
    },
  });

  route(api, {
    method: 'get',
    path: '/platform/usage',
    role: 'public',
    platformAuth: true,
    tag: 'Platform',
    operationId: 'exportAllUsage',
    summary:
      "Every tenant's usage in a period (or one tenant's: `tenant`), as JSON or CSV (platform admins only)",
    description: 'Authenticate with a platform admin’s session token.',
    request: { query: platformQuery },
    responses: {
      200: {
        description:
          'One row per tenant and metric; as JSON also each tenant’s usage (`tenants`, as GET /v1/usage)',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(exportRow), tenants: z.array(usageSchema) }),
          },
          'text/csv': { schema: z.string() },
        },
      },
    },
    handler: async (c) => {
      await requirePlatformAdmin(api.platform, c);
      const q = parseWith(platformQuery, c.req.query(), 'query');
      const usages = await everyTenantUsage(db, platform.clock.now(), q.period, q.tenant);
      return sendExport(c, usages, q.format, `usage-${q.period ?? 'current'}`, true);
    },
  });

  route(api, {
    method: 'patch',
    path: '/platform/tenants/:id',
    role: 'public',
    platformAuth: true,
    tag: 'Platform',
    operationId: 'changeTenantSubscription',
    summary: "Change a tenant's plan, subscription status or trial end (platform admins only; audited)",
    description:
      'Authenticate with a platform admin’s session token. `suspended`, `canceled` and `paused` stop the tenant’s keys, sessions, widget and inbound channels; another status resumes them. A lower plan keeps existing data and blocks new creation over its limits.',
    request: { params: z.object({ id: z.string() }), body: json(changeBody) },
    responses: {
      200: { description: 'The tenant as it is now', ...json(z.record(z.string(), z.unknown())) },
    },
    handler: async (c) => {
      const admin = await requirePlatformAdmin(api.platform, c);
      const body = await jsonBody(c, changeBody);
      const tenant = await changeSubscription(
        db,
        c.req.param('id')!,
        {
          ...(body.plan !== undefined ? { plan: body.plan } : {}),
          ...(body.subscriptionStatus ? { subscriptionStatus: body.subscriptionStatus } : {}),
          ...(body.trialEndsAt !== undefined
            ? { trialEndsAt: body.trialEndsAt === null ? null : new Date(body.trialEndsAt) }
            : {}),
        },
        { type: 'user', id: admin.userId, via: 'api' },
      );
      return c.json(JSON.parse(JSON.stringify(tenant)));
    },
  });
}
