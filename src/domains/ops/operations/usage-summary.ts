/** GET /usage/summary: tokens and cost per model and day, in the tenant's time zone. */
import { eq, sql } from 'drizzle-orm';
import { rows } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { tenants } from '../../../schema/tenants.js';
import type { Row } from './kit.js';

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
const keys = Object.keys(usageFigures) as (keyof typeof usageFigures)[];

const invalid = (path: string, message: string) =>
  new AppError('validation_failed', 'the query is not valid', { errors: [{ path, message }] });

export const usageSummaryOperation = operation({
  method: 'get',
  path: '/usage/summary',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Ops',
  operationId: 'getUsageSummary',
  summary: 'Tokens and cost per model and day',
  description: `Sums usage events with \`from\` ≤ created_at < \`to\` (at most ${MAX_SUMMARY_DAYS} days), by model and by day in the tenant's time zone. Costs are micro-units of the currency.`,
  request: { query: summaryQuery },
  responses: { 200: { description: 'The summary', schema: summaryResponse } },
  handler: async ({ tx, query, principal, clock }) => {
    const to = query.to ?? clock.now();
    const from = query.from ?? new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw invalid('from', 'must be before `to`');
    if (to.getTime() - from.getTime() > MAX_SUMMARY_DAYS * DAY_MS)
      throw invalid('to', `the range is limited to ${MAX_SUMMARY_DAYS} days`);
    const [tenant] = await tx
      .select({ timezone: tenants.timezone })
      .from(tenants)
      .where(eq(tenants.id, principal.tenantId));
    const timezone = tenant?.timezone ?? 'UTC';
    const data = await rows<Row>(
      tx,
      sql`SELECT to_char((created_at AT TIME ZONE ${timezone})::date, 'YYYY-MM-DD') AS day, model,
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
    const figures = (r: Row) => Object.fromEntries(keys.map((k) => [k, Number(r[k] ?? 0)]));
    const entries = data.map((r) => ({
      day: r.day as string,
      model: (r.model as string | null) ?? null,
      ...figures(r),
    }));
    const totals = Object.fromEntries(keys.map((k) => [k, data.reduce((n, r) => n + Number(r[k] ?? 0), 0)]));
    return { from: from.toISOString(), to: to.toISOString(), timezone, data: entries, totals };
  },
});
