/**
 * GET /me: who the caller is in this tenant: the console shows it, assigns to "me" and hides
 * what the role cannot do. A user session names the user; an API key names the key.
 */
import { eq } from 'drizzle-orm';
import { withPlatform } from '../../../platform/db/tenant.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { tenants } from '../../../schema/tenants.js';
import { users } from '../tables.js';

const Me = z
  .object({
    tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    role: z.enum(['owner', 'admin', 'agent', 'viewer']),
    actor: z.enum(['user', 'api_key']),
    userId: z.uuid().nullable(),
    email: z.string().nullable(),
    name: z.string().nullable(),
  })
  .openapi('Me');

export const getMeOperation = operation({
  method: 'get',
  path: '/me',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Identity',
  operationId: 'getMe',
  summary: 'The caller: user, role and tenant',
  request: { query: z.object({}) },
  responses: { 200: { description: 'The caller', schema: Me } },
  // Users are platform rows: read with the platform's connection.
  transaction: false,
  handler: async ({ principal: p, platform }) => {
    const found = await withPlatform(platform.db, async (tx) => {
      const [tenant] = await tx
        .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
        .from(tenants)
        .where(eq(tenants.id, p.tenantId));
      const [user] =
        p.actor.type === 'user'
          ? await tx
              .select({ email: users.email, name: users.name })
              .from(users)
              .where(eq(users.id, p.actor.id))
          : [];
      return { tenant: tenant!, user };
    });
    return {
      tenant: found.tenant,
      role: p.role,
      actor: p.actor.type,
      userId: p.actor.type === 'user' ? p.actor.id : null,
      email: found.user?.email ?? null,
      name: found.user?.name ?? null,
    };
  },
});
