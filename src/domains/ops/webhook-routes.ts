/**
 * Operating webhook endpoints over HTTP beyond CRUD: replaying a delivery or every failed one
 * since a time (recovering from an outage), re-enabling a disabled endpoint, and the address
 * check every endpoint URL passes when it is set. Rotation is in routes.ts.
 */
import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { webhookDeliveries, webhookEndpoints } from './tables.js';
import { DELIVER_JOB, endpointUrlProblem } from './webhook-delivery.js';

const idParam = z.object({ id: z.uuid() });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const replayBody = z.object({
  since: z.coerce
    .date()
    .openapi({ description: 'Replay deliveries of events recorded at or after this time.' }),
});
const replayed = z.object({ replayed: z.number().int() });
const enabled = z.object({ id: z.uuid(), status: z.string() });

/** 422 when the URL points at a private, loopback or link-local address (unless allowed by configuration). */
export async function assertPublicEndpoint(api: ApiContext, url: string): Promise<void> {
  const problem = await endpointUrlProblem(url, api.platform.config.allowPrivateUrls);
  if (problem) {
    throw new AppError('validation_failed', 'the request body is not valid', {
      errors: [{ path: 'url', message: `${problem}: webhook endpoints must be public addresses` }],
    });
  }
}

/** Back to pending with a fresh schedule; the message id stays (receivers dedupe on it). */
const RESET = {
  status: 'pending' as const,
  attempt: 0,
  nextAttemptAt: null,
  deliveredAt: null,
  error: null,
};

export function registerWebhookRoutes(api: ApiContext): void {
  const { db } = api;
  // Read when a request comes (the OpenAPI document is built without a platform).
  const jobs = () => api.platform.jobs;

  const activeEndpoint = async (tx: Tx, id: string) => {
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    if (!endpoint) throw new AppError('not_found', 'no such webhookendpoint');
    if (endpoint.status !== 'active') {
      throw new AppError('conflict', 'the endpoint is disabled: enable it before replaying');
    }
    return endpoint;
  };

  route(api, {
    method: 'post',
    path: '/webhook-deliveries/:id/replay',
    role: 'admin',
    resource: 'webhook-deliveries',
    tag: 'Webhooks',
    operationId: 'replayWebhookDelivery',
    summary: 'Send a delivery again',
    description:
      'Resets the delivery to pending with a fresh retry schedule and sends it now, with the same `webhook-id`. The endpoint must be active (409 otherwise).',
    request: { params: idParam },
    responses: { 202: { description: 'Queued', ...json(z.object({ id: z.uuid(), status: z.string() })) } },
    handler: async (c) => {
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const tenantId = c.get('principal').tenantId;
      await withTenant(db, tenantId, async (tx) => {
        const [delivery] = await tx
          .select()
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.id, id))
          .for('update');
        if (!delivery) throw new AppError('not_found', 'no such webhookdelivery');
        await activeEndpoint(tx, delivery.endpointId);
        await tx.update(webhookDeliveries).set(RESET).where(eq(webhookDeliveries.id, id));
        await audit(tx, c, {
          action: 'webhook-deliveries.replay',
          resourceType: 'webhook-deliveries',
          resourceId: id,
        });
        await jobs().sendIn(tx, DELIVER_JOB, { tenantId, deliveryId: id });
      });
      return c.json({ id, status: 'pending' }, 202);
    },
  });

  route(api, {
    method: 'post',
    path: '/webhook-endpoints/:id/replay-failed',
    role: 'admin',
    resource: 'webhook-endpoints',
    tag: 'Webhooks',
    operationId: 'replayFailedWebhookDeliveries',
    summary: 'Send again every failed delivery since a time',
    description:
      'Every delivery of this endpoint that failed for good (`abandoned`) or is waiting for a retry (`failed`), of events recorded at or after `since`, is reset and sent now. The endpoint must be active (409 otherwise).',
    request: { params: idParam, body: json(replayBody) },
    responses: { 202: { description: 'Queued', ...json(replayed) }, ...writeErrors },
    handler: async (c) => {
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const tenantId = c.get('principal').tenantId;
      const ids = await withTenant(db, tenantId, async (tx) => {
        await activeEndpoint(tx, id);
        const { since } = await jsonBody(c, replayBody);
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
        await audit(tx, c, {
          action: 'webhook-endpoints.replay-failed',
          resourceType: 'webhook-endpoints',
          resourceId: id,
          newValues: { since: since.toISOString(), replayed: reset.length },
        });
        for (const r of reset) await jobs().sendIn(tx, DELIVER_JOB, { tenantId, deliveryId: r.id });
        return reset.map((r) => r.id);
      });
      return c.json({ replayed: ids.length }, 202);
    },
  });

  route(api, {
    method: 'post',
    path: '/webhook-endpoints/:id/enable',
    role: 'admin',
    resource: 'webhook-endpoints',
    tag: 'Webhooks',
    operationId: 'enableWebhookEndpoint',
    summary: 'Enable a disabled endpoint',
    description:
      'Clears the reason it was disabled (410 Gone, or failing every attempt) and its failure count. Deliveries abandoned meanwhile are not resent: replay them with `replay-failed`.',
    request: { params: idParam },
    responses: { 200: { description: 'Enabled', ...json(enabled) }, ...writeErrors },
    handler: async (c) => {
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const row = await withTenant(db, c.get('principal').tenantId, async (tx) => {
        const [after] = await tx
          .update(webhookEndpoints)
          .set({ status: 'active', disabledReason: null, failureCount: 0 })
          .where(eq(webhookEndpoints.id, id))
          .returning();
        if (!after) throw new AppError('not_found', 'no such webhookendpoint');
        await audit(tx, c, {
          action: 'webhook-endpoints.enable',
          resourceType: 'webhook-endpoints',
          resourceId: id,
        });
        return after;
      });
      return c.json({ id: row.id, status: row.status });
    },
  });
}
