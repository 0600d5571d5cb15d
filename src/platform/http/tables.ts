/**
 * The tables the HTTP toolkit itself writes: the audit log (audit.ts), idempotency keys
 * (idempotency.ts) and shared rate-limit counters (rate-limit.ts). Domains own every other table.
 */
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
import { createdAt, inValues, timestamps } from '../../schema/columns.js';
import { tenantTable } from '../../schema/tenant-table.js';

export const ACTOR_TYPES = ['user', 'api_key', 'system'] as const;
export const IDEMPOTENCY_STATUSES = ['in_flight', 'completed'] as const;

type Json = Record<string, unknown>;

/**
 * Who changed what (seed 004's audit_logs, seed 002's activity_log). Append-only: the
 * `append_only` trigger (migrations) rejects UPDATE and DELETE for everyone, and the request role
 * gets SELECT/INSERT only. Ids here are deliberately not foreign keys: the log outlives the rows
 * it describes.
 */
export const auditLog = tenantTable(
  'audit_log',
  {
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    /** A user id or an API key id; NULL for system actions. */
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: uuid('resource_id'),
    /** The account the action concerns, when there is one (seed 002's activity_log.customer_id). */
    accountId: uuid('account_id'),
    oldValues: jsonb('old_values').$type<Json>(),
    newValues: jsonb('new_values').$type<Json>(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('audit_log_tenant_resource_idx').on(t.tenantId, t.resourceType, t.resourceId),
    index('audit_log_tenant_actor_idx').on(t.tenantId, t.actorId),
    index('audit_log_tenant_account_idx').on(t.tenantId, t.accountId),
    inValues('audit_log_actor_type_check', t.actorType, ACTOR_TYPES),
    check('audit_log_actor_check', sql`${t.actorType} = 'system' or ${t.actorId} is not null`),
  ],
);

/**
 * `Idempotency-Key` handling for mutating API requests: the first request claims the key
 * (in_flight, locked_at), the stored response answers every retry with the same request hash
 * until `expires_at`.
 */
export const idempotencyKeys = tenantTable(
  'idempotency_keys',
  {
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status', { enum: IDEMPOTENCY_STATUSES }).notNull().default('in_flight'),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_tenant_key_key').on(t.tenantId, t.key),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
    inValues('idempotency_keys_status_check', t.status, IDEMPOTENCY_STATUSES),
    check('idempotency_keys_key_check', sql`char_length(${t.key}) between 1 and 255`),
    check(
      'idempotency_keys_completed_check',
      sql`${t.status} <> 'completed' or ${t.responseStatus} is not null`,
    ),
  ],
);

/**
 * Global: request counters shared by every Frontdesk process on one database (SharedRateLimiter),
 * one row per key and fixed window. Old windows are deleted as new ones begin.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export type AuditLogEntry = typeof auditLog.$inferSelect;
export type NewAuditLogEntry = typeof auditLog.$inferInsert;
export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
export type NewIdempotencyKey = typeof idempotencyKeys.$inferInsert;
