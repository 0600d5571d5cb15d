/**
 * Ops over HTTP: webhook endpoints (the signing secret is shown once, at creation and at each
 * rotation), their deliveries, the audit log and usage (read-only), and a usage summary.
 */

import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Context } from 'hono';
import { rows } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf, ifMatchAllows } from '../../platform/http/etag.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { requireRole } from '../../platform/http/principal.js';
import { defineResource } from '../../platform/http/resource.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { auditLog } from '../../platform/http/tables.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { sealString } from '../../platform/secrets.js';
import { z } from '../../platform/zod.js';
import { tenants } from '../../schema/tenants.js';
import { EVENT_TYPES } from './events.js';
import { usageEvents, webhookDeliveries, webhookEndpoints } from './tables.js';
import { assertPublicEndpoint, registerWebhookRoutes } from './webhook-routes.js';

type Row = Record<string, unknown>;
type ZObject = z.ZodObject<z.ZodRawShape>;

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const idParam = z.object({ id: z.uuid() });
const omitKeys = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, true])) as never;

const ENDPOINT_HIDDEN = ['secret', 'previousSecret'];
const ENDPOINT_READ_ONLY = ['secretRotatedAt', 'failureCount', 'lastTriggeredAt', 'lastSuccessAt'];
/** Signing secrets: `whsec_` and 32 random bytes in standard base64, as Standard Webhooks verifiers decode it. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The endpoint URL must be http(s); event names are short non-empty strings. */
const refineEndpoint = (schema: ZObject): ZObject =>
  schema.extend({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048),
    // Only events that really fire (or `*`): a misspelt type would subscribe to nothing, silently.
    events: z
      .array(z.enum([...EVENT_TYPES, '*'], { error: `one of ${EVENT_TYPES.join(', ')} or *` }))
      .max(100)
      .optional(),
  });
const endpointCreate = refineEndpoint(
  (factory.createInsertSchema(webhookEndpoints) as unknown as ZObject).omit(
    omitKeys(['tenantId', 'id', 'createdAt', 'updatedAt', ...ENDPOINT_HIDDEN, ...ENDPOINT_READ_ONLY]),
  ),
);
const endpointRead = (factory.createSelectSchema(webhookEndpoints) as unknown as ZObject).omit(
  omitKeys(['tenantId', ...ENDPOINT_HIDDEN]),
);
const withSecret = endpointRead.extend({
  secret: z.string().openapi({ description: 'The signing secret: shown in this response only.' }),
});
/** What GET returns for an endpoint (no secrets), which its ETag is computed over. */
const serializeEndpoint = (row: Row): Row => {
  const { tenantId: _t, secret: _s, previousSecret: _p, ...rest } = row;
  return JSON.parse(JSON.stringify(rest)) as Row;
};
const withNewSecret = (c: Context<AppEnv>, row: Row, status: 200 | 201) => {
  const body = serializeEndpoint(row);
  c.header('etag', etagOf(body));
  return c.json({ ...body, secret: row.secret }, status);
};

const summaryQuery = z.object({
  from: z.coerce
    .date()
    .optional()
    .openapi({ description: 'Start (inclusive); default 30 days before `to`.' }),
  to: z.coerce.date().optional().openapi({ description: 'End (exclusive); default now.' }),
});
const MAX_SUMMARY_DAYS = 366;
const DAY_MS = 86_400_000;
const usageFigures = {
  events: z.number().int(),
  tokensInput: z.number().int(),
  tokensOutput: z.number().int(),
  tokensTotal: z.number().int(),
  costMicros: z.number().int(),
};
const summaryResponse = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  data: z.array(z.object({ day: z.string(), model: z.string().nullable(), ...usageFigures })),
  totals: z.object(usageFigures),
});
export function registerOpsRoutes(api: ApiContext): void {
  registerEndpointResource(api);
  registerEndpointCreate(api);
  registerSecretRotation(api);
  registerRecordResources(api);
  registerUsageSummary(api);
  registerWebhookRoutes(api);
}

