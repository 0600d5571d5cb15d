/** GET /tenant: the caller's own tenant, with its ETag. */
import { etagOf } from '../../../platform/http/etag.js';
import { operation } from '../../../platform/http/operation.js';
import { tenants } from '../../../schema/tenants.js';
import { serialize, tenantSchema } from './kit.js';

export const getTenantOperation = operation({
  method: 'get',
  path: '/tenant',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Tenancy',
  operationId: 'getTenant',
  summary: 'Your tenant',
  responses: { 200: { description: 'The tenant (with its ETag)', schema: tenantSchema } },
  handler: async ({ tx, c }) => {
    const [t] = await tx.select().from(tenants);
    const body = serialize(t!);
    c.header('etag', etagOf(body));
    return body;
  },
});
