/**
 * Support widget (parcelpoint, seed 004) end to end: the widget's greeting opens a conversation;
 * a visitor's question is answered in the widget with citations on the stored answer and the
 * decision's evidence on the question; an unanswerable one gets no AI reply but the widget's
 * hand-off message, and the conversation is handed to a human.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestTenant } from '../helpers/api.js';
import { call, get, settle, setUpResponder, useScenario } from './scenario.js';

const { api } = useScenario('2026-09-14T17:00:00Z');
const SHOP = 'https://shop.parcelpoint.example';
let tenant: TestTenant;
let widgetKey = '';
let visitor = '';

beforeAll(async () => {
  const setup = await setUpResponder(
    api,
    { type: 'support', confidenceThreshold: 0.65, escalationCategories: ['refund', 'complaint'] },
    [
      [
        'How do I track my parcel?',
        'Follow your parcel live at parcelpoint.example/track with the number starting PP.',
      ],
      [
        'How do I return an item?',
        'Start your return at parcelpoint.example/returns to print a free prepaid label.',
      ],
    ],
  );
  tenant = setup.tenant;
  const channel = await call(api, tenant.keys.admin, 'POST', '/v1/channels', {
    kind: 'widget',
    name: 'Help centre widget',
    agentId: setup.agentId,
  });
  widgetKey = channel.widgetKey as string;
  await call(api, tenant.keys.admin, 'POST', '/v1/widget-settings', {
    allowedOrigins: [SHOP],
    behavior: {
      greeting: 'Hi! How can we help?',
      offlineMessage: 'We are offline — leave a message and we will email you.',
    },
  });
});

/** A new visitor on the shop's site (each has their own conversation). */
async function newVisitor(): Promise<void> {
  const session = await fetch(`${api.url}/v1/widget/${widgetKey}/sessions`, {
    method: 'POST',
    headers: { origin: SHOP },
  });
  expect(session.status).toBe(201);
  visitor = ((await session.json()) as { token: string }).token;
}

const widget = (path: string, body?: object) =>
  fetch(`${api.url}/v1/widget/${widgetKey}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      origin: SHOP,
      authorization: `Bearer ${visitor}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function ask(text: string): Promise<string> {
  const res = await widget('/messages', { text });
  expect(res.status).toBe(201);
  const { conversationId } = (await res.json()) as { conversationId: string };
  await settle(api);
  return conversationId;
}

const visible = async (conversationId: string) =>
  (
    (await (await widget(`/conversations/${conversationId}/messages`)).json()) as {
      data: Array<{ role: string; content: string }>;
    }
  ).data;

describe('parcelpoint: the help-centre widget', () => {
  it('answers a visitor’s question in the widget, with citations on the stored answer', async () => {
    await newVisitor();
    const conversationId = await ask('Hi, how can I track my parcel?');
    const seen = await visible(conversationId);
    // The widget's greeting (widget settings) opens the conversation, then the visitor, then the AI.
    expect(seen.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(seen[0]!.content).toBe('Hi! How can we help?');
    expect(seen[2]!.content).toContain('parcelpoint.example/track');
    const stored = await get(
      api,
      tenant.keys.viewer,
      `/v1/messages?conversationId=${conversationId}&role=assistant`,
    );
    const [answer] = stored.data as Array<Record<string, unknown>>;
    expect(answer!.citations).toEqual([expect.objectContaining({ title: 'How do I track my parcel?' })]);
    expect(answer).toMatchObject({ model: 'offline-extractive', deliveryStatus: 'sent' });
    expect(answer!.confidence).toBeGreaterThanOrEqual(0.65);
    // The decision and its evidence are kept on the visitor's message.
    const asked = await get(
      api,
      tenant.keys.viewer,
      `/v1/messages?conversationId=${conversationId}&role=user`,
    );
    const [question] = asked.data as Array<{ metadata: { responder: Record<string, unknown> } }>;
    expect(question!.metadata.responder).toMatchObject({
      kind: 'sent',
      evidence: {
        confidence: answer!.confidence,
        threshold: expect.any(Number),
        coverage: expect.any(Number),
        margin: expect.any(Number),
        unknownTerms: expect.any(Array),
      },
    });
  });

  it('hands an unanswerable question to a human: no AI reply, the conversation waits for the team', async () => {
    await newVisitor();
    const conversationId = await ask('Can you ship a live lobster to Canada?');
    // No AI answer: the visitor gets the widget's hand-off (offline) message instead of silence.
    const seen = await visible(conversationId);
    expect(seen.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(seen[2]!.content).toBe('We are offline — leave a message and we will email you.');
    const conversation = await get(api, tenant.keys.viewer, `/v1/conversations/${conversationId}`);
    expect(conversation.status).toBe('waiting');
    expect(conversation.metadata).toMatchObject({ handoff: { reason: 'no_answer' } });
    // Handed off: the AI stays silent on the next message too, until someone releases it.
    await widget('/messages', { text: 'How do I return an item?' });
    await settle(api);
    expect((await visible(conversationId)).map((m) => m.role)).toEqual([
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    // A team member gives it back to the AI: the next question is answered.
    const released = await call(
      api,
      tenant.keys.agent,
      'POST',
      `/v1/conversations/${conversationId}/release-to-ai`,
    );
    expect(released).toMatchObject({ status: 'active', assignedUserId: null });
    await widget('/messages', { text: 'How do I track my parcel?' });
    await settle(api);
    expect((await visible(conversationId)).map((m) => m.role)).toEqual([
      'assistant',
      'user',
      'assistant',
      'user',
      'user',
      'assistant',
    ]);
  });
});
