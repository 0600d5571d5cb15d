/**
 * Figures per prompt version, so a tenant can tell whether a new prompt does better: answers
 * sent, drafts and what humans did with them, hand-offs and escalations decided while it was
 * live, model calls with their average confidence, tokens and cost.
 *
 * Attribution: AI messages carry `prompt_version_id`; drafts carry it in
 * `approvals.metadata.provenance`; the responder's decision on an inbound message (escalated,
 * handed off…) carries it in `messages.metadata.responder.promptVersionId`; model calls in
 * `usage_events.event_data.promptVersionId`.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { z } from '../../platform/zod.js';

export const PromptVersionStats = z
  .object({
    promptVersionId: z.uuid(),
    agentId: z.uuid(),
    version: z.int(),
    isPublished: z.boolean(),
    answersSent: z.int(),
    drafts: z.int(),
    approvalsApproved: z.int(),
    approvalsEdited: z.int(),
    approvalsRejected: z.int(),
    approvalsPending: z.int(),
    handoffs: z.int(),
    escalations: z.int(),
    modelCalls: z.int(),
    averageConfidence: z.number().nullable(),
    tokensTotal: z.int(),
    costMicros: z.int(),
  })
  .openapi('PromptVersionStats');
export type PromptVersionStats = z.infer<typeof PromptVersionStats>;

type Row = Record<string, string | number | boolean | null>;

/**
 * RLS alone would isolate; every table is also joined on `tenant_id` and the tenant is named, so
 * Citus runs the whole query on the tenant's shard (a correlated subquery on another column
 * cannot be pushed down to the shards).
 */
export async function promptVersionStats(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<PromptVersionStats | null> {
  const [row] = await rows<Row>(
    tx,
    sql`SELECT v.id, v.agent_id, v.version, v.is_published, s.sent, a.drafts, a.approved, a.edited, a.rejected,
               a.pending, d.handoffs, d.escalations, u.calls, u.confidence, u.tokens, u.cost
          FROM prompt_versions v
          LEFT JOIN LATERAL (
            SELECT count(*)::int AS sent FROM messages m
             WHERE m.tenant_id = v.tenant_id AND m.prompt_version_id = v.id AND m.role = 'assistant'
          ) s ON true
          LEFT JOIN LATERAL (
            SELECT count(*)::int AS drafts,
                   count(*) FILTER (WHERE x.status = 'approved')::int AS approved,
                   count(*) FILTER (WHERE x.status = 'edited')::int AS edited,
                   count(*) FILTER (WHERE x.status = 'rejected')::int AS rejected,
                   count(*) FILTER (WHERE x.status = 'pending')::int AS pending
              FROM approvals x
             WHERE x.tenant_id = v.tenant_id AND x.metadata->'provenance'->>'promptVersionId' = v.id::text
          ) a ON true
          LEFT JOIN LATERAL (
            SELECT count(*) FILTER (WHERE m.metadata->'responder'->>'kind' = 'handed_off')::int AS handoffs,
                   count(*) FILTER (WHERE m.metadata->'responder'->>'kind' = 'escalated')::int AS escalations
              FROM messages m
             WHERE m.tenant_id = v.tenant_id AND m.role = 'user'
               AND m.metadata->'responder'->>'promptVersionId' = v.id::text
          ) d ON true
          LEFT JOIN LATERAL (
            SELECT count(*)::int AS calls, avg((e.event_data->>'confidence')::numeric)::float8 AS confidence,
                   coalesce(sum(e.tokens_total), 0)::bigint AS tokens, coalesce(sum(e.cost_micros), 0)::bigint AS cost
              FROM usage_events e
             WHERE e.tenant_id = v.tenant_id AND e.event_type = 'llm.completion'
               AND e.event_data->>'promptVersionId' = v.id::text
          ) u ON true
         WHERE v.tenant_id = ${tenantId} AND v.id = ${id}`,
  );
  if (!row) return null;
  return {
    promptVersionId: row.id as string,
    agentId: row.agent_id as string,
    version: Number(row.version),
    isPublished: Boolean(row.is_published),
    answersSent: Number(row.sent),
    drafts: Number(row.drafts),
    approvalsApproved: Number(row.approved),
    approvalsEdited: Number(row.edited),
    approvalsRejected: Number(row.rejected),
    approvalsPending: Number(row.pending),
    handoffs: Number(row.handoffs),
    escalations: Number(row.escalations),
    modelCalls: Number(row.calls),
    averageConfidence: row.confidence === null ? null : Math.round(Number(row.confidence) * 1000) / 1000,
    tokensTotal: Number(row.tokens),
    costMicros: Number(row.cost),
  };
}
