/** POST /webhook-endpoints/:id/replay-failed: every failed delivery of the endpoint since a time, again. */
import { and, eq, gte, inArray } from 'drizzle-orm';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { webhookDeliveries } from '../tables.js';
import { DELIVER_JOB } from '../webhook-delivery.js';
import { activeEndpoint, idParam, RESET } from './kit.js';

const replayBody = z.object({
  since: z.coerce
    .date()
    .openapi({ description: 'Replay deliveries of events recorded at or after this time.' }),
});

export const replayFailedWebhookDeliveriesOperation = operation({
  method: 'post',
  path: '/webhook-endpoints/:id/replay-failed',
  scope: 'tenant',
  role: 'admin',
  resource: 'webhook-endpoints',
  tag: 'Webhooks',
  operationId: 'replayFailedWebhookDeliveries',
  summary: 'Send again every failed delivery since a time',
  description:
    'Every delivery of this endpoint that failed for good (`abandoned`) or is waiting for a retry (`failed`), of events recorded at or after `since`, is reset and sent now. The endpoint must be active (409 otherwise).',
  request: { params: idParam, body: replayBody },
  responses: { 202: { description: 'Queued', schema: z.object({ replayed: z.number().int() }) } },
  writeErrors: true,
  // The endpoint is checked (404, 409) before the body is read.
  load: ({ tx, params }) => activeEndpoint(tx, params.id),
  handler: async ({ tx, params: { id }, body: { since }, principal, platform, audit }) => {
    const reset = await tx
      .update(webhookDeliveries)
      .set(RESET)
      .where(
        and(
          eq(webhookDeliveries.endpointId, id),
          inArray(webhookDeliveries.status, ['failed', 'abandoned']),
          gte(webhookDeliveries.createdAt, since),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    await audit({
      action: 'webhook-endpoints.replay-failed',
      resourceType: 'webhook-endpoints',
      resourceId: id,
      newValues: { since: since.toISOString(), replayed: reset.length },
    });
    for (const r of reset)
      await platform.jobs.sendIn(tx, DELIVER_JOB, { tenantId: principal.tenantId, deliveryId: r.id });
    return { replayed: reset.length };
  },
});
