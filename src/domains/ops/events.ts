/**
 * The outbox of tenant events (Standard Webhooks). `emitEvent` records one delivery per
 * subscribed active endpoint inside the caller's transaction, so an event exists exactly when the
 * change that caused it is committed; the `webhooks.deliver` job sends it (webhook-delivery.ts).
 *
 * A delivery row starts `pending` with no `next_attempt_at` (due at once). Its delivery job is
 * queued in the same transaction (`enqueueManyIn`), so the job exists if and only if the row
 * commits, and the commit wakes a worker (NOTIFY): no dispatcher polls for new rows. On a
 * database where no process has started the job queue yet (a fresh embedded folder being
 * seeded) the row is recorded without its job; `recoverWebhookDeliveries`, run when workers
 * start, queues it.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { canEnqueue, enqueueManyIn } from '../../platform/jobs.js';
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
  /** Usage crossed 80 % or 100 % of a plan limit (the monthly tokens), once per period each. */
  'usage.threshold_reached',
  /** The monthly token budget is used up: the AI responder hands conversations to humans. */
  'responder.budget_exhausted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The job that attempts one delivery (webhook-delivery.ts). */
export const DELIVER_JOB = 'webhooks.deliver';

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
  options: { at: Date },
): Promise<void> {
  await emitEvents(tx, tenantId, [{ type, data }], options);
}

/**
 * Records several events at once, in order (a batch job's outcome, a burst of inbound messages):
 * one read of the tenant's active endpoints and one insert, whatever the number of events. An
 * event's own `at` (when it happened) overrides `options.at`.
 */
export async function emitEvents(
  tx: Tx,
  tenantId: string,
  events: ReadonlyArray<{ type: string; data: object; at?: Date }>,
  options: { at: Date },
): Promise<void> {
  for (const { type } of events) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) throw new Error(`unknown event type ${type}`);
  }
  if (events.length === 0) return;
  const types = [...new Set(events.map((e) => e.type))];
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.status, 'active'),
        sql`(cardinality(${webhookEndpoints.events}) = 0 OR ${webhookEndpoints.events} && ${sql.param([...types, '*'])}::text[])`,
      ),
    );
  if (endpoints.length === 0) return;
  const rows = events.flatMap(({ type, data, at }) => {
    const timestamp = (at ?? options.at).toISOString();
    const subscribed = endpoints.filter(
      (e) => e.events.length === 0 || e.events.includes(type) || e.events.includes('*'),
    );
    if (subscribed.length === 0) return [];
    const eventId = newMessageId();
    const payload = { type, timestamp, data };
    return subscribed.map((e) => ({ tenantId, endpointId: e.id, eventType: type, eventId, payload }));
  });
  if (rows.length === 0) return;
  const recorded = await tx.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id });
  if (!(await canEnqueue(tx))) return;
  await enqueueManyIn(
    tx,
    recorded.map(({ id }) => ({ name: DELIVER_JOB, data: { tenantId, deliveryId: id } })),
  );
}
