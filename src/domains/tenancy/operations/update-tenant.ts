/** PATCH /tenant: the owner changes name, branding, email identity, time zone, CORS origins… */
import { and, eq, sql } from 'drizzle-orm';
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
  writesGlobalTable: true,
  summary: 'Update your tenant: name, branding, email identity, time zone, CORS origins…',
  description: 'Send `If-Match` with the ETag you read to refuse lost updates (412).',
  request: { body: patchBody },
  responses: {
    200: { description: 'Updated', schema: tenantSchema },
    409: { description: 'Domain taken' },
    412: { description: 'Changed since read' },
  },
  handler: async ({ tx, c, body: patch, principal, audit }) => {
    // No row lock: on Citus, tenants is a reference table and locking it also locks the plans
    // it references (refused to the tenant role). The update below is conditional on the row
    // read being the row changed (updated_at), so a concurrent change still answers 412.
    const [before] = await tx.select().from(tenants).where(eq(tenants.id, principal.tenantId));
    if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(before!)))) {
      throw new AppError('precondition_failed', 'the tenant changed since you read it: fetch it again');
    }
    let row = before!;
    if (Object.keys(patch).length > 0) {
      const [updated] = await tx
        .update(tenants)
        .set(patch)
        .where(
          and(
            eq(tenants.id, principal.tenantId),
            // updated_at holds microseconds, the Date read back milliseconds. Compared in UTC:
            // date_trunc of a timestamptz is STABLE (it depends on the session's time zone), and
            // Citus refuses a STABLE function of a column in an UPDATE; of a plain timestamp it is
            // IMMUTABLE, and so is AT TIME ZONE 'UTC'.
            sql`date_trunc('milliseconds', ${tenants.updatedAt} AT TIME ZONE 'UTC') = (${before!.updatedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')`,
          ),
        )
        .returning();
      if (!updated)
        throw new AppError('precondition_failed', 'the tenant changed since you read it: fetch it again');
      row = updated;
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
