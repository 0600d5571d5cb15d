/** POST /webhook-deliveries/:id/replay: the delivery again, now, with the same `webhook-id`. */
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { webhookDeliveries } from '../tables.js';
import { DELIVER_JOB } from '../webhook-delivery.js';
import { activeEndpoint, idParam, RESET } from './kit.js';

export const replayWebhookDeliveryOperation = operation({
  method: 'post',
  path: '/webhook-deliveries/:id/replay',
  scope: 'tenant',
  role: 'admin',
  resource: 'webhook-deliveries',
  tag: 'Webhooks',
  operationId: 'replayWebhookDelivery',
  summary: 'Send a delivery again',
  description:
    'Resets the delivery to pending with a fresh retry schedule and sends it now, with the same `webhook-id`. The endpoint must be active (409 otherwise).',
  request: { params: idParam },
  responses: { 202: { description: 'Queued', schema: z.object({ id: z.uuid(), status: z.string() }) } },
  handler: async ({ tx, params: { id }, principal, platform, audit }) => {
    const [delivery] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, principal.tenantId), eq(webhookDeliveries.id, id)))
      .for('update');
    if (!delivery) throw new AppError('not_found', 'no such webhookdelivery');
    await activeEndpoint(tx, delivery.endpointId);
    await tx.update(webhookDeliveries).set(RESET).where(eq(webhookDeliveries.id, id));
    await audit({ action: 'webhook-deliveries.replay', resourceType: 'webhook-deliveries', resourceId: id });
    await platform.jobs.sendIn(tx, DELIVER_JOB, { tenantId: principal.tenantId, deliveryId: id });
    return { id, status: 'pending' };
  },
});
