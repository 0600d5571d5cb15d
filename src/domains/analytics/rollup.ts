/**
 * Daily per-tenant figures (daily_metrics), one row per local calendar day in the tenant's
 * time zone, recomputed from conversation_metrics and usage_events: rolling a day up again
 * rewrites the same row with the same values.
 *
 * A day's conversations are those that started in it (the demo data's definition): total,
 * resolved and escalated among them, their visible messages, the average of their average
 * response times and of their satisfaction scores. Tokens and cost are the usage events
 * metered during the day, whatever they belong to (what the tenant was billed for that day).
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { addDays, type LocalDate, zonedInstant } from '../../platform/zoned-time.js';
import { uuidv7 } from '../../schema/columns.js';
import { dailyMetrics, type NewDailyMetrics } from './tables.js';

type DayFigures = Omit<NewDailyMetrics, 'tenantId' | 'id' | 'date'>;

/** The instants a local day spans: [start, end), 23 or 25 hours on daylight-saving days. */
export function dayBounds(date: LocalDate, timeZone: string): { start: Date; end: Date } {
  return {
    start: zonedInstant(date, '00:00', timeZone),
    end: zonedInstant(addDays(date, 1), '00:00', timeZone),
  };
}

/**
 * Conversations started during a local day (for refreshing their metrics before a rollup).
 */
export async function conversationsStartedOn(tx: Tx, date: LocalDate, timeZone: string): Promise<string[]> {
  const { start, end } = dayBounds(date, timeZone);
  const list = await rows<{ id: string }>(
    tx,
    sql`SELECT id FROM conversations WHERE started_at >= ${start} AND started_at < ${end}`,
  );
  return list.map((r) => r.id);
}

/** Recomputes and stores one day's daily_metrics row; returns what was stored. */
export async function rollupDay(
  tx: Tx,
  tenantId: string,
  date: LocalDate,
  timeZone: string,
): Promise<DayFigures> {
  const { start, end } = dayBounds(date, timeZone);
  const [figures] = await rows<DayFigures>(
    tx,
    sql`WITH day AS (
          SELECT cm.* FROM conversations c
            JOIN conversation_metrics cm ON cm.tenant_id = c.tenant_id AND cm.conversation_id = c.id
           WHERE c.started_at >= ${start} AND c.started_at < ${end}),
        usage AS (
          SELECT coalesce(sum(tokens_total), 0)::bigint AS tokens, coalesce(sum(cost_micros), 0)::bigint AS cost
            FROM usage_events WHERE created_at >= ${start} AND created_at < ${end})
        SELECT (SELECT count(*) FROM day)::int AS "conversationsTotal",
               (SELECT count(*) FROM day WHERE resolution_seconds IS NOT NULL)::int AS "conversationsResolved",
               (SELECT count(*) FROM day WHERE escalated)::int AS "conversationsEscalated",
               (SELECT coalesce(sum(messages_count), 0) FROM day)::int AS "messagesTotal",
               (SELECT round(avg(response_time_avg_seconds)) FROM day)::int AS "avgResponseSeconds",
               (SELECT round(avg(satisfaction_score), 2) FROM day)::float8 AS "avgSatisfaction",
               usage.tokens::float8 AS "tokensTotal", usage.cost::float8 AS "costMicros"
          FROM usage`,
  );
  const values = { ...figures! };
  await tx
    .insert(dailyMetrics)
    .values({ ...values, tenantId, id: uuidv7(), date })
    .onConflictDoUpdate({ target: [dailyMetrics.tenantId, dailyMetrics.date], set: values });
  return values;
}
