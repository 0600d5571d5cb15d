/**
 * The outbox of tenant events (Standard Webhooks). `emitEvent` records one delivery per
 * subscribed active endpoint inside the caller's transaction, so an event exists exactly when the
 * change that caused it is committed; the `webhooks.deliver` job sends it (webhook-delivery.ts).
 *
 * A delivery row starts `pending` with no `next_attempt_at` (due at once). Nothing is enqueued
 * from inside the transaction (the request role cannot write the job queue and the job must not
 * exist before the commit): `dispatchDueWebhooks` (the `webhooks.dispatch` job, and
 * `startWebhookDispatcher` on a server) turns due rows into delivery jobs.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { webhookDeliveries, webhookEndpoints } from './tables.js';

export const EVENT_TYPES = [
  'message.created',
  'conversation.opened',
  'conversation.closed',
  'conversation.assigned',
  'escalation.opened',
  'escalation.updated',
  'approval.requested',
  'knowledge_source.ready',
  'knowledge_source.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * A message id as the spec shows them (`msg_…`): random, and free of `.`, which separates the
 * parts of the signed content. The same id is sent on every attempt, so receivers can dedupe.
 */
export const newMessageId = (): string => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * Records `type` with `data` for every active endpoint of the tenant subscribed to it (an endpoint
 * with no events, or with `*`, receives every type). Returns nothing: the caller's transaction
 * decides whether the event happened.
 */
export async function emitEvent(
  tx: Tx,
  tenantId: string,
  type: string,
  data: object,
  options: { at?: Date } = {},
): Promise<void> {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) throw new Error(`unknown event type ${type}`);
  const payload = {
    type,
    timestamp: (options.at ?? new Date()).toISOString(),
    data,
  };
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.status, 'active'),
        sql`(cardinality(${webhookEndpoints.events}) = 0 OR ${webhookEndpoints.events} && ARRAY[${type}, '*']::text[])`,
      ),
    );
  if (endpoints.length === 0) return;
  const eventId = newMessageId();
  await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ tenantId, endpointId: e.id, eventType: type, eventId, payload })));
}
