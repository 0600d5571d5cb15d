/** GET /analytics/overview: conversations, messages, escalations and first response time. */
import { sql } from 'drizzle-orm';
import { rows } from '../../../platform/db/database.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { CONVERSATION_STATUSES, MESSAGE_ROLES, SEVERITIES } from '../../conversations/tables.js';

type Row = Record<string, unknown>;
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
/** A zero for every key, overwritten by the grouped counts found. */
const tally = (keys: readonly string[], found: Row[], key: string): Record<string, number> => ({
  ...Object.fromEntries(keys.map((k) => [k, 0])),
  ...Object.fromEntries(found.map((r) => [r[key] as string, Number(r.n)])),
});

export const overviewOperation = operation({
  method: 'get',
  path: '/analytics/overview',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Analytics',
  operationId: 'getAnalyticsOverview',
  summary: 'Conversations, messages, open escalations and first response time at a glance',
  description: 'Computed from the live tables of your tenant (not from the rollups).',
  responses: { 200: { description: 'The overview', schema: overviewResponse } },
  handler: async ({ tx, principal }) => {
    // tenant_id as well as RLS: on Citus each query then runs on the tenant's shard alone.
    const tenant = principal.tenantId;
    const byStatus = await rows<Row>(
      tx,
      sql`SELECT status, count(*)::int AS n FROM conversations WHERE tenant_id = ${tenant} GROUP BY status`,
    );
    const byRole = await rows<Row>(
      tx,
      sql`SELECT role, count(*)::int AS n FROM messages
          WHERE tenant_id = ${tenant} AND created_at > now() - make_interval(days => ${WINDOW_DAYS}) GROUP BY role`,
    );
    const bySeverity = await rows<Row>(
      tx,
      sql`SELECT severity, count(*)::int AS n FROM escalations
          WHERE tenant_id = ${tenant} AND status IN ('open', 'acknowledged') GROUP BY severity`,
    );
    const [first] = await rows<Row>(
      tx,
      sql`WITH firsts AS (
            SELECT conversation_id, min(created_at) AS first_in
              FROM messages WHERE tenant_id = ${tenant} AND role = 'user' GROUP BY conversation_id
          ), replies AS (
            SELECT f.first_in,
                   (SELECT min(r.created_at) FROM messages r
                     WHERE r.tenant_id = ${tenant} AND r.conversation_id = f.conversation_id
                       AND r.role IN ('assistant', 'agent') AND NOT r.is_internal
                       AND r.created_at >= f.first_in) AS first_out
              FROM firsts f
             WHERE f.first_in > now() - make_interval(days => ${WINDOW_DAYS})
          )
          SELECT avg(extract(epoch FROM first_out - first_in))::float8 AS avg, count(first_out)::int AS n
            FROM replies`,
    );
    const avg = first?.avg;
    return {
      windowDays: WINDOW_DAYS,
      conversationsByStatus: tally(CONVERSATION_STATUSES, byStatus, 'status'),
      messagesByRole: tally(MESSAGE_ROLES, byRole, 'role'),
      openEscalationsBySeverity: tally(SEVERITIES, bySeverity, 'severity'),
      avgFirstResponseSeconds: avg === null || avg === undefined ? null : Math.round(Number(avg) * 10) / 10,
      firstResponsesCounted: Number(first?.n ?? 0),
    };
  },
});
