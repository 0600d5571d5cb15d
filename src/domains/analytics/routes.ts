/**
 * Analytics over HTTP: the rollup tables (read-only), a tenant overview computed from the live
 * tables, and account health (the `account_health` view and `account_health_score()`).
 */
import { eq, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import { requireRole } from '../../platform/http/principal.js';
import { defineResource } from '../../platform/http/resource.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { CONVERSATION_STATUSES, MESSAGE_ROLES, SEVERITIES } from '../conversations/tables.js';
import { accounts } from '../crm/tables.js';
import { conversationMetrics, dailyMetrics } from './tables.js';

type Row = Record<string, unknown>;

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const idParam = z.object({ id: z.uuid() });
const WINDOW_DAYS = 30;

const counts = <T extends readonly string[]>(keys: T) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<T[number], z.ZodNumber>);
const overviewResponse = z.object({
  windowDays: z.number().int(),
  conversationsByStatus: counts(CONVERSATION_STATUSES),
  messagesByRole: counts(MESSAGE_ROLES).openapi({ description: `Messages of the last ${WINDOW_DAYS} days.` }),
  openEscalationsBySeverity: counts(SEVERITIES).openapi({
    description: 'Escalations not yet resolved or dismissed (open or acknowledged).',
  }),
  avgFirstResponseSeconds: z
    .number()
    .nullable()
    .openapi({
      description: `From a contact's first message to the first reply (AI or team, not internal notes), over conversations whose first contact message is in the last ${WINDOW_DAYS} days; null without any.`,
    }),
  firstResponsesCounted: z.number().int(),
});
const healthResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    arrCents: z.number().nullable(),
    healthScore: z.number().int().nullable(),
    stage: z.string(),
    relationshipStatus: z.string(),
    stakeholderCount: z.number().int(),
    meetingCount: z.number().int(),
    concernCount: z.number().int(),
    lastMeeting: z.string().nullable(),
    lastInteraction: z.string().nullable(),
  })
  .openapi('AccountHealth');

/** A zero for every key, overwritten by the grouped counts found. */
const tally = (keys: readonly string[], found: Row[], key: string): Record<string, number> => ({
  ...Object.fromEntries(keys.map((k) => [k, 0])),
  ...Object.fromEntries(found.map((r) => [r[key] as string, Number(r.n)])),
});

async function healthOf(tx: Tx, id: string): Promise<Row | undefined> {
  const [row] = await rows<Row>(
    tx,
    sql`SELECT id, name, arr_cents::float8 AS "arrCents", health_score AS "healthScore", stage,
          relationship_status AS "relationshipStatus", stakeholder_count::int AS "stakeholderCount",
          meeting_count::int AS "meetingCount", concern_count::int AS "concernCount",
          last_meeting AS "lastMeeting", last_interaction AS "lastInteraction"
        FROM account_health WHERE id = ${id}::uuid`,
  );
  if (!row) return undefined;
  // Raw results carry timestamps as Date or as text depending on the driver: answer ISO 8601.
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return { ...row, lastMeeting: iso(row.lastMeeting), lastInteraction: iso(row.lastInteraction) };
}
export function registerAnalyticsRoutes(api: ApiContext): void {
  registerRollupResources(api);
  registerOverview(api);
  registerAccountHealth(api);
  registerAccountHealthRefresh(api);
}

/** The daily rollups, as read-only resources. */
function registerRollupResources(api: ApiContext): void {
  defineResource(api, {
    name: 'conversation-metrics',
    component: 'ConversationMetrics',
    tag: 'Analytics',
    table: conversationMetrics,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['conversationId', 'agentId', 'resolutionType', 'escalated'],
    example: {
      conversationId: '01950000-0000-7000-8000-000000000003',
      resolutionType: 'ai',
      messagesCount: 6,
      aiMessagesCount: 3,
      contactMessagesCount: 3,
      firstResponseSeconds: 4,
      satisfactionScore: 5,
    },
    refs: { conversationId: 'conversations' },
  });

  defineResource(api, {
    name: 'daily-metrics',
    component: 'DailyMetrics',
    tag: 'Analytics',
    table: dailyMetrics,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['date'],
    example: {
      date: '2026-03-02',
      conversationsTotal: 42,
      conversationsResolved: 37,
      conversationsEscalated: 3,
      messagesTotal: 318,
      avgResponseSeconds: 21,
      tokensTotal: 412_000,
      costMicros: 1_250_000,
    },
  });
}

