/**
 * Chat providers: what turns a question, the retrieved passages, the agent's prompt and the
 * conversation so far into an answer with a confidence. `offline` (the default: no keys, no
 * network) answers extractively; `openai` speaks the OpenAI-compatible /v1/chat/completions API.
 */
import type { Passage } from './retriever.js';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatInput {
  /** The agent's model (agents.model_config.model) or the configured default. */
  model: string | undefined;
  temperature?: number;
  /** The published prompt version and the brand voice, already combined. */
  systemPrompt: string;
  history: ChatTurn[];
  question: string;
  passages: Passage[];
}

export interface ChatOutput {
  /** Empty when the provider found nothing to say. */
  text: string;
  model: string;
  /** 0–1: how well the passages support the answer. */
  confidence: number;
  /** Indexes into `passages` of what the answer rests on. */
  cited: number[];
  usage: { inputTokens: number; outputTokens: number };
}

export interface ChatProvider {
  readonly name: string;
  complete(input: ChatInput): Promise<ChatOutput>;
}

/** The passages as the model sees them: numbered, so it can cite [1], [2]… */
export function numberedPassages(passages: Passage[]): string {
  return passages
    .map((p, i) => `[${i + 1}] ${p.title}\n${p.question ? `Q: ${p.question}\nA: ` : ''}${p.content}`)
    .join('\n\n');
}
