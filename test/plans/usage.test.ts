/**
 * GET /v1/usage for past periods (bounds in the tenant's time zone, monthly figures from their
 * records, live counts only for the current period), the export, and bad input: a clear 422.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usageEvents } from '../../src/domains/ops/tables.js';
import { quotaCounters } from '../../src/domains/plans/tables.js';
import { ManualClock } from '../../src/platform/clock.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { useTestApi } from '../helpers/api.js';
import { tenantOnPlan } from './helpers.js';

const clock = new ManualClock('2026-03-15T12:00:00Z');
const api = useTestApi({ clock });
let tenant: Awaited<ReturnType<typeof tenantOnPlan>>;
let other: Awaited<ReturnType<typeof tenantOnPlan>>;

beforeAll(async () => {
  tenant = await tenantOnPlan(
    api.db,
    { agents: 4, monthlyConversations: 50, monthlyTokens: 1000 },
    { timezone: 'Asia/Tokyo' },
  );
  other = await tenantOnPlan(api.db, { monthlyTokens: 5 });
  await withTenant(api.db, tenant.id, async (tx) => {
    await tx
      .insert(quotaCounters)
      .values({ tenantId: tenant.id, resource: 'monthlyConversations', period: '2026-01', used: 7 });
    await tx.insert(usageEvents).values([
      // 1 January 08:00 in Tokyo is still 31 December in UTC: January's.
      {
        tenantId: tenant.id,
        eventType: 'llm.completion',
        tokensTotal: 300,
        createdAt: new Date('2025-12-31T23:00:00Z'),
      },
      {
        tenantId: tenant.id,
        eventType: 'llm.completion',
        tokensTotal: 40,
        createdAt: new Date('2026-01-31T16:00:00Z'),
      },
    ]);
  });
  await withTenant(api.db, other.id, (tx) =>
    tx.insert(usageEvents).values({
      tenantId: other.id,
      eventType: 'llm.completion',
      tokensTotal: 999,
      createdAt: new Date('2026-01-10T00:00:00Z'),
    }),
  );
});

type UsageBody = {
  type?: string;
  period: Record<string, unknown>;
  limits: Record<string, { limit: number | null; used: number | null }>;
};
const usageOf = async (query: string, token = tenant.keys.viewer) => {
  const res = await api.fetch(`/v1/usage${query}`, { token });
  return { status: res.status, body: (await res.json()) as UsageBody };
};

describe('GET /v1/usage', () => {
  it('a past period: its bounds in the tenant’s time zone, its monthly figures, no live counts', async () => {
    const { status, body } = await usageOf('?period=2026-01');
    expect(status).toBe(200);
    expect(body.period).toEqual({
      id: '2026-01',
      start: '2025-12-31T15:00:00.000Z',
      end: '2026-01-31T15:00:00.000Z',
      timezone: 'Asia/Tokyo',
      current: false,
    });
    // The 16:00 UTC event of 31 January is 1 February in Tokyo: not January's.
    expect(body.limits.monthlyTokens).toEqual({ limit: 1000, used: 300 });
    expect(body.limits.monthlyConversations).toEqual({ limit: 50, used: 7 });
    expect(body.limits.agents).toEqual({ limit: 4, used: null });
    expect(body.limits.requestsPerMinute).toEqual({ limit: null, used: null });
  });

  it('the current period (the platform clock’s month) counts live rows; another tenant’s use never shows', async () => {
    const { body } = await usageOf('');
    expect(body.period).toMatchObject({ id: '2026-03', current: true });
    expect(body.limits.agents).toEqual({ limit: 4, used: 0 });
    expect(body.limits.monthlyTokens).toEqual({ limit: 1000, used: 0 });
    const feb = await usageOf('?period=2026-02');
    expect(feb.body.limits.monthlyTokens!.used).toBe(40);
  });

  it('exports one row per metric as JSON', async () => {
    const res = await api.fetch('/v1/usage/export?period=2026-01', { token: tenant.keys.viewer });
    const { data } = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(data.map((r) => r.metric)).toEqual([
      'agents',
      'seats',
      'knowledgeSources',
      'monthlyConversations',
      'monthlyTokens',
    ]);
    expect(data.find((r) => r.metric === 'monthlyTokens')).toMatchObject({
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      plan: tenant.plan,
      period: '2026-01',
      periodStart: '2025-12-31T15:00:00.000Z',
      limit: 1000,
      used: 300,
    });
  });

  it('refuses a malformed period or format with 422, and the platform view without a platform admin', async () => {
    for (const q of ['?period=2026-13', '?period=26-01', '?period=2026-1']) {
      const { status, body } = await usageOf(q);
      expect(status, q).toBe(422);
      expect(body.type).toBe('/problems/validation-failed');
    }
    expect((await api.fetch('/v1/usage/export?format=xml', { token: tenant.keys.viewer })).status).toBe(422);
    expect((await api.fetch('/v1/usage')).status).toBe(401);
    expect((await api.fetch('/v1/platform/usage', { token: tenant.keys.owner })).status).toBe(401);
  });
});
