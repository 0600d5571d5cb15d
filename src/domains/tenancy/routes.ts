/**
 * Tenants over HTTP: your own tenant (read; the owner updates it), public branding lookups by
 * slug and domain (seed 001: a white-label page needs its brand before anyone logs in), and the
 * platform admin's tenant list and creation.
 */
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf, ifMatchAllows } from '../../platform/http/etag.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { type Tenant, tenants } from '../../schema/tenants.js';
import { resolvePlatformAdmin } from '../identity/sessions.js';
import { tenantByDomain, tenantBySlug } from './lookup.js';
import { createTenant, createTenantInput, listTenants, tenantFields } from './service.js';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const serialize = (t: Tenant) => JSON.parse(JSON.stringify(t)) as Record<string, unknown>;
const publicView = (t: Tenant) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  brandConfig: t.brandConfig,
  locale: t.locale,
  timezone: t.timezone,
  vertical: t.vertical,
});
const publicSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  brandConfig: z.record(z.string(), z.unknown()),
  locale: z.string(),
  timezone: z.string(),
  vertical: z.string(),
});
const tenantSchema = z.record(z.string(), z.unknown());

/** The platform admin behind the request's session token, or 401/403 (platform routes). */
export async function requirePlatformAdmin(
  platform: { db: Database; clock: Clock },
  c: Context<AppEnv>,
): Promise<{ userId: string }> {
  const token = /^Bearer\s+(fds_\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (!token)
    throw new AppError('unauthorized', 'log in as a platform admin (session token)', {
      headers: { 'www-authenticate': 'Bearer realm="frontdesk"' },
    });
  const admin = await resolvePlatformAdmin(platform.db, token, platform.clock.now());
  if (!admin) throw new AppError('forbidden', 'this is for platform admins');
  return admin;
}

export function registerTenancyRoutes(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'get',
    path: '/tenant',
    collection: true,
    role: 'viewer',
    tag: 'Tenancy',
    operationId: 'getTenant',
    summary: 'Your tenant',
    responses: { 200: { description: 'The tenant (with its ETag)', ...json(tenantSchema) } },
    handler: async (c) => {
      const [t] = await withTenant(db, c.get('principal').tenantId, (tx) => tx.select().from(tenants));
      const body = serialize(t!);
      c.header('etag', etagOf(body));
      return c.json(body);
    },
  });

  // Domains route public traffic to a tenant: only the platform sets them (at creation), so one
  // tenant cannot claim another's domain.
  const patchBody = tenantFields.omit({ domain: true, customDomain: true }).partial();
  route(api, {
    method: 'patch',
    path: '/tenant',
    collection: true,
    role: 'owner',
    tag: 'Tenancy',
    operationId: 'updateTenant',
    summary: 'Update your tenant: name, branding, email identity, time zone, CORS origins…',
    description: 'Send `If-Match` with the ETag you read to refuse lost updates (412).',
    request: { body: json(patchBody) },
    responses: {
      200: { description: 'Updated', ...json(tenantSchema) },
      409: { description: 'Domain taken' },
      412: { description: 'Changed since read' },
    },
    handler: async (c) => {
      const patch = await jsonBody(c, patchBody);
      const p = c.get('principal');
      const row = await withTenant(db, p.tenantId, async (tx) => {
        const [before] = await tx.select().from(tenants).for('update');
        if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(before!)))) {
          throw new AppError('precondition_failed', 'the tenant changed since you read it: fetch it again');
        }
        if (Object.keys(patch).length === 0) return before!;
        const [after] = await tx.update(tenants).set(patch).where(eq(tenants.id, p.tenantId)).returning();
        await audit(tx, c, {
          action: 'tenant.update',
          resourceType: 'tenants',
          resourceId: p.tenantId,
          oldValues: serialize(before!),
          newValues: patch,
        });
        return after!;
      });
      const body = serialize(row);
      c.header('etag', etagOf(body));
      return c.json(body);
    },
  });

  for (const [by, find] of [
    ['slug', tenantBySlug],
    ['domain', tenantByDomain],
  ] as const) {
    route(api, {
      method: 'get',
      path: `/tenants/by-${by}/:${by}`,
      role: 'public',
      tag: 'Tenancy',
      operationId: `getTenantBy${by === 'slug' ? 'Slug' : 'Domain'}`,
      summary: `Public branding of a tenant, by ${by === 'slug' ? 'slug' : 'domain or custom domain'}`,
      request: { params: z.object({ [by]: z.string() }) },
      responses: { 200: { description: 'Public fields only', ...json(publicSchema) } },
      handler: async (c) => {
        const t = await find(db, c.req.param(by)!);
        if (!t?.active) throw new AppError('not_found', 'no such tenant');
        return c.json(publicView(t));
      },
    });
  }

  const platformOnly = (c: Context<AppEnv>) => requirePlatformAdmin(api.platform, c);
  route(api, {
    method: 'get',
    path: '/platform/tenants',
    role: 'public',
    platformAuth: true,
    tag: 'Platform',
    operationId: 'listAllTenants',
    summary: 'All tenants (platform admins only)',
    description: 'Authenticate with a platform admin’s session token.',
    responses: { 200: { description: 'Tenants', ...json(z.object({ data: z.array(tenantSchema) })) } },
    handler: async (c) => {
      await platformOnly(c);
      return c.json({ data: (await listTenants(db)).map(serialize) });
    },
  });
  route(api, {
    method: 'post',
    path: '/platform/tenants',
    role: 'public',
    platformAuth: true,
    tag: 'Platform',
    operationId: 'createTenant',
    summary: 'Create a tenant (platform admins only)',
    description: 'Authenticate with a platform admin’s session token.',
    request: { body: json(createTenantInput) },
    responses: { 201: { description: 'Created', ...json(tenantSchema) } },
    handler: async (c) => {
      await platformOnly(c);
      const tenant = await createTenant(db, await jsonBody(c, createTenantInput));
      c.header('location', `/v1/platform/tenants/${tenant.id}`);
      return c.json(serialize(tenant), 201);
    },
  });
}
