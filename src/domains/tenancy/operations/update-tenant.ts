/** PATCH /tenant: the owner changes name, branding, email identity, time zone, CORS origins… */
import { eq } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { etagOf, ifMatchAllows } from '../../../platform/http/etag.js';
import { operation } from '../../../platform/http/operation.js';
import { tenants } from '../../../schema/tenants.js';
import { tenantFields } from '../service.js';
import { serialize, tenantSchema } from './kit.js';

// Domains route public traffic to a tenant: only the platform sets them (at creation), so one
// tenant cannot claim another's domain.
const patchBody = tenantFields.omit({ domain: true, customDomain: true }).partial();

export const updateTenantOperation = operation({
  method: 'patch',
  path: '/tenant',
  scope: 'tenant',
  role: 'owner',
  collection: true,
  tag: 'Tenancy',
  operationId: 'updateTenant',
  summary: 'Update your tenant: name, branding, email identity, time zone, CORS origins…',
  description: 'Send `If-Match` with the ETag you read to refuse lost updates (412).',
  request: { body: patchBody },
  responses: {
    200: { description: 'Updated', schema: tenantSchema },
    409: { description: 'Domain taken' },
    412: { description: 'Changed since read' },
  },
  handler: async ({ tx, c, body: patch, principal, audit }) => {
    const [before] = await tx.select().from(tenants).for('update');
    if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(before!)))) {
      throw new AppError('precondition_failed', 'the tenant changed since you read it: fetch it again');
    }
    let row = before!;
    if (Object.keys(patch).length > 0) {
      [row] = (await tx.update(tenants).set(patch).where(eq(tenants.id, principal.tenantId)).returning()) as [
        typeof row,
      ];
      await audit({
        action: 'tenant.update',
        resourceType: 'tenants',
        resourceId: principal.tenantId,
        oldValues: serialize(before!),
        newValues: patch,
      });
    }
    const body = serialize(row);
    c.header('etag', etagOf(body));
    return body;
  },
});
