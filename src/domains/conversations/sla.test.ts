/**
 * SLA breach: a conversation handed to humans whose contact waits past the SLA gets one
 * `sla_breach` escalation (an `escalation.opened` webhook delivery, a Slack alert job) — once,
 * even with two checks running at the same moment.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, tenantWith } from '../../../test/helpers/rules.js';
import { createJobs } from '../../jobs.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Jobs, Platform } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logger.js';
import { agents } from '../ai/tables.js';
import { webhookDeliveries, webhookEndpoints } from '../ops/tables.js';
import { runSlaTick, slaMinutes } from './sla.js';
import { approvals, conversations, escalations, messages } from './tables.js';

const t = useTestDatabase();
const T0 = new Date('2026-05-04T09:00:00Z');
const clock = new ManualClock(T0);
const min = (n: number) => new Date(T0.getTime() + n * 60_000);
let platform: Platform;
let jobs: Jobs;
let tenantId: string;
let strictAgent: string;

beforeAll(async () => {
  platform = { db: t.db, logger: createLogger('silent'), clock, config: loadConfig({}) };
  jobs = createJobs(platform);
  tenantId = await tenantWith(t.db, { settings: { slaFirstResponseMinutes: 30 } });
  strictAgent = (
    await insertIn(t.db, tenantId, agents, {
      name: 'Strict',
      escalationConfig: { slaFirstResponseMinutes: 10 },
    })
  ).id;
  await insertIn(t.db, tenantId, webhookEndpoints, {
    url: 'https://hooks.example.test/sla',
    secret: 'whsec_test',
    events: ['escalation.opened'],
  });
});
afterAll(() => jobs.stop());

type Role = 'user' | 'assistant' | 'agent';

async function conversation(
  msgs: Array<[Role, number]>,
  handoff: 'escalation' | 'approval' | null,
  extra: Partial<typeof conversations.$inferInsert> = {},
  tenant = tenantId,
) {
  const c = await insertIn(t.db, tenant, conversations, { startedAt: T0, ...extra });
  for (const [role, at] of msgs)
    await insertIn(t.db, tenant, messages, { conversationId: c.id, role, content: role, createdAt: min(at) });
  if (handoff === 'escalation')
    await insertIn(t.db, tenant, escalations, {
      type: 'emergency',
      severity: 'critical',
      summary: 'leak',
      conversationId: c.id,
    });
  if (handoff === 'approval')
    await insertIn(t.db, tenant, approvals, {
      conversationId: c.id,
      action: 'send_reply',
      draftContent: 'draft',
    });
  return c.id;
}

const breaches = (conversationId: string, tenant = tenantId) =>
  withTenant(t.db, tenant, (tx) =>
    tx
      .select()
      .from(escalations)
      .where(eq(escalations.conversationId, conversationId))
      .then((all) => all.filter((e) => e.type === 'sla_breach')),
  );

describe('SLA breach', () => {
  it('reads the SLA as positive whole minutes', () => {
    expect([
      slaMinutes(30),
      slaMinutes('15'),
      slaMinutes(0),
      slaMinutes(-5),
      slaMinutes(1.5),
      slaMinutes('x'),
    ]).toEqual([30, 15, null, null, null, null]);
  });

  it('escalates a handed-off conversation once the contact has waited past the tenant SLA, once', async () => {
    const id = await conversation([['user', 0]], 'escalation');
    clock.set(min(29));
    await runSlaTick(platform);
    expect(await breaches(id)).toHaveLength(0);
    clock.set(min(30));
    await runSlaTick(platform);
    clock.set(min(90));
    await runSlaTick(platform);
    const [breach, ...more] = await breaches(id);
    expect(more).toHaveLength(0);
    expect(breach).toMatchObject({ severity: 'medium', status: 'open', createdAt: min(30) });
    expect(breach!.summary).toBe('No reply to the contact for 30 minutes (SLA 30 minutes)');
    const deliveries = await withTenant(t.db, tenantId, (tx) =>
      tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventType, 'escalation.opened')),
    );
    expect(deliveries.map((d) => (d.payload as { data: { id: string } }).data.id)).toContain(breach!.id);
    const data = deliveries.find((d) => (d.payload as { data: { id: string } }).data.id === breach!.id)!
      .payload as { data: object };
    expect(Object.keys(data.data).sort()).toEqual([
      'accountId',
      'conversationId',
      'id',
      'messageId',
      'severity',
      'status',
      'summary',
      'type',
    ]);
  });

  it('uses the agent’s own SLA and the conversation’s priority for severity', async () => {
    clock.set(T0);
    const id = await conversation([['user', 0]], 'approval', { agentId: strictAgent, priority: 3 });
    clock.set(min(10));
    await runSlaTick(platform);
    expect(await breaches(id)).toMatchObject([{ severity: 'high' }]);
  });

  it('runs from the first unanswered message, and leaves conversations nobody handed over alone', async () => {
    const answeredByAi = await conversation(
      [
        ['user', 0],
        ['assistant', 1],
      ],
      null,
    );
    const aiOnly = await conversation([['user', 0]], null); // e.g. a reply held for quiet hours
    const humanReplied = await conversation(
      [
        ['user', 0],
        ['agent', 20],
        ['user', 100],
      ],
      'escalation',
    );
    const resolved = await conversation([['user', 0]], 'escalation', {
      status: 'resolved',
      resolvedAt: min(5),
    });
    clock.set(min(129));
    await runSlaTick(platform);
    for (const id of [answeredByAi, aiOnly, humanReplied, resolved])
      expect(await breaches(id)).toHaveLength(0);
    clock.set(min(130)); // 30 minutes after the contact wrote again
    await runSlaTick(platform);
    expect(await breaches(humanReplied)).toHaveLength(1);
    expect(await breaches(aiOnly)).toHaveLength(0);
  });

  it('does nothing for a tenant without an SLA', async () => {
    const other = await tenantWith(t.db);
    const id = await conversation([['user', 0]], 'escalation', {}, other);
    clock.set(min(10_000));
    await runSlaTick(platform);
    expect(await breaches(id, other)).toHaveLength(0);
  });

  it('opens one escalation when two checks run at once, as the conversations.sla-tick job', async () => {
    clock.set(T0);
    const id = await conversation([['user', 0]], 'escalation');
    clock.set(min(45));
    const opened = await Promise.all([runSlaTick(platform), runSlaTick(platform)]);
    expect(opened.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await breaches(id)).toHaveLength(1);

    const next = await conversation([['user', 45]], 'escalation');
    clock.set(min(75));
    await jobs.send('conversations.sla-tick', {});
    expect(await jobs.drain({ names: ['conversations.sla-tick'] })).toBe(1);
    expect(await breaches(next)).toHaveLength(1);
    // Handed to the responder's Slack alert job once committed.
    expect(await jobs.counts('responder.notify-escalation')).toEqual({ created: 1 });
  });
});
