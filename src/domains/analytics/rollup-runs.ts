/**
 * The analytics jobs' work: the periodic tick refreshes the metrics of recently active
 * conversations and rolls up the tenant's local yesterday and today; `rebuildDay` redoes one
 * day from scratch (backfills, corrections). Each tenant runs in its own transaction.
 */
import { withTenant } from '../../platform/db/tenant.js';
import type { Platform } from '../../platform/jobs.js';
import { addDays, localDateAt } from '../../platform/zoned-time.js';
import { activeTenants } from '../tenancy/lookup.js';
import { refreshConversationMetrics } from './metrics.js';
import { conversationsStartedOn, rollupDay } from './rollup.js';

/** How far back a tick looks for activity; longer than any gap between ticks. */
export const TICK_LOOKBACK_MS = 48 * 3_600_000;

export interface AnalyticsTickResult {
  tenants: number;
  conversations: number;
  days: number;
}

export async function runAnalyticsTick(platform: Platform): Promise<AnalyticsTickResult> {
  const now = platform.clock.now();
  const since = new Date(now.getTime() - TICK_LOOKBACK_MS);
  const result: AnalyticsTickResult = { tenants: 0, conversations: 0, days: 0 };
  for (const tenant of await activeTenants(platform.db)) {
    const today = localDateAt(now, tenant.timezone);
    await withTenant(platform.db, tenant.id, async (tx) => {
      result.conversations += await refreshConversationMetrics(tx, tenant.id, { since });
      for (const date of [addDays(today, -1), today]) await rollupDay(tx, tenant.id, date, tenant.timezone);
    });
    result.tenants++;
    result.days += 2;
  }
  return result;
}

/** Recomputes one local day of one tenant: its conversations' metrics, then its rollup. */
export async function rebuildDay(platform: Platform, tenantId: string, date: string): Promise<void> {
  const tenant = (await activeTenants(platform.db)).find((t) => t.id === tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} not found or inactive`);
  await withTenant(platform.db, tenantId, async (tx) => {
    const ids = await conversationsStartedOn(tx, date, tenant.timezone);
    await refreshConversationMetrics(tx, tenantId, { conversationIds: ids });
    await rollupDay(tx, tenantId, date, tenant.timezone);
  });
}
