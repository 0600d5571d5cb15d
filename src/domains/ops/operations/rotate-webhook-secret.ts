/** POST /webhook-endpoints/:id/rotate-secret: a new signing secret, the current one kept as previous. */
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { etagOf, ifMatchAllows } from '../../../platform/http/etag.js';
import { operation } from '../../../platform/http/operation.js';
import { sealString } from '../../../platform/secrets.js';
import { webhookEndpoints } from '../tables.js';
import { generateWebhookSecret, idParam, serializeEndpoint, withNewSecret, withSecret } from './kit.js';

export const rotateWebhookSecretOperation = operation({
  method: 'post',
  path: '/webhook-endpoints/:id/rotate-secret',
  scope: 'tenant',
  role: 'admin',
  resource: 'webhook-endpoints',
  tag: 'Webhooks',
  operationId: 'rotateWebhookEndpointSecret',
  summary: 'Rotate the signing secret',
  description:
    'The current secret becomes the previous one (deliveries are signed with both for a grace period) and a new secret is returned in `secret`, this once only. `If-Match` refuses a lost update (412).',
  request: { params: idParam },
  responses: { 200: { description: 'Rotated, with the new secret', schema: withSecret } },
  writeErrors: true,
  handler: async ({ tx, c, params: { id }, principal, platform, clock, audit }) => {
    const [before] = await tx
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, principal.tenantId), eq(webhookEndpoints.id, id)))
      .for('update');
    if (!before) throw new AppError('not_found', 'no such webhookendpoint');
    if (!ifMatchAllows(c.req.header('if-match'), etagOf(serializeEndpoint(before)))) {
      throw new AppError('precondition_failed', 'the resource changed since you read it: fetch it again');
    }
    const secret = generateWebhookSecret();
    const values = {
      secret: sealString(platform.config.secrets, secret),
      previousSecret: before.secret,
      secretRotatedAt: clock.now(),
    };
    const [after] = await tx
      .update(webhookEndpoints)
      .set(values)
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await audit({
      action: 'webhook-endpoints.rotate-secret',
      resourceType: 'webhook-endpoints',
      resourceId: id,
      oldValues: serializeEndpoint(before),
      newValues: { secretRotatedAt: values.secretRotatedAt },
    });
    return withNewSecret(c, { ...after!, secret });
  },
});
