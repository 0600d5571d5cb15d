/**
 * A tenant's usage against its plan, per calendar month in the tenant's time zone (a "period",
 * `YYYY-MM`). Read inside the tenant's transaction (RLS applies), so the platform view is the
 * same function run once per tenant.
 *
 * Where each figure comes from (docs/plans.md):
 * - monthlyConversations: the quota counter of the month (conversations created; a deleted one
 *   stays counted), kept by the same trigger that enforces the limit;
 * - monthlyTokens: the sum of `usage_events.tokens_total` stamped in the month (what each model
 *   call reported), the figure the responder's budget checks;
 * - agents, seats (members + pending invitations), knowledgeSources: live counts, reported for
 *   the current period only (they have no history);
 * - daily: the analytics rollups (`daily_metrics`) of the month's days.
 */
import { eq, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { plans, tenants } from '../../schema/tenants.js';
import { quotaCounters } from './tables.js';

export const LIMIT_NAMES = [
  'agents',
  'seats',
  'knowledgeSources',
  'monthlyConversations',
  'monthlyTokens',
  'requestsPerMinute',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The period (`YYYY-MM`) containing `at` in time zone `tz`. */
export function periodOf(tz: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}`;
}

export interface LimitUsage {
  /** The plan's limit; null when the plan sets none (unlimited). */
  limit: number | null;
  /** Use in the period; null where it is not metered (requestsPerMinute, past periods of live counts). */
  used: number | null;
}

export interface TenantUsage {
  tenantId: string;
  slug: string;
  plan: string | null;
  subscriptionStatus: string;
  trialEndsAt: string | null;
  period: { id: string; start: string; end: string; timezone: string; current: boolean };
  limits: Record<LimitName, LimitUsage>;
  daily: Array<{ date: string; conversations: number; messages: number; tokens: number; costMicros: number }>;
}

/** The period's bounds as instants: tenant-local midnight of the 1st, to that of the next month. */
export async function bounds(tx: Tx, tz: string, period: string): Promise<{ start: Date; end: Date }> {
  const [b] = await rows<{ start: string; end: string }>(
    tx,
    sql`SELECT ((${period} || '-01')::date::timestamp AT TIME ZONE ${tz}) AS start,
               (((${period} || '-01')::date + interval '1 month')::timestamp AT TIME ZONE ${tz}) AS "end"`,
  );
  return { start: new Date(b!.start), end: new Date(b!.end) };
}

/** Monthly tokens used by the tenant of `tx` between `start` and `end`. */
export async function tokensUsed(tx: Tx, start: Date, end: Date): Promise<number> {
  const [r] = await rows<{ n: string | number }>(
    tx,
    sql`SELECT coalesce(sum(tokens_total), 0)::bigint AS n FROM usage_events
         WHERE created_at >= ${start.toISOString()}::timestamptz AND created_at < ${end.toISOString()}::timestamptz`,
  );
  return Number(r!.n);
}

/** The tenant row and its plan's limits, from inside its transaction. */
export async function tenantPlan(tx: Tx) {
  const [row] = await tx
    .select({ tenant: tenants, planSlug: plans.slug, limits: plans.limits })
    .from(tenants)
    .leftJoin(plans, eq(plans.id, tenants.planId));
  return row!;
}

/**
 * The usage of the tenant of `tx` in `period` (default: the one containing `now`).
 * @example await withTenant(db, id, (tx) => usageOf(tx, clock.now(), '2026-11'))
 */
export async function usageOf(tx: Tx, now: Date, period?: string): Promise<TenantUsage> {
  const { tenant, planSlug, limits } = await tenantPlan(tx);
  const tz = tenant.timezone;
  const currentPeriod = periodOf(tz, now);
  const id = period ?? currentPeriod;
  const current = id === currentPeriod;
  const { start, end } = await bounds(tx, tz, id);
  const [live] = current
    ? await rows<{ agents: number; seats: number; sources: number }>(
        tx,
        sql`SELECT (SELECT count(*) FROM agents)::int AS agents,
                   ((SELECT count(*) FROM memberships)
                    + (SELECT count(*) FROM invitations WHERE status = 'pending' AND expires_at > now()))::int AS seats,
                   (SELECT count(*) FROM knowledge_sources)::int AS sources`,
      )
    : [undefined];
  const [conv] = await tx
    .select({ used: quotaCounters.used })
    .from(quotaCounters)
    .where(sql`${quotaCounters.resource} = 'monthlyConversations' AND ${quotaCounters.period} = ${id}`);
  const daily = await rows<TenantUsage['daily'][number]>(
    tx,
    sql`SELECT to_char(date, 'YYYY-MM-DD') AS date, conversations_total AS conversations,
               messages_total AS messages, tokens_total::float8 AS tokens, cost_micros::float8 AS "costMicros"
          FROM daily_metrics
         WHERE date >= (${id} || '-01')::date AND date < (${id} || '-01')::date + interval '1 month'
         ORDER BY date`,
  );
  const cap = (name: LimitName) => (limits?.[name] === undefined ? null : Number(limits[name]));
  const used: Record<LimitName, number | null> = {
    agents: live?.agents ?? null,
    seats: live?.seats ?? null,
    knowledgeSources: live?.sources ?? null,
    monthlyConversations: conv?.used ?? 0,
    monthlyTokens: await tokensUsed(tx, start, end),
    requestsPerMinute: null,
  };
  return {
    tenantId: tenant.id,
    slug: tenant.slug,
    plan: planSlug,
    subscriptionStatus: tenant.subscriptionStatus,
    trialEndsAt: tenant.trialEndsAt?.toISOString() ?? null,
    period: { id, start: start.toISOString(), end: end.toISOString(), timezone: tz, current },
    limits: Object.fromEntries(LIMIT_NAMES.map((n) => [n, { limit: cap(n), used: used[n] }])) as Record<
      LimitName,
      LimitUsage
    >,
    daily: daily.map((d) => ({
      date: d.date,
      conversations: Number(d.conversations),
      messages: Number(d.messages),
      tokens: Number(d.tokens),
      costMicros: Number(d.costMicros),
    })),
  };
}

const CSV_COLUMNS = [
  'tenantId',
  'tenantSlug',
  'plan',
  'subscriptionStatus',
  'period',
  'periodStart',
  'periodEnd',
  'metric',
  'limit',
  'used',
] as const;

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One row per tenant, period and metric: what a billing system ingests. */
export function exportRows(usages: TenantUsage[]): Array<Record<(typeof CSV_COLUMNS)[number], unknown>> {
  return usages.flatMap((u) =>
    LIMIT_NAMES.filter((n) => n !== 'requestsPerMinute').map((metric) => ({
      tenantId: u.tenantId,
      tenantSlug: u.slug,
      plan: u.plan,
      subscriptionStatus: u.subscriptionStatus,
      period: u.period.id,
      periodStart: u.period.start,
      periodEnd: u.period.end,
      metric,
      limit: u.limits[metric].limit,
      used: u.limits[metric].used,
    })),
  );
}

/** RFC 4180 CSV (CRLF line ends, a header row). */
export function toCsv(usages: TenantUsage[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of exportRows(usages)) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
