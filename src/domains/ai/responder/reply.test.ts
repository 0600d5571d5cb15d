/**
 * The responder end to end over a real database and the real job queue, with a ManualClock:
 * answers with provenance and metering, escalates instead of answering, holds for quiet hours and
 * delays (merging and cancelling), stays silent on handoff, drafts for approval and hands off.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../../../../test/helpers/api.js';
import { addFaq, inbound, makeAgent, openConversation } from '../../../../test/helpers/responder.js';
import { ManualClock } from '../../../platform/clock.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { conversations, messages } from '../../conversations/threads.js';
import { approvals, escalations } from '../../conversations/workflow.js';
import { usageEvents, webhookDeliveries, webhookEndpoints } from '../../ops/tables.js';
import { replyHolds } from './tables.js';

const clock = new ManualClock('2026-07-01T10:00:00Z');
const api = useTestApi({ clock });

const FAQ: Array<[string, string]> = [
  [
    'What time is check-in?',
    'Check-in is from 3pm; the door code arrives by text on the morning of arrival.',
  ],
  ['Where can I park?', 'Free parking is in the garage under the building, space 12.'],
  ['What is the wifi password?', 'The wifi network is ParadiseGuest and the password is on the fridge.'],
];

let tenant: TestTenant;
const jobs = () => api.app.platform.jobs;

async function receive(conversationId: string, text: string): Promise<string> {
  const messageId = await inbound(api.db, tenant.id, conversationId, text, clock.now());
  await jobs().send('responder.reply', { tenantId: tenant.id, messageId });
  await jobs().drain();
  return messageId;
}

const inTenant = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.db, tenant.id, fn);
const aiMessages = (conversationId: string) =>
  inTenant((tx) =>
    tx
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'assistant'))),
  );
const decisionOf = async (messageId: string) =>
  (await inTenant((tx) => tx.select().from(messages).where(eq(messages.id, messageId))))[0]!.metadata
    .responder as Record<string, unknown> | undefined;

describe('responder', () => {
  let immediate: Awaited<ReturnType<typeof makeAgent>>;

  beforeAll(async () => {
    tenant = await makeTenant(api.db);
    immediate = await makeAgent(api.db, tenant.id, {}, { timezone: 'Europe/Paris' });
    await addFaq(api.db, tenant.id, FAQ);
    await inTenant((tx) =>
      tx.insert(webhookEndpoints).values({
        tenantId: tenant.id,
        url: 'https://hooks.example.test/x',
        secret: 'whsec_test',
        events: ['*'],
      }),
    );
  });

  it('answers a FAQ question with citations, prompt version, model, confidence and tokens, and meters the call', async () => {
    clock.set('2026-07-01T10:00:00Z');
    const conversationId = await openConversation(api.db, tenant.id, immediate.channelId);
    const asked = await receive(conversationId, 'Hi! Where can I park my car?');
    const [reply] = await aiMessages(conversationId);
    expect(reply!.content).toContain('garage');
    expect(reply!.citations).toEqual([expect.objectContaining({ title: 'Where can I park?' })]);
    expect(reply!.promptVersionId).toBe(immediate.promptVersionId);
    expect(reply!.model).toBe('offline-extractive');
    expect(reply!.confidence).toBeGreaterThanOrEqual(0.6);
    expect(reply!.tokensIn).toBeGreaterThan(0);
    expect(reply!.tokensOut).toBeGreaterThan(0);
    // Handed to the channel's delivery (this SMS contact has no number, so delivery fails there).
    expect(reply!.deliveryStatus).not.toBeNull();
    const usage = await inTenant((tx) =>
      tx.select().from(usageEvents).where(eq(usageEvents.conversationId, conversationId)),
    );
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({
      eventType: 'llm.completion',
      model: 'offline-extractive',
      tokensInput: reply!.tokensIn,
      tokensOutput: reply!.tokensOut,
      tokensTotal: reply!.tokensIn! + reply!.tokensOut!,
      agentId: immediate.agentId,
    });
    expect(await decisionOf(asked)).toMatchObject({ kind: 'sent', messageId: reply!.id });
  });

  it('answers from the knowledge base (a text source and an FAQ source) with chunk citations', async () => {
    const { createSource } = await import('../../knowledge/ingest.js');
    const platform = api.app.platform;
    await createSource(platform, tenant.id, {
      kind: 'text',
      title: 'House guide',
      content:
        'The hot tub is on the roof terrace. It is heated all year and open from 7am to 11pm. Towels are in the blue cabinet.',
    });
    await createSource(platform, tenant.id, {
      kind: 'faq',
      title: 'Pets FAQ',
      items: [
        { question: 'Can I bring my dog?', answer: 'Dogs under 15 kg are welcome for a $40 cleaning fee.' },
      ],
    });
    await jobs().drain(); // ingestion
    const conversationId = await openConversation(api.db, tenant.id, immediate.channelId);
    await receive(conversationId, 'When is the hot tub open?');
    await receive(conversationId, 'Can I bring my dog along?');
    const [tub, dog] = await aiMessages(conversationId);
    expect(tub!.content).toContain('7am to 11pm');
    expect(tub!.citations).toEqual([
      expect.objectContaining({ title: 'House guide', chunkId: expect.any(String) }),
    ]);
    expect(dog!.content).toBe('Dogs under 15 kg are welcome for a $40 cleaning fee.');
    expect(dog!.citations).toEqual([
      expect.objectContaining({ title: 'Pets FAQ', chunkId: expect.any(String) }),
    ]);
  });

  it('escalates a water leak as an emergency with a webhook event and does not answer', async () => {
    const conversationId = await openConversation(api.db, tenant.id, immediate.channelId);
    const asked = await receive(conversationId, 'There is water leaking from the ceiling in the bathroom!');
    expect(await aiMessages(conversationId)).toHaveLength(0);
    const [escalation] = await inTenant((tx) =>
      tx.select().from(escalations).where(eq(escalations.conversationId, conversationId)),
    );
    expect(escalation).toMatchObject({
      type: 'emergency',
      severity: 'high',
      status: 'open',
      messageId: asked,
    });
    const events = await inTenant((tx) =>
      tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventType, 'escalation.opened')),
    );
    const opened = events.find((e) => (e.payload.data as { id: string }).id === escalation!.id);
    // The same payload as an escalation opened through the API (CHANGELOG.md).
    expect(Object.keys(opened!.payload.data as object).sort()).toEqual([
      'accountId',
      'conversationId',
      'id',
      'messageId',
      'severity',
      'status',
      'summary',
      'type',
    ]);
    expect(opened!.payload.data).toMatchObject({ id: escalation!.id, status: 'open', messageId: asked });
    // A retried job opens no second escalation.
    await jobs().send('responder.reply', { tenantId: tenant.id, messageId: asked });
    await jobs().drain();
    const again = await inTenant((tx) =>
      tx.select().from(escalations).where(eq(escalations.conversationId, conversationId)),
    );
    expect(again).toHaveLength(1);
  });

  it('stays silent while a human has the conversation, and answers again once released', async () => {
    const conversationId = await openConversation(api.db, tenant.id, immediate.channelId);
    const user = await inTenant(async (tx) => {
      const { users } = await import('../../identity/tables.js');
      const [u] = await tx.select({ id: users.id }).from(users).limit(1);
      return u?.id ?? null;
    });
    await inTenant((tx) =>
      tx
        .update(conversations)
        .set({ metadata: { handoff: { reason: 'test' } }, ...(user ? { assignedUserId: user } : {}) })
        .where(eq(conversations.id, conversationId)),
    );
    const asked = await receive(conversationId, 'What time is check-in?');
    expect(await aiMessages(conversationId)).toHaveLength(0);
    expect((await decisionOf(asked))?.kind).toBe('silent');
    await inTenant((tx) =>
      tx
        .update(conversations)
        .set({ metadata: {}, assignedUserId: null })
        .where(eq(conversations.id, conversationId)),
    );
    await receive(conversationId, 'What time is check-in?');
    expect(await aiMessages(conversationId)).toHaveLength(1);
  });

  it('hands an unanswerable question to a human: no reply, the conversation waits, an internal note says why', async () => {
    const conversationId = await openConversation(api.db, tenant.id, immediate.channelId);
    const asked = await receive(conversationId, 'Can you recommend a good dentist nearby for tomorrow?');
    expect(await aiMessages(conversationId)).toHaveLength(0);
    const [conversation] = await inTenant((tx) =>
      tx.select().from(conversations).where(eq(conversations.id, conversationId)),
    );
    expect(conversation!.status).toBe('waiting');
    expect(conversation!.metadata.handoff).toMatchObject({ reason: expect.any(String) });
    const notes = await inTenant((tx) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.isInternal, true))),
    );
    expect(notes[0]!.content).toMatch(/Handed to a human/);
    expect((await decisionOf(asked))?.kind).toBe('handed_off');
  });
});

describe('responder timing', () => {
  let quiet: Awaited<ReturnType<typeof makeAgent>>;
  let delayed: Awaited<ReturnType<typeof makeAgent>>;

  beforeAll(async () => {
    quiet = await makeAgent(api.db, tenant.id, {
      name: 'Night shift',
      quietHoursStart: '22:00',
      quietHoursEnd: '08:00',
    });
    delayed = await makeAgent(api.db, tenant.id, { name: 'Delayed', responseDelaySeconds: 180 });
  });

  const tick = async () => {
    await jobs().send('responder.tick', {});
    await jobs().drain();
  };

  it('holds a reply during quiet hours (tenant zone Europe/Paris) and sends it when they end', async () => {
    clock.set('2026-07-01T21:00:00Z'); // 23:00 in Paris
    const conversationId = await openConversation(api.db, tenant.id, quiet.channelId);
    const asked = await receive(conversationId, 'What is the wifi password?');
    expect(await aiMessages(conversationId)).toHaveLength(0);
    const decision = await decisionOf(asked);
    expect(decision).toMatchObject({ kind: 'held', dueAt: '2026-07-02T06:00:00.000Z' });
    const [hold] = await inTenant((tx) =>
      tx.select().from(replyHolds).where(eq(replyHolds.conversationId, conversationId)),
    );
    expect(hold).toMatchObject({ reason: 'quiet_hours', status: 'pending' });

    clock.set('2026-07-02T05:59:00Z');
    await tick();
    expect(await aiMessages(conversationId)).toHaveLength(0);

    clock.set('2026-07-02T06:00:00Z');
    await tick();
    const [reply] = await aiMessages(conversationId);
    expect(reply!.content).toContain('ParadiseGuest');
    expect(reply!.createdAt.toISOString()).toBe('2026-07-02T06:00:00.000Z');
    const [released] = await inTenant((tx) =>
      tx.select().from(replyHolds).where(eq(replyHolds.id, hold!.id)),
    );
    expect(released).toMatchObject({ status: 'released', outcome: 'sent' });
  });

  it('merges a second guest message into the delayed reply and times it from the latest', async () => {
    clock.set('2026-07-03T12:00:00Z');
    const conversationId = await openConversation(api.db, tenant.id, delayed.channelId);
    await receive(conversationId, 'Where can I park?');
    clock.advance(60_000);
    const second = await receive(conversationId, 'Also what time is check-in?');
    expect(await decisionOf(second)).toMatchObject({
      kind: 'held',
      merged: true,
      dueAt: '2026-07-03T12:04:00.000Z',
    });
    clock.set('2026-07-03T12:03:30Z');
    await tick();
    expect(await aiMessages(conversationId)).toHaveLength(0);
    clock.set('2026-07-03T12:04:00Z');
    await tick();
    expect(await aiMessages(conversationId)).toHaveLength(1);
    const holds = await inTenant((tx) =>
      tx.select().from(replyHolds).where(eq(replyHolds.conversationId, conversationId)),
    );
    expect(holds).toEqual([
      expect.objectContaining({ messageCount: 2, status: 'released', outcome: 'sent' }),
    ]);
  });

  it('cancels the delayed reply when a human answers first', async () => {
    clock.set('2026-07-04T12:00:00Z');
    const conversationId = await openConversation(api.db, tenant.id, delayed.channelId);
    await receive(conversationId, 'Where can I park?');
    clock.advance(60_000);
    await inbound(
      api.db,
      tenant.id,
      conversationId,
      'Hi, it is Anna from the team: space 12 in the garage.',
      clock.now(),
      'agent',
    );
    clock.advance(180_000);
    await tick();
    expect(await aiMessages(conversationId)).toHaveLength(0);
    const [hold] = await inTenant((tx) =>
      tx.select().from(replyHolds).where(eq(replyHolds.conversationId, conversationId)),
    );
    expect(hold).toMatchObject({ status: 'cancelled', outcome: 'human_answered' });
  });
});

describe('responder approvals', () => {
  it('drafts every answer of an approval-always agent; approve sends it with its provenance, edit sends the edit', async () => {
    clock.set('2026-07-05T10:00:00Z');
    const csm = await makeAgent(api.db, tenant.id, { name: 'CSM', escalationConfig: { approval: 'always' } });
    const conversationId = await openConversation(api.db, tenant.id, csm.channelId);
    await receive(conversationId, 'Where can I park?');
    expect(await aiMessages(conversationId)).toHaveLength(0);
    const [draft] = await inTenant((tx) =>
      tx.select().from(approvals).where(eq(approvals.conversationId, conversationId)),
    );
    expect(draft).toMatchObject({ status: 'pending', action: 'send_reply', agentId: csm.agentId });
    expect(draft!.draftContent).toContain('garage');
    expect(draft!.expiresAt!.toISOString()).toBe('2026-07-06T10:00:00.000Z');

    const res = await api.fetch(`/v1/approvals/${draft!.id}/approve`, {
      method: 'POST',
      token: tenant.keys.agent,
      body: '{}',
    });
    expect(res.status).toBe(200);
    // The send was queued by the decision's own transaction: there when the answer arrives.
    expect(await jobs().counts('responder.deliver-approval')).toMatchObject({ created: 1 });
    await jobs().drain();
    const [sent] = await aiMessages(conversationId);
    expect(sent).toMatchObject({
      content: draft!.draftContent,
      requiresApproval: true,
      model: 'offline-extractive',
    });
    expect(sent!.citations).toHaveLength(1);
    // Delivered once, even if the job runs again.
    await jobs().send('responder.deliver-approval', { tenantId: tenant.id, approvalId: draft!.id });
    await jobs().drain();
    expect(await aiMessages(conversationId)).toHaveLength(1);

    await receive(conversationId, 'What is the wifi password?');
    const [, second] = await inTenant((tx) =>
      tx
        .select()
        .from(approvals)
        .where(eq(approvals.conversationId, conversationId))
        .orderBy(approvals.createdAt),
    );
    const edit = await api.fetch(`/v1/approvals/${second!.id}/edit`, {
      method: 'POST',
      token: tenant.keys.agent,
      body: JSON.stringify({ editedContent: 'The password is on the fridge door. Enjoy your stay!' }),
    });
    expect(edit.status).toBe(200);
    await jobs().drain();
    const all = await aiMessages(conversationId);
    const edited = all.find((m) => m.content.startsWith('The password is on the fridge door'));
    expect(edited!.metadata.edit).toMatchObject({ draft: second!.draftContent });
  });

  it('sends nothing for a rejected draft', async () => {
    const csm = await makeAgent(api.db, tenant.id, {
      name: 'CSM 2',
      escalationConfig: { approval: 'always' },
    });
    const conversationId = await openConversation(api.db, tenant.id, csm.channelId);
    await receive(conversationId, 'Where can I park?');
    const [draft] = await inTenant((tx) =>
      tx.select().from(approvals).where(eq(approvals.conversationId, conversationId)),
    );
    const res = await api.fetch(`/v1/approvals/${draft!.id}/reject`, {
      method: 'POST',
      token: tenant.keys.agent,
      body: '{}',
    });
    expect(res.status).toBe(200);
    await jobs().send('responder.deliver-approval', { tenantId: tenant.id, approvalId: draft!.id });
    await jobs().drain();
    expect(await aiMessages(conversationId)).toHaveLength(0);
  });
});