/** GET /analytics/overview. */
function registerOverview(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'get',
    path: '/analytics/overview',
    collection: true,
    role: 'viewer',
    tag: 'Analytics',
    operationId: 'getAnalyticsOverview',
    summary: 'Conversations, messages, open escalations and first response time at a glance',
    description: 'Computed from the live tables of your tenant (not from the rollups).',
    responses: { 200: { description: 'The overview', ...json(overviewResponse) } },
    handler: async (c) => {
      requireRole(c, 'viewer');
      const result = await withTenant(db, c.get('principal').tenantId, async (tx) => {
        const byStatus = await rows<Row>(
          tx,
          sql`SELECT status, count(*)::int AS n FROM conversations GROUP BY status`,
        );
        const byRole = await rows<Row>(
          tx,
          sql`SELECT role, count(*)::int AS n FROM messages
              WHERE created_at > now() - make_interval(days => ${WINDOW_DAYS}) GROUP BY role`,
        );
        const bySeverity = await rows<Row>(
          tx,
          sql`SELECT severity, count(*)::int AS n FROM escalations
              WHERE status IN ('open', 'acknowledged') GROUP BY severity`,
        );
        const [first] = await rows<Row>(
          tx,
          sql`WITH firsts AS (
                SELECT conversation_id, min(created_at) AS first_in
                  FROM messages WHERE role = 'user' GROUP BY conversation_id
              ), replies AS (
                SELECT f.first_in,
                       (SELECT min(r.created_at) FROM messages r
                         WHERE r.conversation_id = f.conversation_id
                           AND r.role IN ('assistant', 'agent') AND NOT r.is_internal
                           AND r.created_at >= f.first_in) AS first_out
                  FROM firsts f
                 WHERE f.first_in > now() - make_interval(days => ${WINDOW_DAYS})
              )
              SELECT avg(extract(epoch FROM first_out - first_in))::float8 AS avg, count(first_out)::int AS n
                FROM replies`,
        );
        return { byStatus, byRole, bySeverity, first };
      });
      const avg = result.first?.avg;
      return c.json({
        windowDays: WINDOW_DAYS,
        conversationsByStatus: tally(CONVERSATION_STATUSES, result.byStatus, 'status'),
        messagesByRole: tally(MESSAGE_ROLES, result.byRole, 'role'),
        openEscalationsBySeverity: tally(SEVERITIES, result.bySeverity, 'severity'),
        avgFirstResponseSeconds: avg === null || avg === undefined ? null : Math.round(Number(avg) * 10) / 10,
        firstResponsesCounted: Number(result.first?.n ?? 0),
      });
    },
  });
}

/** GET /accounts/:id/health: an account's health. */
function registerAccountHealth(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'get',
    path: '/accounts/:id/health',
    role: 'viewer',
    resource: 'accounts',
    tag: 'CRM',
    operationId: 'getAccountHealth',
    summary: 'An account’s health: score, stakeholders, meetings, concerns, last contact',
    request: { params: idParam },
    responses: { 200: { description: 'The account’s health', ...json(healthResponse) } },
    handler: async (c) => {
      requireRole(c, 'viewer');
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const row = await withTenant(db, c.get('principal').tenantId, (tx) => healthOf(tx, id));
      if (!row) throw new AppError('not_found', 'no such account');
      return c.json(row);
    },
  });
}

/** POST /accounts/:id/health/refresh: recompute an account's health score. */
function registerAccountHealthRefresh(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'post',
    path: '/accounts/:id/health/refresh',
    role: 'agent',
    resource: 'accounts',
    tag: 'CRM',
    operationId: 'refreshAccountHealth',
    summary: 'Recompute and store an account’s health score',
    description: `Score = (engagement + adoption) / 2, where engagement is 10 per message in the account's conversations in the last 30 days (at most 100) and adoption the average training progress.`,
    request: { params: idParam },
    responses: { 200: { description: 'The account’s health after the refresh', ...json(healthResponse) } },
    handler: async (c) => {
      requireRole(c, 'agent');
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const row = await withTenant(db, c.get('principal').tenantId, async (tx) => {
        const [before] = await tx
          .select({ healthScore: accounts.healthScore })
          .from(accounts)
          .where(eq(accounts.id, id))
          .for('update');
        if (!before) throw new AppError('not_found', 'no such account');
        const [scored] = await rows<{ score: number }>(
          tx,
          sql`SELECT account_health_score(${id}::uuid) AS score`,
        );
        await audit(tx, c, {
          action: 'accounts.health-refresh',
          resourceType: 'accounts',
          resourceId: id,
          oldValues: before,
          newValues: { healthScore: scored?.score ?? null },
        });
        return healthOf(tx, id);
      });
      return c.json(row!);
    },
  });
}
