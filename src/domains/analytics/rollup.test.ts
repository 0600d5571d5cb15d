/**
 * Conversation metrics and daily rollups from fabricated conversations: the figures, the
 * tenant-local day boundaries (including a 23-hour daylight-saving day), and idempotence.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, tenantWith } from '../../../test/helpers/rules.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { withTenant } from '../../platform/db/tenant.js';
import { Jobs } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logger.js';
import { conversations, escalations, messages } from '../conversations/tables.js';
import { usageEvents } from '../ops/tables.js';
import { analyticsJobs } from './jobs.js';
import { refreshConversationMetrics } from './metrics.js';
import { dayBounds, rollupDay } from './rollup.js';
import { conversationMetrics, dailyMetrics } from './tables.js';

const t = useTestDatabase();
const NY = 'America/New_York';
const clock = new ManualClock('2026-03-09T12:00:00Z');
let tenantId: string;
let jobs: Jobs;

beforeAll(async () => {
  tenantId = await tenantWith(t.db, { timezone: NY });
  jobs = new Jobs({ db: t.db, logger: createLogger('silent'), clock, config: loadConfig({}) }).define(
    ...analyticsJobs,
  );
});
afterAll(() => jobs.stop());

type Role = 'user' | 'assistant' | 'agent' | 'system';

/** A conversation with messages at the given instants. */
async function thread(
  startedAt: string,
  msgs: Array<[Role, string, { internal?: boolean }?]>,
  extra: Partial<typeof conversations.$inferInsert> = {},
) {
  const c = await insertIn(t.db, tenantId, conversations, { startedAt: new Date(startedAt), ...extra });
  for (const [role, at, opts] of msgs)
    await insertIn(t.db, tenantId, messages, {
      conversationId: c.id,
      role,
      content: `${role} at ${at}`,
      isInternal: opts?.internal ?? false,
      createdAt: new Date(at),
    });
  return c.id;
}

const metricsOf = async (conversationId: string) => {
  const [row] = await withTenant(t.db, tenantId, (tx) =>
    tx.select().from(conversationMetrics).where(eq(conversationMetrics.conversationId, conversationId)),
  );
  return row!;
};

const refresh = (ids: string[]) =>
  withTenant(t.db, tenantId, (tx) => refreshConversationMetrics(tx, tenantId, { conversationIds: ids }));

describe('conversation metrics', () => {
  it('counts messages by author and measures responses, resolution and duration', async () => {
    const id = await thread(
      '2026-03-02T10:00:00Z',
      [
        ['user', '2026-03-02T10:00:00Z'],
        ['assistant', '2026-03-02T10:00:30Z'],
        ['agent', '2026-03-02T10:01:00Z', { internal: true }], // a note: not counted
        ['user', '2026-03-02T10:05:00Z'],
        ['agent', '2026-03-02T10:07:00Z'],
        ['system', '2026-03-02T10:30:00Z'],
      ],
      {
        status: 'resolved',
        resolvedAt: new Date('2026-03-02T11:00:00Z'),
        metadata: { satisfaction_score: '4' },
      },
    );
    await insertIn(t.db, tenantId, escalations, {
      type: 'complaint',
      severity: 'medium',
      summary: 'unhappy',
      conversationId: id,
    });
    expect(await refresh([id])).toBe(1);
    expect(await metricsOf(id)).toMatchObject({
      messagesCount: 5,
      aiMessagesCount: 1,
      humanMessagesCount: 1,
      contactMessagesCount: 2,
      firstResponseSeconds: 30,
      responseTimeAvgSeconds: 75,
      resolutionSeconds: 3600,
      durationSeconds: 1800,
      resolutionType: 'human',
      satisfactionScore: 4,
      escalated: true,
    });
  });

  it('tells AI-resolved, abandoned and open conversations apart', async () => {
    const ai = await thread(
      '2026-03-02T12:00:00Z',
      [
        ['user', '2026-03-02T12:00:00Z'],
        ['assistant', '2026-03-02T12:00:05Z'],
      ],
      { status: 'closed', resolvedAt: new Date('2026-03-02T12:10:00Z') },
    );
    const abandoned = await thread('2026-03-02T13:00:00Z', [['user', '2026-03-02T13:00:00Z']], {
      status: 'archived',
    });
    const open = await thread('2026-03-02T14:00:00Z', [['user', '2026-03-02T14:00:00Z']]);
    const empty = await thread('2026-03-02T15:00:00Z', []);
    await refresh([ai, abandoned, open, empty]);
    expect(await metricsOf(ai)).toMatchObject({
      resolutionType: 'ai',
      firstResponseSeconds: 5,
      escalated: false,
    });
    expect(await metricsOf(abandoned)).toMatchObject({
      resolutionType: 'abandoned',
      firstResponseSeconds: null,
    });
    expect(await metricsOf(open)).toMatchObject({
      resolutionType: null,
      resolutionSeconds: null,
      contactMessagesCount: 1,
      satisfactionScore: null,
    });
    expect(await metricsOf(empty)).toMatchObject({ messagesCount: 0, durationSeconds: 0 });
  });

  it('rewrites the same row when run again, and picks up a late reply', async () => {
    const id = await thread('2026-03-03T09:00:00Z', [['user', '2026-03-03T09:00:00Z']]);
    await refresh([id]);
    const first = await metricsOf(id);
    await refresh([id]);
    const again = await metricsOf(id);
    expect({ ...again, updatedAt: null }).toEqual({ ...first, updatedAt: null });
    await insertIn(t.db, tenantId, messages, {
      conversationId: id,
      role: 'agent',
      content: 'late',
      createdAt: new Date('2026-03-03T09:20:00Z'),
    });
    await withTenant(t.db, tenantId, (tx) =>
      refreshConversationMetrics(tx, tenantId, { since: new Date('2026-03-03T09:10:00Z') }),
    );
    expect(await metricsOf(id)).toMatchObject({
      id: first.id,
      firstResponseSeconds: 1200,
      humanMessagesCount: 1,
    });
  });

  it('keeps a satisfaction score recorded elsewhere unless the conversation carries one', async () => {
    const id = await thread('2026-03-03T10:00:00Z', [['user', '2026-03-03T10:00:00Z']]);
    await refresh([id]);
    await withTenant(t.db, tenantId, (tx) =>
      tx
        .update(conversationMetrics)
        .set({ satisfactionScore: 2 })
        .where(eq(conversationMetrics.conversationId, id)),
    );
    await refresh([id]);
    expect(await metricsOf(id)).toMatchObject({ satisfactionScore: 2 });
    await withTenant(t.db, tenantId, (tx) =>
      tx
        .update(conversations)
        .set({ metadata: { satisfaction_score: 5 } })
        .where(eq(conversations.id, id)),
    );
    await refresh([id]);
    expect(await metricsOf(id)).toMatchObject({ satisfactionScore: 5 });
  });
});

