import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  emptyJsonObject,
  emptyTextArray,
  idColumn,
  inValues,
  nonNegative,
  timestamps,
} from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';

export const WEBHOOK_ENDPOINT_STATUSES = ['active', 'disabled'] as const;
export const WEBHOOK_DELIVERY_STATUSES = [
  'pending',
  'in_flight',
  'succeeded',
  'failed',
  'abandoned',
] as const;
export const INBOUND_EVENT_STATUSES = ['received', 'processed', 'ignored', 'failed'] as const;

type Json = Record<string, unknown>;

/**
 * Outgoing webhooks a tenant subscribes to (seed 004's webhooks). Payloads are signed with
 * `secret`; after a rotation the previous secret keeps signing alongside for a grace period.
 * `events` lists event types ('*' = all). Encryption of secrets at rest is a later issue.
 */
export const webhookEndpoints = tenantTable(
  'webhook_endpoints',
  {
    url: text('url').notNull(),
    description: text('description'),
    events: text('events').array().notNull().default(emptyTextArray),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
    status: text('status', { enum: WEBHOOK_ENDPOINT_STATUSES }).notNull().default('active'),
    disabledReason: text('disabled_reason'),
    /** Consecutive failed deliveries; reset on success, the endpoint is disabled past a limit. */
    failureCount: integer('failure_count').notNull().default(0),
    lastTriggeredAt: timestamp('last_triggered_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    index('webhook_endpoints_tenant_status_idx').on(t.tenantId, t.status),
    index('webhook_endpoints_events_idx').using('gin', t.events),
    inValues('webhook_endpoints_status_check', t.status, WEBHOOK_ENDPOINT_STATUSES),
    nonNegative('webhook_endpoints_failure_count_check', t.failureCount),
    check('webhook_endpoints_url_check', sql`${t.url} ~ '^https?://'`),
    check('webhook_endpoints_disabled_check', sql`${t.status} = 'disabled' or ${t.disabledReason} is null`),
  ],
);

/**
 * One event to one endpoint: a single row whose attempts update it, so an event is delivered to
 * an endpoint at most once ((tenant, endpoint, event_id) is unique).
 */
export const webhookDeliveries = tenantTable(
  'webhook_deliveries',
  {
    endpointId: uuid('endpoint_id').notNull(),
    eventType: text('event_type').notNull(),
    eventId: text('event_id').notNull(),
    payload: jsonb('payload').$type<Json>().notNull(),
    attempt: integer('attempt').notNull().default(0),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    responseStatus: integer('response_status'),
    /** The first bytes of the response body, for debugging. */
    responseBody: text('response_body'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    tenantRef('webhook_deliveries_endpoint_fk', t.tenantId, t.endpointId, webhookEndpoints, 'cascade'),
    uniqueIndex('webhook_deliveries_endpoint_event_key').on(t.tenantId, t.endpointId, t.eventId),
    index('webhook_deliveries_tenant_endpoint_idx').on(t.tenantId, t.endpointId, t.createdAt.desc()),
    index('webhook_deliveries_tenant_status_idx').on(t.tenantId, t.status),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'failed')`),
    inValues('webhook_deliveries_status_check', t.status, WEBHOOK_DELIVERY_STATUSES),
    nonNegative('webhook_deliveries_attempt_check', t.attempt),
    nonNegative('webhook_deliveries_duration_check', t.durationMs),
    check('webhook_deliveries_response_status_check', sql`${t.responseStatus} between 100 and 599`),
    check('webhook_deliveries_response_body_check', sql`char_length(${t.responseBody}) <= 4096`),
    check(
      'webhook_deliveries_delivered_check',
      sql`(${t.status} = 'succeeded') = (${t.deliveredAt} is not null)`,
    ),
  ],
);

/**
 * Global: inbound provider webhooks, recorded before the tenant is known (seed 003's
 * webhook_events). `(provider, event_id)` makes processing idempotent. Not tenant-owned, so the
 * tenant it was routed to is `routed_tenant_id` (a column named tenant_id would make the
 * isolation machinery treat the table as tenant-owned). Written by the platform path only.
 */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: idColumn().primaryKey(),
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** Deliberately not a foreign key: a reference table cannot point at a distributed one on Citus. */
    routedTenantId: uuid('routed_tenant_id'),
    status: text('status', { enum: INBOUND_EVENT_STATUSES }).notNull().default('received'),
    error: text('error'),
    payload: jsonb('payload').$type<Json>().notNull().default(emptyJsonObject),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbound_events_provider_event_key').on(t.provider, t.eventId),
    index('inbound_events_routed_tenant_idx').on(t.routedTenantId, t.receivedAt.desc()),
    index('inbound_events_received_idx').on(t.receivedAt),
    inValues('inbound_events_status_check', t.status, INBOUND_EVENT_STATUSES),
  ],
);

/**
 * Global: signature nonces providers ask receivers to remember (Mailgun's `token`), so a captured
 * signature cannot be replayed with another body inside its time window. The same nonce with the
 * same body is a provider's retry and passes (its events are deduplicated anyway). Rows older than
 * the replay window are pruned as new ones arrive.
 */
export const inboundSignatureNonces = pgTable(
  'inbound_signature_nonces',
  {
    provider: text('provider').notNull(),
    nonce: text('nonce').notNull(),
    bodySha256: text('body_sha256').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.nonce] }),
    index('inbound_signature_nonces_seen_idx').on(t.seenAt),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type NewWebhookEndpoint = typeof webhookEndpoints.$inferInsert;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = typeof webhookDeliveries.$inferInsert;
export type InboundEvent = typeof inboundEvents.$inferSelect;
export type NewInboundEvent = typeof inboundEvents.$inferInsert;
