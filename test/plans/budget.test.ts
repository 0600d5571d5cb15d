/**
 * The monthly model-token budget in the responder: below it the responder answers and meters
 * exactly what the model reported; crossing 80 % and 100 % emits `usage.threshold_reached` once
 * each; past the budget it calls no model, hands the conversation off with the reason in
 * `metadata.responder`, opens one `usage_limit` escalation and emits one
 * `responder.budget_exhausted` per period; the next period answers again.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../../src/domains/conversations/threads.js';
import { escalations } from '../../src/domains/conversations/workflow.js';
import { usageEvents, webhookDeliveries, webhookEndpoints } from '../../src/domains/ops/tables.js';
import { ManualClock } from '../../src/platform/clock.js';
import { rows } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { useTestApi } from '../helpers/api.js';
import { addFaq, inbound, makeAgent, openConversation } from '../helpers/responder.js';
import { tenantOnPlan } from './helpers.js';

const BUDGET = 10_000;
const clock = new ManualClock('2026-07-14T10:00:00Z');
const api = useTestApi({ clock });
let tenant: Awaited<ReturnType<typeof tenantOnPlan>>;
let channelId: string;

const inTenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.db, tenant.id, fn);
const tokensUsed = async () =>
  Number(
    (
      await inTenant((tx) =>
        rows<{ n: string }>(tx, sql`SELECT coalesce(sum(tokens_total), 0) AS n FROM usage_events`),
      )
    )[0]!.n,
  );
/** Records use the model reported elsewhere (another conversation), at the clock's time. */
const spend = (tokens: number) =>
  inTenant((tx) =>
    tx.insert(usageEvents).values({
      tenantId: tenant.id,
      eventType: 'llm.completion',
      model: 'elsewhere',
      tokensTotal: tokens,
      createdAt: clock.now(),
    }),
  );
const eventsOf = (type: string) =>
  inTenant((tx) => tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventType, type)));
const decisionOf = async (messageId: string) =>
  (await inTenant((tx) => tx.select().from(messages).where(eq(messages.id, messageId))))[0]!.metadata
    .responder as Record<string, unknown> | undefined;
const aiReplies = (conversationId: string) =>
  inTenant((tx) =>
    tx
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'assistant'))),
  );

async function ask(
  text: string,
  conversationId?: string,
): Promise<{ conversationId: string; messageId: string }> {
  const conv = conversationId ?? (await openConversation(api.db, tenant.id, channelId));
  const messageId = await inbound(api.db, tenant.id, conv, text, clock.now());
  await api.app.platform.jobs.send('responder.reply', { tenantId: tenant.id, messageId });
  await api.app.platform.jobs.drain();
  return { conversationId: conv, messageId };
}

beforeAll(async () => {
  tenant = await tenantOnPlan(api.db, { monthlyTokens: BUDGET });
  channelId = (await makeAgent(api.db, tenant.id)).channelId;
  await addFaq(api.db, tenant.id, [
    ['Where can I park?', 'Free parking is in the garage under the building.'],
  ]);
  await inTenant((tx) =>
    tx.insert(webhookEndpoints).values({
      tenantId: tenant.id,
      url: 'https://hooks.example.test/plans',
      secret: 'whsec_test',
      events: ['*'],
    }),
  );
});

describe('the monthly token budget', () => {
  it('below the budget: answers, meters exactly, and announces 80 % once when a call crosses it', async () => {
    await spend(BUDGET * 0.8 - 1);
    const { conversationId } = await ask('Where can I park?');
    const [reply] = await aiReplies(conversationId);
    expect(reply!.content).toContain('garage');
    // Exact: the total is what was spent elsewhere plus what this call reported.
    expect(await tokensUsed()).toBe(BUDGET * 0.8 - 1 + reply!.tokensIn! + reply!.tokensOut!);
    const warnings = await eventsOf('usage.threshold_reached');
    expect(warnings.map((w) => w.payload.data)).toEqual([
      { limit: 'monthlyTokens', threshold: 80, allowed: BUDGET, used: await tokensUsed(), period: '2026-07' },
    ]);
    expect(await tokensUsed()).toBeLessThan(BUDGET);
  });

  it('the call that reaches the budget is answered and announces 100 %', async () => {
    await spend(BUDGET - 1 - (await tokensUsed()));
    const { conversationId } = await ask('Where can I park?');
    expect(await aiReplies(conversationId)).toHaveLength(1);
    expect(await tokensUsed()).toBeGreaterThanOrEqual(BUDGET);
    const thresholds = (await eventsOf('usage.threshold_reached')).map(
      (w) => (w.payload.data as { threshold: number }).threshold,
    );
    expect(thresholds.sort()).toEqual([100, 80]);
    expect(await eventsOf('responder.budget_exhausted')).toHaveLength(0);
  });

  it('past the budget: no model call, a hand-off with the reason, one escalation and one event', async () => {
    const before = await tokensUsed();
    const { conversationId, messageId } = await ask('Where can I park?');
    expect(await aiReplies(conversationId)).toHaveLength(0);
    expect(await tokensUsed()).toBe(before);
    expect(await decisionOf(messageId)).toMatchObject({
      kind: 'handed_off',
      reason: 'token_budget',
      used: before,
      allowed: BUDGET,
      period: '2026-07',
    });
    const [conversation] = await inTenant((tx) =>
      tx.select().from(conversations).where(eq(conversations.id, conversationId)),
    );
    expect(conversation!.status).toBe('waiting');
    expect(conversation!.metadata.handoff).toMatchObject({ reason: 'token_budget' });
    const opened = await inTenant((tx) =>
      tx.select().from(escalations).where(eq(escalations.type, 'usage_limit')),
    );
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ severity: 'high', conversationId, messageId });
    const exhausted = await eventsOf('responder.budget_exhausted');
    expect(exhausted.map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ limit: 'monthlyTokens', allowed: BUDGET, used: before, period: '2026-07' }),
    ]);
    // The escalation is announced like every other.
    const announced = (await eventsOf('escalation.opened')).map((e) => (e.payload.data as { id: string }).id);
    expect(announced).toContain(opened[0]!.id);
  });

  it('later in the period: every conversation is handed off, with no second escalation or event', async () => {
    clock.set('2026-07-30T09:00:00Z');
    const { messageId } = await ask('Where can I park?');
    expect(await decisionOf(messageId)).toMatchObject({ kind: 'handed_off', reason: 'token_budget' });
    expect(
      await inTenant((tx) => tx.select().from(escalations).where(eq(escalations.type, 'usage_limit'))),
    ).toHaveLength(1);
    expect(await eventsOf('responder.budget_exhausted')).toHaveLength(1);
    expect(await eventsOf('usage.threshold_reached')).toHaveLength(2);
  });

  it('the next period starts a new budget: the responder answers again', async () => {
    clock.set('2026-08-01T09:00:00Z');
    const { conversationId, messageId } = await ask('Where can I park?');
    expect(await aiReplies(conversationId)).toHaveLength(1);
    expect(await decisionOf(messageId)).toMatchObject({ kind: 'sent' });
    const usage = await api.fetch('/v1/usage', { token: tenant.keys.viewer });
    const body = (await usage.json()) as {
      period: { id: string };
      limits: { monthlyTokens: { used: number } };
    };
    expect(body.period.id).toBe('2026-08');
    const [reply] = await aiReplies(conversationId);
    expect(body.limits.monthlyTokens.used).toBe(reply!.tokensIn! + reply!.tokensOut!);
  });
});
