/** GET /platform/usage: every tenant's usage in a period, or one tenant's (platform admins only). */
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { requirePlatformAdmin } from '../../tenancy/operations/index.js';
import { everyTenantUsage, exportRow, platformQuery, sendExport, usageSchema } from './kit.js';

export const exportAllUsageOperation = operation({
  method: 'get',
  path: '/platform/usage',
  scope: 'platform',
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
        'application/json': { schema: z.object({ data: z.array(exportRow), tenants: z.array(usageSchema) }) },
        'text/csv': { schema: z.string() },
      },
    },
  },
  load: ({ c, platform }) => requirePlatformAdmin(platform, c),
  handler: async ({ c, query, platform, clock }) => {
    const usages = await everyTenantUsage(platform.db, clock.now(), query.period, query.tenant);
    return sendExport(c, usages, query.format, `usage-${query.period ?? 'current'}`, true);
  },
});
