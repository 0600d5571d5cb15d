/** POST /webhook-endpoints: a new endpoint, with its generated signing secret shown this once. */
import { withTenant } from '../../../platform/db/tenant.js';
import { audit } from '../../../platform/http/audit.js';
import { operation } from '../../../platform/http/operation.js';
import { sealString } from '../../../platform/secrets.js';
import { webhookEndpoints } from '../tables.js';
import {
  assertPublicEndpoint,
  endpointCreate,
  generateWebhookSecret,
  serializeEndpoint,
  withNewSecret,
  withSecret,
} from './kit.js';

export const createWebhookEndpointOperation = operation({
  method: 'post',
  path: '/webhook-endpoints',
  scope: 'tenant',
  role: 'admin',
  collection: true,
  resource: 'webhook-endpoints',
  tag: 'Webhooks',
  operationId: 'createWebhookEndpoint',
  summary: 'Create a webhook endpoint',
  description:
    'The server generates the signing secret (`whsec_…`) and returns it in `secret`: this once only, it is never readable again (rotate it to get a new one). Send an `Idempotency-Key` header to make retries safe.',
  request: { body: endpointCreate },
  responses: { 201: { description: 'Created, with the secret', schema: withSecret } },
  writeErrors: true,
  idempotent: true,
  // The URL's address is resolved and checked before the write's transaction opens.
  transaction: false,
  handler: async ({ c, body, principal, platform }) => {
    await assertPublicEndpoint(platform, String(body.url));
    const tenantId = principal.tenantId;
    const secret = generateWebhookSecret();
    const row = await withTenant(platform.db, tenantId, async (tx) => {
      const [made] = await tx
        .insert(webhookEndpoints)
        .values({
          ...(body as object),
          tenantId,
          secret: sealString(platform.config.secrets, secret),
        } as never)
        .returning();
      await audit(tx, c, {
        action: 'webhook-endpoints.create',
        resourceType: 'webhook-endpoints',
        resourceId: made!.id,
        newValues: serializeEndpoint(made!),
      });
      return made!;
    });
    c.header('location', `/v1/webhook-endpoints/${row.id}`);
    return withNewSecret(c, { ...row, secret });
  },
});
