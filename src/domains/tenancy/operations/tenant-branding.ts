/**
 * GET /tenants/by-slug/:slug and GET /tenants/by-domain/:domain: a tenant's public branding (a
 * white-label page needs its brand before anyone logs in). One declaration, two lookups.
 */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import type { Tenant } from '../../../schema/tenants.js';
import { tenantByDomain, tenantBySlug } from '../lookup.js';

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

const brandingBy = (by: 'slug' | 'domain', find: typeof tenantBySlug) =>
  operation({
    method: 'get',
    path: `/tenants/by-${by}/:${by}`,
    scope: 'public',
    tag: 'Tenancy',
    operationId: `getTenantBy${by === 'slug' ? 'Slug' : 'Domain'}`,
    summary: `Public branding of a tenant, by ${by === 'slug' ? 'slug' : 'domain or custom domain'}`,
    // Documented only: any string is looked up (an unknown one is a 404).
    openapiRequest: { params: z.object({ [by]: z.string() }) },
    responses: { 200: { description: 'Public fields only', schema: publicSchema } },
    handler: async ({ c, platform }) => {
      const t = await find(platform.db, c.req.param(by)!);
      if (!t?.active) throw new AppError('not_found', 'no such tenant');
      return publicView(t);
    },
  });

export const tenantBySlugOperation = brandingBy('slug', tenantBySlug);
export const tenantByDomainOperation = brandingBy('domain', tenantByDomain);
