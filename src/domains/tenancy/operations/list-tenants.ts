/** GET /platform/tenants: every tenant (platform admins only). */
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { listTenants } from '../service.js';
import { requirePlatformAdmin, serialize, tenantSchema } from './kit.js';

export const listTenantsOperation = operation({
  method: 'get',
  path: '/platform/tenants',
  scope: 'platform',
  tag: 'Platform',
  operationId: 'listAllTenants',
  summary: 'All tenants (platform admins only)',
  description: 'Authenticate with a platform admin’s session token.',
  responses: { 200: { description: 'Tenants', schema: z.object({ data: z.array(tenantSchema) }) } },
  load: ({ c, platform }) => requirePlatformAdmin(platform, c),
  handler: async ({ platform }) => ({ data: (await listTenants(platform.db)).map(serialize) }),
});
