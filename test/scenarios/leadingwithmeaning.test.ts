/**
 * Coaching (leadingwithmeaning, seed 001) end to end with an OpenAI-compatible model (a local
 * fake that checks the key and the payload) answering clients by SMS: every model call is a
 * usage event, and the tenant's usage events sum exactly the tokens the model reported, which
 * are also the tokens recorded on the AI messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChat, startFakeChat } from '../fakes/openai-chat.js';
import { FakeTwilio } from '../fakes/twilio.js';
import type { TestTenant } from '../helpers/api.js';
import { addAgentChannel, get, settle, setUpResponder, useScenario } from './scenario.js';

const { api, config } = useScenario('2026-04-20T14:00:00Z', { FRONTDESK_CHAT: 'openai' });
const twilio = new FakeTwilio();
const NUMBER = '+15550100888';
const KEY = 'sk-coach-test';
let chat: FakeChat;
let tenant: TestTenant;

beforeAll(async () => {
  await twilio.start();
  chat = await startFakeChat({ apiKey: KEY });
  config.providers.twilio = twilio.url;
  config.chat = { provider: 'openai', url: chat.url, apiKey: KEY, model: 'gpt-4o-mini' };
  const setup = await setUpResponder(
    api,
    { type: 'success', confidenceThreshold: 0.7, escalationCategories: ['emergency', 'refund'] },
    [
      ['How do I book a coaching session?', 'Book sessions from your client portal under Sessions → Book.'],
      ['How long is the coaching program?', 'The program runs 12 weeks with 6 one-to-one sessions.'],
    ],
  );
  tenant = setup.tenant;
  await addAgentChannel(api, tenant.id, {
    kind: 'sms',
    name: 'Client SMS',
    externalAccountId: NUMBER,
    agentId: setup.agentId,
    secrets: { accountSid: twilio.accountSid, authToken: twilio.authToken },
  });
});
afterAll(async () => {
  await twilio.close();
  await chat.close();
});

describe('leadingwithmeaning: usage of the model', () => {
  it('sums the tokens of its model calls in its usage events', async () => {
    const url = `${api.url}/v1/inbound/twilio`;
    const clients = ['+15550161001', '+15550161002', '+15550161003'];
    const questions = [
      'How do I book a coaching session?',
      'How long is the coaching program?',
      'How do I book?',
    ];
    for (const [i, body] of questions.entries()) {
      const res = await fetch(url, twilio.incoming(url, { From: clients[i]!, To: NUMBER, Body: body }).init);
      expect(res.status).toBe(200);
      await settle(api);
    }
    expect(chat.requests).toHaveLength(3);
    expect(chat.requests.every((r) => r.model === 'gpt-4o-mini')).toBe(true);
    expect(twilio.sent).toHaveLength(3);

    const events = (await get(api, tenant.keys.admin, '/v1/usage-events?eventType=llm.completion'))
      .data as Array<{
      tokensInput: number;
      tokensOutput: number;
      tokensTotal: number;
      costMicros: number;
      model: string;
    }>;
    const reported = chat.usage.reduce((n, u) => n + u.prompt_tokens + u.completion_tokens, 0);
    expect(events).toHaveLength(3);
    expect(events.reduce((n, e) => n + e.tokensTotal, 0)).toBe(reported);
    expect(events.reduce((n, e) => n + e.tokensInput, 0)).toBe(
      chat.usage.reduce((n, u) => n + u.prompt_tokens, 0),
    );
    expect(events.every((e) => e.model === 'gpt-4o-mini-2024-07-18' && e.costMicros > 0)).toBe(true);

    const answers = (await get(api, tenant.keys.viewer, '/v1/messages?role=assistant')).data as Array<{
      tokensIn: number;
      tokensOut: number;
    }>;
    expect(answers.reduce((n, m) => n + m.tokensIn + m.tokensOut, 0)).toBe(reported);
    // Another tenant's usage is its own.
    const other = await setUpResponder(api, {}, []);
    expect((await get(api, other.tenant.keys.admin, '/v1/usage-events')).data).toEqual([]);
  });
});
