/** POST /webhook-endpoints/:id/enable: a disabled endpoint active again, its failure count cleared. */
import { eq } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { webhookEndpoints } from '../tables.js';
import { idParam } from './kit.js';

export const enableWebhookEndpointOperation = operation({
  method: 'post',
  path: '/webhook-endpoints/:id/enable',
  scope: 'tenant',
  role: 'admin',
  resource: 'webhook-endpoints',
  tag: 'Webhooks',
  operationId: 'enableWebhookEndpoint',
  summary: 'Enable a disabled endpoint',
  description:
    'Clears the reason it was disabled (410 Gone, or failing every attempt) and its failure count. Deliveries abandoned meanwhile are not resent: replay them with `replay-failed`.',
  request: { params: idParam },
  responses: { 200: { description: 'Enabled', schema: z.object({ id: z.uuid(), status: z.string() }) } },
  writeErrors: true,
  handler: async ({ tx, params: { id }, audit }) => {
    const [after] = await tx
      .update(webhookEndpoints)
      .set({ status: 'active', disabledReason: null, failureCount: 0 })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    if (!after) throw new AppError('not_found', 'no such webhookendpoint');
    await audit({ action: 'webhook-endpoints.enable', resourceType: 'webhook-endpoints', resourceId: id });
    return { id: after.id, status: after.status };
  },
});