describe('daily rollups', () => {
  const dayRow = async (date: string) =>
    withTenant(t.db, tenantId, (tx) => tx.select().from(dailyMetrics).where(eq(dailyMetrics.date, date)));

  it('cut days at local midnight in the tenant’s time zone, 23 hours on spring-forward day', async () => {
    const { start, end } = dayBounds('2026-03-08', NY);
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
    // 23:30 EST on 7 March (04:30Z on the 8th) belongs to the 7th; 00:30 EST to the 8th.
    const late = await thread(
      '2026-03-08T04:30:00Z',
      [
        ['user', '2026-03-08T04:30:00Z'],
        ['assistant', '2026-03-08T04:30:10Z'],
      ],
      { status: 'resolved', resolvedAt: new Date('2026-03-08T04:40:00Z') },
    );
    const early = await thread(
      '2026-03-08T05:30:00Z',
      [
        ['user', '2026-03-08T05:30:00Z'],
        ['agent', '2026-03-08T05:30:50Z'],
      ],
      { metadata: { satisfaction_score: 5 } },
    );
    await insertIn(t.db, tenantId, escalations, {
      type: 'tension',
      severity: 'high',
      summary: 'angry',
      conversationId: early,
    });
    await insertIn(t.db, tenantId, usageEvents, {
      eventType: 'llm.completion',
      tokensTotal: 300,
      costMicros: 90,
      createdAt: new Date('2026-03-08T04:30:10Z'),
    });
    await insertIn(t.db, tenantId, usageEvents, {
      eventType: 'llm.completion',
      tokensTotal: 200,
      costMicros: 60,
      createdAt: new Date('2026-03-09T03:59:00Z'), // 23:59 EDT on the 8th
    });
    await refresh([late, early]);
    await withTenant(t.db, tenantId, async (tx) => {
      await rollupDay(tx, tenantId, '2026-03-07', NY);
      await rollupDay(tx, tenantId, '2026-03-08', NY);
    });
    expect(await dayRow('2026-03-07')).toMatchObject([
      {
        conversationsTotal: 1,
        conversationsResolved: 1,
        conversationsEscalated: 0,
        messagesTotal: 2,
        avgResponseSeconds: 10,
        avgSatisfaction: null,
        tokensTotal: 300,
        costMicros: 90,
      },
    ]);
    expect(await dayRow('2026-03-08')).toMatchObject([
      {
        conversationsTotal: 1,
        conversationsResolved: 0,
        conversationsEscalated: 1,
        messagesTotal: 2,
        avgResponseSeconds: 50,
        avgSatisfaction: 5,
        tokensTotal: 200,
        costMicros: 60,
      },
    ]);
  });

  it('give the same rows when a day is rolled up again, as a job', async () => {
    const before = await dayRow('2026-03-08');
    await jobs.send('analytics.rebuild-day', { tenantId, date: '2026-03-08' });
    await jobs.send('analytics.rebuild-day', { tenantId, date: '2026-03-08' });
    expect(await jobs.drain({ names: ['analytics.rebuild-day'] })).toBe(2);
    const after = await dayRow('2026-03-08');
    expect(after).toHaveLength(1);
    expect({ ...after[0], updatedAt: null }).toEqual({ ...before[0], updatedAt: null });
  });

  it('roll up the local yesterday and today on every tick, and refuse a malformed rebuild', async () => {
    clock.set('2026-03-10T03:00:00Z'); // 23:00 EDT on 9 March
    await jobs.send('analytics.tick', {});
    expect(await jobs.drain({ names: ['analytics.tick'] })).toBe(1);
    expect(await jobs.counts('analytics.tick')).toEqual({ completed: 1 });
    expect(await dayRow('2026-03-09')).toHaveLength(1);
    expect(await dayRow('2026-03-08')).toMatchObject([{ conversationsTotal: 1, tokensTotal: 200 }]);
    expect(await dayRow('2026-03-10')).toHaveLength(0);

    await jobs.send('analytics.rebuild-day', { tenantId, date: '9 March' });
    await jobs.drain({ names: ['analytics.rebuild-day'] });
    expect((await jobs.counts('analytics.rebuild-day')).retry).toBe(1);
  });
});
