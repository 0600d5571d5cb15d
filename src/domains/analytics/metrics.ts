/**
 * Per-conversation figures (conversation_metrics), recomputed from the conversation's messages
 * and escalations: every run overwrites the row with what the data says now, so running it
 * again changes nothing and a late message or escalation is picked up by the next run.
 *
 * Definitions (the same as the demo data's, src/seed/rollups.ts):
 * - counts are of messages that reach the channel (not internal notes); `ai` = role assistant,
 *   `human` = role agent, `contact` = role user;
 * - a response is an AI or human message whose previous visible message is the contact's;
 *   first response and the average are over those gaps, in seconds;
 * - resolution = resolved_at − started_at; duration = last message − first message;
 * - resolution type, once resolved or closed: `human` if a team member wrote, else `ai` if the
 *   AI did, else `abandoned`; archived without that is `abandoned`;
 * - satisfaction = `metadata.satisfaction_score` (1–5) when the conversation carries one; else
 *   whatever score the row already holds (written by whoever collected it) is kept.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { uuidv7 } from '../../schema/columns.js';
import { conversationMetrics, type NewConversationMetrics } from './tables.js';

type Computed = Omit<NewConversationMetrics, 'tenantId' | 'id'>;

/** Which conversations to recompute: all with activity since an instant, or a given list. */
export type MetricsScope = { since: Date } | { conversationIds: string[] };

function scopeFilter(scope: MetricsScope) {
  if ('conversationIds' in scope) {
    if (scope.conversationIds.length === 0) return sql`false`;
    return sql`c.id IN (${sql.join(
      scope.conversationIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`;
  }
  const since = scope.since;
  // Activity = anything that changes a figure: the conversation row, a message, an escalation,
  // or no metrics row yet.
  return sql`(c.updated_at >= ${since} OR c.started_at >= ${since}
           OR coalesce(c.last_message_at, c.started_at) >= ${since}
           OR EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = c.tenant_id
                       AND m.conversation_id = c.id AND m.created_at >= ${since})
           OR EXISTS (SELECT 1 FROM escalations e WHERE e.tenant_id = c.tenant_id
                       AND e.conversation_id = c.id AND e.created_at >= ${since})
           OR NOT EXISTS (SELECT 1 FROM conversation_metrics cm WHERE cm.tenant_id = c.tenant_id
                       AND cm.conversation_id = c.id))`;
}

/** (The tenant is named in the query as well as enforced by RLS: Citus then plans it for one shard.) */
function computeMetrics(tx: Tx, tenantId: string, scope: MetricsScope): Promise<Computed[]> {
  return rows<Computed>(
    tx,
    sql`WITH scoped AS (
          SELECT c.* FROM conversations c WHERE c.tenant_id = ${tenantId}::uuid AND ${scopeFilter(scope)}),
        visible AS (
          SELECT m.conversation_id, m.role, m.created_at,
                 lag(m.role) OVER w AS prev_role, lag(m.created_at) OVER w AS prev_at
            FROM messages m JOIN scoped c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
           WHERE m.tenant_id = ${tenantId}::uuid AND NOT m.is_internal
          WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.created_at, m.id)),
        per AS (
          SELECT conversation_id,
                 count(*)::int AS messages,
                 (count(*) FILTER (WHERE role = 'assistant'))::int AS ai,
                 (count(*) FILTER (WHERE role = 'agent'))::int AS human,
                 (count(*) FILTER (WHERE role = 'user'))::int AS contact,
                 min(created_at) AS first_at, max(created_at) AS last_at,
                 (array_agg(extract(epoch FROM created_at - prev_at) ORDER BY created_at)
                    FILTER (WHERE role IN ('assistant', 'agent') AND prev_role = 'user'))[1] AS first_response,
                 avg(extract(epoch FROM created_at - prev_at))
                    FILTER (WHERE role IN ('assistant', 'agent') AND prev_role = 'user') AS avg_response
            FROM visible GROUP BY conversation_id)
        SELECT c.id AS "conversationId", c.agent_id AS "agentId",
               CASE WHEN c.status IN ('resolved', 'closed') THEN
                      CASE WHEN coalesce(p.human, 0) > 0 THEN 'human'
                           WHEN coalesce(p.ai, 0) > 0 THEN 'ai' ELSE 'abandoned' END
                    WHEN c.status = 'archived' THEN 'abandoned' END AS "resolutionType",
               coalesce(p.messages, 0) AS "messagesCount", coalesce(p.ai, 0) AS "aiMessagesCount",
               coalesce(p.human, 0) AS "humanMessagesCount", coalesce(p.contact, 0) AS "contactMessagesCount",
               round(p.first_response)::int AS "firstResponseSeconds",
               round(p.avg_response)::int AS "responseTimeAvgSeconds",
               CASE WHEN c.resolved_at IS NOT NULL
                    THEN greatest(0, round(extract(epoch FROM c.resolved_at - c.started_at)))::int
               END AS "resolutionSeconds",
               coalesce(round(extract(epoch FROM p.last_at - p.first_at)), 0)::int AS "durationSeconds",
               CASE WHEN c.metadata->>'satisfaction_score' ~ '^[1-5]$'
                    THEN (c.metadata->>'satisfaction_score')::int END AS "satisfactionScore",
               (x.conversation_id IS NOT NULL) AS escalated
          FROM scoped c LEFT JOIN per p ON p.conversation_id = c.id
          -- A join, not a correlated EXISTS: Citus plans no correlated subquery over a CTE.
          LEFT JOIN (SELECT DISTINCT e.conversation_id FROM escalations e
                      WHERE e.tenant_id = ${tenantId}::uuid) x ON x.conversation_id = c.id
         ORDER BY c.id`,
  );
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);
const BATCH = 500;

/**
 * Recomputes conversation_metrics for the conversations in scope (inside the tenant's
 * transaction) and returns how many rows were written.
 */
export async function refreshConversationMetrics(
  tx: Tx,
  tenantId: string,
  scope: MetricsScope,
): Promise<number> {
  const computed = await computeMetrics(tx, tenantId, scope);
  for (let i = 0; i < computed.length; i += BATCH) {
    await tx
      .insert(conversationMetrics)
      .values(computed.slice(i, i + BATCH).map((m) => ({ ...m, tenantId, id: uuidv7() })))
      .onConflictDoUpdate({
        target: [conversationMetrics.tenantId, conversationMetrics.conversationId],
        set: {
          agentId: excluded('agent_id'),
          resolutionType: excluded('resolution_type'),
          messagesCount: excluded('messages_count'),
          aiMessagesCount: excluded('ai_messages_count'),
          humanMessagesCount: excluded('human_messages_count'),
          contactMessagesCount: excluded('contact_messages_count'),
          firstResponseSeconds: excluded('first_response_seconds'),
          responseTimeAvgSeconds: excluded('response_time_avg_seconds'),
          resolutionSeconds: excluded('resolution_seconds'),
          durationSeconds: excluded('duration_seconds'),
          // A score recorded elsewhere (a survey, the demo data) stays unless the conversation has one.
          satisfactionScore: sql`coalesce(excluded.satisfaction_score, ${conversationMetrics.satisfactionScore})`,
          escalated: excluded('escalated'),
        },
      });
  }
  return computed.length;
}
