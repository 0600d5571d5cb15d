/** PATCH /platform/tenants/:id: a tenant's plan, subscription status or trial end (platform admins; audited). */

import { toJsonValue } from '../../../platform/http/json-value.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { SUBSCRIPTION_STATUSES } from '../../../schema/tenants.js';
import { requirePlatformAdmin } from '../../tenancy/operations/index.js';
import { changeSubscription } from '../admin.js';

const changeBody = z
  .object({
    plan: z.string().min(1).max(50).optional(),
    subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES).optional(),
    trialEndsAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export const changeSubscriptionOperation = operation({
  method: 'patch',
  path: '/platform/tenants/:id',
  scope: 'platform',
  tag: 'Platform',
  operationId: 'changeTenantSubscription',
  summary: "Change a tenant's plan, subscription status or trial end (platform admins only; audited)",
  description:
    'Authenticate with a platform admin’s session token. `suspended`, `canceled` and `paused` stop the tenant’s keys, sessions, widget and inbound channels; another status resumes them. A lower plan keeps existing data and blocks new creation over its limits.',
  // The tenant is named by slug or id: documented, not validated as a uuid.
  openapiRequest: {
    params: z.object({ id: z.string() }),
    body: { required: true, content: { 'application/json': { schema: changeBody } } },
  },
  request: { body: changeBody },
  responses: { 200: { description: 'The tenant as it is now', schema: z.record(z.string(), z.unknown()) } },
  load: ({ c, platform }) => requirePlatformAdmin(platform, c),
  handler: async ({ c, body, platform, loaded: admin }) => {
    const tenant = await changeSubscription(
      platform.db,
      c.req.param('id')!,
      {
        ...(body.plan !== undefined ? { plan: body.plan } : {}),
        ...(body.subscriptionStatus ? { subscriptionStatus: body.subscriptionStatus } : {}),
        ...(body.trialEndsAt !== undefined
          ? { trialEndsAt: body.trialEndsAt === null ? null : new Date(body.trialEndsAt) }
          : {}),
      },
      { type: 'user', id: admin.userId, via: 'api' },
    );
    return toJsonValue(tenant) as Record<string, unknown>;
  },
});
