import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChat, startFakeChat } from '../../../../test/fakes/openai-chat.js';
import { ChatProviderError, openAiChat } from './openai-chat.js';
import { costMicros } from './pricing.js';

let fake: FakeChat;
beforeAll(async () => {
  fake = await startFakeChat({ apiKey: 'sk-test-123' });
});
afterAll(() => fake.close());

const input = {
  model: 'gpt-4o-mini',
  temperature: 0.1,
  systemPrompt: 'You are Mark from Paradise Stays.',
  history: [
    { role: 'user' as const, content: 'Hi' },
    { role: 'assistant' as const, content: 'Hello! How can I help?' },
  ],
  question: 'Where do I park?',
  passages: [
    {
      sourceId: '01950000-0000-7000-8000-000000000001',
      title: 'Parking',
      kind: 'faq',
      question: 'Where can I park?',
      content: 'Free parking is in the garage, space 12.',
      score: 0.8,
    },
  ],
};

describe('OpenAI-compatible chat provider', () => {
  it('sends the prompt, passages, history and question with the Bearer key and reads answer, confidence, sources and usage', async () => {
    const chat = openAiChat({ url: fake.url, apiKey: 'sk-test-123', defaultModel: 'gpt-4o' });
    const out = await chat.complete(input);
    expect(out).toMatchObject({
      text: 'Free parking is in the garage, space 12.',
      confidence: 0.92,
      cited: [0],
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: fake.usage[0]!.prompt_tokens, outputTokens: fake.usage[0]!.completion_tokens },
    });
    const sent = fake.requests.at(-1)!;
    expect(sent.model).toBe('gpt-4o-mini');
    expect(sent.temperature).toBe(0.1);
    expect(sent.response_format).toEqual({ type: 'json_object' });
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent.messages[0]!.content).toContain('You are Mark from Paradise Stays.');
    expect(sent.messages[0]!.content).toContain('[1] Parking');
    expect(sent.messages.at(-1)!.content).toBe('Where do I park?');
  });

  it('uses the default model when the agent names none, and answers nothing without passages', async () => {
    const chat = openAiChat({ url: fake.url, apiKey: 'sk-test-123', defaultModel: 'gpt-4o' });
    const out = await chat.complete({ ...input, model: undefined, passages: [] });
    expect(fake.requests.at(-1)!.model).toBe('gpt-4o');
    expect(out).toMatchObject({ text: '', confidence: 0, cited: [] });
  });

  it('fails with the provider status on a wrong key', async () => {
    const chat = openAiChat({ url: fake.url, apiKey: 'sk-wrong', defaultModel: 'gpt-4o' });
    await expect(chat.complete(input)).rejects.toThrow(ChatProviderError);
    await expect(chat.complete(input)).rejects.toThrow(/401/);
  });
});

describe('costMicros', () => {
  it('prices dated model names by their family and rounds up', () => {
    // 1,000 × 0.15 + 100 × 0.6 = 210 micros.
    expect(costMicros('gpt-4o-mini-2024-07-18', { inputTokens: 1000, outputTokens: 100 })).toBe(210);
    expect(costMicros('gpt-4o', { inputTokens: 1, outputTokens: 0 })).toBe(3);
    expect(costMicros('offline-extractive', { inputTokens: 1000, outputTokens: 100 })).toBe(0);
    expect(
      costMicros(
        'my-llama',
        { inputTokens: 1000, outputTokens: 1000 },
        { inputPerMillion: 1, outputPerMillion: 2 },
      ),
    ).toBe(3000);
  });
});