/** Webhook endpoints, as a resource (created below: the secret is shown once). */
function registerEndpointResource(api: ApiContext): void {
  defineResource(api, {
    name: 'webhook-endpoints',
    component: 'WebhookEndpoint',
    tag: 'Webhooks',
    table: webhookEndpoints,
    // An endpoint URL often carries a token of the receiving service.
    readRole: 'admin',
    writeRole: 'admin',
    hidden: ENDPOINT_HIDDEN,
    readOnly: ENDPOINT_READ_ONLY,
    filters: ['status'],
    example: {
      url: 'https://hooks.acme.example/frontdesk',
      description: 'Ticket sync',
      events: ['conversation.opened', 'escalation.opened'],
    },
    refine: refineEndpoint,
    // Created below: the response carries the generated secret once.
    create: false,
    afterWrite: async (_tx, change) => {
      if (change.after.url !== change.before?.url) await assertPublicEndpoint(api, String(change.after.url));
    },
  });
}

/** POST /webhook-endpoints: the new endpoint with its secret. */
function registerEndpointCreate(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'post',
    path: '/webhook-endpoints',
    collection: true,
    role: 'admin',
    resource: 'webhook-endpoints',
    tag: 'Webhooks',
    operationId: 'createWebhookEndpoint',
    summary: 'Create a webhook endpoint',
    description:
      'The server generates the signing secret (`whsec_…`) and returns it in `secret`: this once only, it is never readable again (rotate it to get a new one). Send an `Idempotency-Key` header to make retries safe.',
    request: { body: json(endpointCreate) },
    responses: { 201: { description: 'Created, with the secret', ...json(withSecret) }, ...writeErrors },
    handler: (c) => {
      requireRole(c, 'admin');
      return withIdempotency(c, api.platform, async () => {
        const input = await jsonBody(c, endpointCreate);
        await assertPublicEndpoint(api, String(input.url));
        const tenantId = c.get('principal').tenantId;
        const secret = generateWebhookSecret();
        const row = await withTenant(db, tenantId, async (tx) => {
          const [made] = await tx
            .insert(webhookEndpoints)
            .values({
              ...(input as object),
              tenantId,
              secret: sealString(api.platform.config.secrets, secret),
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
        return withNewSecret(c, { ...row, secret }, 201);
      });
    },
  });
}

/** POST /webhook-endpoints/:id/rotate-secret. */
function registerSecretRotation(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'post',
    path: '/webhook-endpoints/:id/rotate-secret',
    role: 'admin',
    resource: 'webhook-endpoints',
    tag: 'Webhooks',
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'Rotate the signing secret',
    description:
      'The current secret becomes the previous one (deliveries are signed with both for a grace period) and a new secret is returned in `secret`, this once only. `If-Match` refuses a lost update (412).',
    request: { params: idParam },
    responses: { 200: { description: 'Rotated, with the new secret', ...json(withSecret) }, ...writeErrors },
    handler: async (c) => {
      requireRole(c, 'admin');
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const row = await withTenant(db, c.get('principal').tenantId, async (tx) => {
        const [before] = await tx
          .select()
          .from(webhookEndpoints)
          .where(eq(webhookEndpoints.id, id))
          .for('update');
        if (!before) throw new AppError('not_found', 'no such webhookendpoint');
        if (!ifMatchAllows(c.req.header('if-match'), etagOf(serializeEndpoint(before)))) {
          throw new AppError('precondition_failed', 'the resource changed since you read it: fetch it again');
        }
        const secret = generateWebhookSecret();
        const values = {
          secret: sealString(api.platform.config.secrets, secret),
          previousSecret: before.secret,
          secretRotatedAt: api.platform.clock.now(),
        };
        const [after] = await tx
          .update(webhookEndpoints)
          .set(values)
          .where(eq(webhookEndpoints.id, id))
          .returning();
        await audit(tx, c, {
          action: 'webhook-endpoints.rotate-secret',
          resourceType: 'webhook-endpoints',
          resourceId: id,
          oldValues: serializeEndpoint(before),
          newValues: { secretRotatedAt: values.secretRotatedAt },
        });
        return { ...after!, secret };
      });
      return withNewSecret(c, row, 200);
    },
  });
}

