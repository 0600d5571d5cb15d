/** GET /platform/plans: the plan catalogue, with each plan's limits (platform admins only). */
import { asc } from 'drizzle-orm';
import { withPlatform } from '../../../platform/db/tenant.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { plans } from '../../../schema/tenants.js';
import { requirePlatformAdmin } from '../../tenancy/operations/index.js';

const planSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    priceMonthlyCents: z.number().int(),
    priceYearlyCents: z.number().int(),
    features: z.array(z.string()),
    limits: z.record(z.string(), z.number()).openapi({
      description:
        'Quotas and rate limits by name (`agents`, `seats`, `monthlyConversations`, …); absent: unlimited',
    }),
    active: z.boolean(),
  })
  .openapi('Plan');

export const listPlansOperation = operation({
  method: 'get',
  path: '/platform/plans',
  scope: 'platform',
  tag: 'Platform',
  operationId: 'listPlans',
  summary: 'The plans a tenant can be on, cheapest first (platform admins only)',
  description: 'Authenticate with a platform admin’s session token. A tenant’s `planId` is one of these ids.',
  responses: { 200: { description: 'Plans', schema: z.object({ data: z.array(planSchema) }) } },
  load: ({ c, platform }) => requirePlatformAdmin(platform, c),
  handler: async ({ platform }) => {
    const rows = await withPlatform(platform.db, (tx) =>
      tx
        .select({
          id: plans.id,
          slug: plans.slug,
          name: plans.name,
          description: plans.description,
          priceMonthlyCents: plans.priceMonthlyCents,
          priceYearlyCents: plans.priceYearlyCents,
          features: plans.features,
          limits: plans.limits,
          active: plans.active,
        })
        .from(plans)
        .orderBy(asc(plans.priceMonthlyCents), asc(plans.slug)),
    );
    return { data: rows };
  },
});
