/**
 * The offline chat provider: answers with the passage that best covers the question (the FAQ
 * answer, or the best sentences of a knowledge chunk), never inventing text. Its confidence is
 * how much of the question the passage covers, so an unanswerable question scores low and is
 * handed to a human by the policy.
 */
import type { ChatInput, ChatOutput, ChatProvider } from './chat.js';
import type { Passage } from './retriever.js';
import { wordSet } from './words.js';

export const OFFLINE_MODEL = 'offline-extractive';

/** Rough token count (≈ 4 characters a token), so usage figures exist without a tokenizer. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const overlap = (a: Set<string>, b: Set<string>): number => {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
};

/** How well `passage` answers a question with content words `q` (0–1). */
export function support(q: Set<string>, passage: Passage): number {
  if (q.size === 0) return 0;
  const body = wordSet(`${passage.question ?? ''} ${passage.title} ${passage.content}`);
  const coverage = overlap(q, body) / q.size;
  if (!passage.question) return coverage * 0.9;
  // A FAQ whose own question matches is the surest answer there is.
  const fq = wordSet(passage.question);
  const precision = fq.size === 0 ? 0 : overlap(q, fq) / fq.size;
  // Guests add context ("…when we arrive on Friday"), so matching the FAQ's own question counts most.
  return Math.min(1, 0.4 * coverage + 0.6 * precision + (precision >= 0.5 && coverage >= 0.3 ? 0.1 : 0));
}

/** The sentences of a chunk that share most words with the question (at most two, in order). */
function bestSentences(q: Set<string>, content: string): string {
  const sentences = content
    .match(/[^.!?\n]+[.!?]?/g)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [content];
  const scored = sentences.map((s, i) => ({ s, i, n: overlap(q, wordSet(s)) }));
  const top = scored
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .slice(0, 2)
    .sort((a, b) => a.i - b.i);
  return (top.length > 0 ? top : scored.slice(0, 1)).map((x) => x.s).join(' ');
}

export const offlineChat: ChatProvider = {
  name: 'offline',
  async complete(input: ChatInput): Promise<ChatOutput> {
    const q = wordSet(input.question);
    let best = -1;
    let bestScore = 0;
    input.passages.forEach((p, i) => {
      const s = support(q, p);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    const passage = input.passages[best];
    const text = passage ? (passage.question ? passage.content : bestSentences(q, passage.content)) : '';
    const prompt = [input.systemPrompt, ...input.history.map((t) => t.content), input.question].join('\n');
    return {
      text,
      model: OFFLINE_MODEL,
      confidence: Math.round(bestScore * 1000) / 1000,
      cited: passage ? [best] : [],
      usage: {
        inputTokens: estimateTokens(prompt) + (passage ? estimateTokens(passage.content) : 0),
        outputTokens: estimateTokens(text),
      },
    };
  },
};