/** Webhook deliveries, the audit log and usage events, read-only. */
function registerRecordResources(api: ApiContext): void {
  defineResource(api, {
    name: 'webhook-deliveries',
    component: 'WebhookDelivery',
    tag: 'Webhooks',
    table: webhookDeliveries,
    readRole: 'admin',
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['endpointId', 'status', 'eventType', 'eventId'],
    example: {
      endpointId: '01950000-0000-7000-8000-000000000004',
      eventType: 'conversation.created',
      eventId: 'evt_01950000000070008000000000000005',
      payload: { type: 'conversation.created', data: { id: '01950000-0000-7000-8000-000000000003' } },
    },
    refs: { endpointId: 'webhook-endpoints' },
  });

  defineResource(api, {
    name: 'audit-log',
    component: 'AuditLogEntry',
    tag: 'Ops',
    table: auditLog,
    readRole: 'admin',
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['resourceType', 'resourceId', 'actorId', 'actorType', 'action', 'accountId', 'requestId'],
    example: {
      actorType: 'api_key',
      actorId: '01950000-0000-7000-8000-000000000006',
      action: 'contacts.update',
      resourceType: 'contacts',
      resourceId: '01950000-0000-7000-8000-000000000007',
      newValues: { email: 'dana@acme.example' },
    },
  });

  defineResource(api, {
    name: 'usage-events',
    component: 'UsageEvent',
    tag: 'Ops',
    table: usageEvents,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['eventType', 'model', 'conversationId', 'agentId', 'userId'],
    example: {
      eventType: 'llm.completion',
      model: 'gpt-4o-mini',
      tokensInput: 812,
      tokensOutput: 164,
      tokensTotal: 976,
      costMicros: 2_200,
    },
  });
}

/** GET /usage/summary: usage totals per day and type. */
function registerUsageSummary(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'get',
    path: '/usage/summary',
    collection: true,
    role: 'viewer',
    tag: 'Ops',
    operationId: 'getUsageSummary',
    summary: 'Tokens and cost per model and day',
    description: `Sums usage events with \`from\` ≤ created_at < \`to\` (at most ${MAX_SUMMARY_DAYS} days), by model and by day in the tenant's time zone. Costs are micro-units of the currency.`,
    request: { query: summaryQuery },
    responses: { 200: { description: 'The summary', ...json(summaryResponse) } },
    handler: async (c) => {
      requireRole(c, 'viewer');
      const q = parseWith(summaryQuery, c.req.query(), 'query');
      const to = q.to ?? api.platform.clock.now();
      const from = q.from ?? new Date(to.getTime() - 30 * DAY_MS);
      if (from >= to)
        throw new AppError('validation_failed', 'the query is not valid', {
          errors: [{ path: 'from', message: 'must be before `to`' }],
        });
      if (to.getTime() - from.getTime() > MAX_SUMMARY_DAYS * DAY_MS) {
        throw new AppError('validation_failed', 'the query is not valid', {
          errors: [{ path: 'to', message: `the range is limited to ${MAX_SUMMARY_DAYS} days` }],
        });
      }
      const tenantId = c.get('principal').tenantId;
      const { timezone, data } = await withTenant(db, tenantId, async (tx) => {
        const [tenant] = await tx
          .select({ timezone: tenants.timezone })
          .from(tenants)
          .where(eq(tenants.id, tenantId));
        const tz = tenant?.timezone ?? 'UTC';
        const found = await rows<Row>(
          tx,
          sql`SELECT to_char((created_at AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS day, model,
                count(*)::float8 AS events,
                coalesce(sum(tokens_input), 0)::float8 AS "tokensInput",
                coalesce(sum(tokens_output), 0)::float8 AS "tokensOutput",
                coalesce(sum(tokens_total), 0)::float8 AS "tokensTotal",
                coalesce(sum(cost_micros), 0)::float8 AS "costMicros"
              FROM usage_events
              WHERE created_at >= ${from.toISOString()}::timestamptz AND created_at < ${to.toISOString()}::timestamptz
              GROUP BY 1, 2
              ORDER BY 1, 2 NULLS LAST`,
        );
        return { timezone: tz, data: found };
      });
      const keys = Object.keys(usageFigures) as (keyof typeof usageFigures)[];
      const figures = (r: Row) => Object.fromEntries(keys.map((k) => [k, Number(r[k] ?? 0)]));
      const entries = data.map((r) => ({
        day: r.day as string,
        model: (r.model as string | null) ?? null,
        ...figures(r),
      }));
      const totals = Object.fromEntries(
        keys.map((k) => [k, data.reduce((n, r) => n + Number(r[k] ?? 0), 0)]),
      );
      return c.json({ from: from.toISOString(), to: to.toISOString(), timezone, data: entries, totals });
    },
  });
}
