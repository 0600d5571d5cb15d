/**
 * OpenAI-compatible chat provider (POST {url}/chat/completions, Bearer key). The model is asked
 * for JSON `{answer, confidence, sources}` so that confidence and citations come back with the
 * text; usage tokens are taken from the response. The URL is operator configuration, not a
 * tenant's choice, so it may be private (a local model server).
 */
import { type ChatInput, type ChatOutput, type ChatProvider, numberedPassages } from './chat.js';

export interface OpenAiChatOptions {
  /** Base URL including `/v1`, e.g. https://api.openai.com/v1. */
  url: string;
  apiKey: string | undefined;
  defaultModel: string;
  timeoutMs?: number;
}

export class ChatProviderError extends Error {
  override name = 'ChatProviderError';
}

const INSTRUCTIONS = `Answer the customer's last message using only the numbered passages.
Reply with a JSON object: {"answer": string, "confidence": number between 0 and 1, "sources": array of passage numbers used}.
If the passages do not answer it, reply {"answer": "", "confidence": 0, "sources": []}.`;

interface Completion {
  model?: string;
  choices?: Array<{ message?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** Reads the model's JSON reply; a plain-text reply is kept as the answer with middling confidence. */
function parseReply(
  content: string,
  passageCount: number,
): Pick<ChatOutput, 'text' | 'confidence' | 'cited'> {
  try {
    const json = JSON.parse(content) as { answer?: unknown; confidence?: unknown; sources?: unknown };
    const text = typeof json.answer === 'string' ? json.answer.trim() : '';
    const confidence =
      typeof json.confidence === 'number' && Number.isFinite(json.confidence)
        ? Math.min(1, Math.max(0, json.confidence))
        : 0.5;
    const cited = Array.isArray(json.sources)
      ? json.sources
          .filter((n): n is number => Number.isInteger(n) && n >= 1 && n <= passageCount)
          .map((n) => n - 1)
      : [];
    return { text, confidence: text ? confidence : 0, cited: [...new Set(cited)] };
  } catch {
    return { text: content.trim(), confidence: 0.5, cited: [] };
  }
}

export function openAiChat(options: OpenAiChatOptions): ChatProvider {
  const endpoint = `${options.url.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: 'openai',
    async complete(input: ChatInput): Promise<ChatOutput> {
      const model = input.model ?? options.defaultModel;
      const body = {
        model,
        temperature: input.temperature ?? 0.2,
        response_format: { type: 'json_object' },
        messages: [
          {
            role: 'system',
            content: `${input.systemPrompt}\n\n${INSTRUCTIONS}\n\nPassages:\n${numberedPassages(input.passages)}`,
          },
          ...input.history,
          { role: 'user', content: input.question },
        ],
      };
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      if (!res.ok) {
        throw new ChatProviderError(
          `chat provider answered ${res.status}: ${(await res.text()).slice(0, 300)}`,
        );
      }
      const completion = (await res.json()) as Completion;
      const content = completion.choices?.[0]?.message?.content ?? '';
      return {
        ...parseReply(content, input.passages.length),
        model: completion.model ?? model,
        usage: {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        },
      };
    },
  };
}
