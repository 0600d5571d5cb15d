import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useResourceApi } from '../../../test/helpers/resource-api.js';
import { withTenant } from '../../platform/db/tenant.js';
import { conversations, escalations, messages } from '../conversations/tables.js';
import { conversationMetrics, dailyMetrics } from './tables.js';

const api = useResourceApi();
const { call, expectProblem, newTenant } = api;
let tenantId = '';

beforeAll(async () => {
  tenantId = await newTenant('', ['viewer', 'agent', 'admin']);
  await newTenant('other-', ['viewer', 'agent']);
});
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const DAY = 24 * 60;

describe('overview', () => {
  it('counts conversations by status, recent messages by role, open escalations, first response time', async () => {
    const other = await call('other-viewer', 'GET', '/analytics/overview');
    await withTenant(api.db, tenantId, async (tx) => {
      const convs = await tx
        .insert(conversations)
        .values(
          ['active', 'active', 'resolved', 'closed', 'waiting'].map((status) => ({
            tenantId,
            status: status as 'active',
          })),
        )
        .returning();
      const [a, b, c, d] = convs.map((x) => x.id);
      const msg = (
        conversationId: string,
        role: 'user' | 'assistant' | 'agent' | 'system',
        minutesAgo: number,
        isInternal = false,
      ) => ({
        tenantId,
        conversationId: conversationId!,
        role,
        content: `${role} message`,
        isInternal,
        createdAt: ago(minutesAgo),
      });
      await tx.insert(messages).values([
        // a: answered by the AI after 60 s (the later user message does not count as a first).
        msg(a!, 'user', 120),
        msg(a!, 'assistant', 119),
        msg(a!, 'user', 100),
        // b: an internal note after 10 s is not a response; the agent answers after 180 s.
        msg(b!, 'user', 60),
        msg(b!, 'agent', 60 - 10 / 60, true),
        msg(b!, 'agent', 57),
        // c: never answered.
        msg(c!, 'user', 30),
        // d: first contact 40 days ago: outside the window, and so are its messages.
        msg(d!, 'user', 40 * DAY),
        msg(d!, 'agent', 40 * DAY - 1),
        msg(d!, 'system', 40 * DAY - 2),
      ]);
      await tx.insert(escalations).values([
        { tenantId, type: 'complaint', severity: 'high', summary: 'open' },
        { tenantId, type: 'complaint', severity: 'high', summary: 'acknowledged', status: 'acknowledged' },
        { tenantId, type: 'refund', severity: 'critical', summary: 'resolved', status: 'resolved' },
        { tenantId, type: 'other', severity: 'low', summary: 'open' },
      ]);
    });
    const r = await call('viewer', 'GET', '/analytics/overview');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      windowDays: 30,
      conversationsByStatus: { active: 2, waiting: 1, resolved: 1, closed: 1, archived: 0 },
      messagesByRole: { user: 4, assistant: 1, agent: 2, system: 0 },
      openEscalationsBySeverity: { low: 1, medium: 0, high: 2, critical: 0 },
      avgFirstResponseSeconds: 120,
      firstResponsesCounted: 2,
    });
    // Another tenant sees none of it.
    const after = await call('other-viewer', 'GET', '/analytics/overview');
    expect(after.body).toEqual(other.body);
    expect(after.body.avgFirstResponseSeconds).toBeNull();
    expect(after.body.conversationsByStatus.active).toBe(0);
  });
});

describe('rollups', () => {
  it('conversation and daily metrics are listed, filtered and read-only', async () => {
    const conv = await call('agent', 'POST', '/conversations', { subject: 'x' });
    await withTenant(api.db, tenantId, async (tx) => {
      await tx
        .insert(conversationMetrics)
        .values({ tenantId, conversationId: conv.body.id, resolutionType: 'ai', messagesCount: 4 });
      await tx.insert(dailyMetrics).values([
        { tenantId, date: '2026-03-01', conversationsTotal: 10 },
        { tenantId, date: '2026-03-02', conversationsTotal: 12 },
      ]);
    });
    const cm = await call(
      'viewer',
      'GET',
      `/conversation-metrics?conversationId=${conv.body.id}&resolutionType=ai`,
    );
    expect(cm.body.data).toHaveLength(1);
    expect(cm.body.data[0].messagesCount).toBe(4);
    expect((await call('viewer', 'GET', `/conversation-metrics/${cm.body.data[0].id}`)).status).toBe(200);
    const dm = await call('viewer', 'GET', '/daily-metrics?date=2026-03-02');
    expect(dm.body.data.map((d: { conversationsTotal: number }) => d.conversationsTotal)).toEqual([12]);
    expect((await call('other-viewer', 'GET', '/daily-metrics')).body.data).toEqual([]);
    expectProblem(await call('admin', 'POST', '/daily-metrics', { date: '2026-03-03' }), 405);
    expectProblem(
      await call('admin', 'PATCH', `/conversation-metrics/${cm.body.data[0].id}`, { messagesCount: 1 }),
      405,
    );
    expectProblem(await call('admin', 'DELETE', `/daily-metrics/${dm.body.data[0].id}`), 405);
  });
});

describe('account health', () => {
  it('reads the account_health view and refreshes the score', async () => {
    const account = (
      await call('agent', 'POST', '/accounts', { name: 'Acme', arrCents: 4_800_000, stage: 'active' })
    ).body;
    for (const name of ['Dana', 'Sam'])
      await call('agent', 'POST', '/contacts', { name, accountId: account.id });
    await call('agent', 'POST', '/meetings', {
      accountId: account.id,
      title: 'QBR',
      scheduledAt: '2026-04-14T15:00:00Z',
    });
    await call('agent', 'POST', '/insights', {
      accountId: account.id,
      source: 'meeting',
      type: 'concern',
      content: 'Price',
    });
    await call('agent', 'POST', '/insights', {
      accountId: account.id,
      source: 'meeting',
      type: 'decision',
      content: 'Go',
    });
    const conv = (await call('agent', 'POST', '/conversations', { accountId: account.id })).body;
    for (const content of ['one', 'two', 'three'])
      await call('agent', 'POST', `/conversations/${conv.id}/messages`, { content });
    const module = (await call('admin', 'POST', '/training-modules', { title: 'Basics' })).body;
    await call('agent', 'POST', '/training-progress', {
      accountId: account.id,
      moduleId: module.id,
      progress: 50,
    });

    const health = await call('viewer', 'GET', `/accounts/${account.id}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      id: account.id,
      name: 'Acme',
      arrCents: 4_800_000,
      healthScore: null,
      stakeholderCount: 2,
      meetingCount: 1,
      concernCount: 1,
      lastMeeting: '2026-04-14T15:00:00.000Z',
    });
    expect(health.body.lastInteraction).toBeTruthy();

    expectProblem(await call('viewer', 'POST', `/accounts/${account.id}/health/refresh`), 403);
    // Engagement 3 messages × 10 = 30, adoption 50: (30 + 50) / 2.
    const refreshed = await call('agent', 'POST', `/accounts/${account.id}/health/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.healthScore).toBe(40);
    expect((await call('viewer', 'GET', `/accounts/${account.id}`)).body.healthScore).toBe(40);

    expectProblem(await call('other-viewer', 'GET', `/accounts/${account.id}/health`), 404);
    expectProblem(await call('other-agent', 'POST', `/accounts/${account.id}/health/refresh`), 404);
    expectProblem(await call('agent', 'POST', `/accounts/${randomUUID()}/health/refresh`), 404);
    expectProblem(await call('viewer', 'GET', '/accounts/not-a-uuid/health'), 422);
  });
});
