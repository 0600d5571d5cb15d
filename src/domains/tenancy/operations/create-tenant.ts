/** POST /platform/tenants: create a tenant (platform admins only). */
import { operation } from '../../../platform/http/operation.js';
import { createTenant, createTenantInput } from '../service.js';
import { requirePlatformAdmin, serialize, tenantSchema } from './kit.js';

export const createTenantOperation = operation({
  method: 'post',
  path: '/platform/tenants',
  scope: 'platform',
  tag: 'Platform',
  operationId: 'createTenant',
  summary: 'Create a tenant (platform admins only)',
  description: 'Authenticate with a platform admin’s session token.',
  request: { body: createTenantInput },
  responses: { 201: { description: 'Created', schema: tenantSchema } },
  // The admin is checked before the body is read: without credentials, 401 whatever is sent.
  load: ({ c, platform }) => requirePlatformAdmin(platform, c),
  handler: async ({ c, body, platform }) => {
    const tenant = await createTenant(platform.db, body);
    c.header('location', `/v1/platform/tenants/${tenant.id}`);
    return serialize(tenant);
  },
});
