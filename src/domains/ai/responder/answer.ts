/**
 * Composing an answer: the unanswered messages of a conversation as the question, the earlier
 * turns as history, passages from the retriever, the agent's prompt and brand voice, then the chat
 * provider. Every model call is metered as a usage event (tokens, model, cost) by the caller.
 */
import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import type { Platform } from '../../../platform/jobs.js';
import { type Citation, type Message, messages } from '../../conversations/threads.js';
import type { Evidence } from '../../knowledge/rank.js';
import type { ChatOutput, ChatProvider, ChatTurn } from './chat.js';
import { answerConfidence } from './confidence.js';
import { type ResponderContext, systemPromptOf } from './context.js';
import { costMicros } from './pricing.js';
import type { Passage, Retriever } from './retriever.js';

/** How many earlier messages go to the model as history. */
const HISTORY = 10;

export interface Thread {
  /** The contact's messages since the last reply (what the answer must address). */
  unanswered: Message[];
  history: ChatTurn[];
  /** The latest non-internal message of the conversation. */
  last: Message | undefined;
}

/** Splits the visible messages of a conversation into history and the unanswered tail. */
export async function readThread(tx: Tx, conversationId: string): Promise<Thread> {
  const all = (
    await tx
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.createdAt))
  ).filter((m) => !m.isInternal && m.type !== 'system_event');
  let cut = all.length;
  while (cut > 0 && all[cut - 1]!.role === 'user') cut--;
  const history = all
    .slice(Math.max(0, cut - HISTORY), cut)
    .filter((m) => m.role === 'user' || m.role === 'assistant' || m.role === 'agent')
    .map((m): ChatTurn => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.content }));
  return { unanswered: all.slice(cut), history, last: all.at(-1) };
}

export interface Answer extends ChatOutput {
  /** The chat provider's own judgement, before it is combined with the search's evidence. */
  providerConfidence: number;
  evidence: Evidence | undefined;
  citations: Citation[];
  passages: Passage[];
  promptVersionId: string | null;
  costMicros: number;
}

export interface Ask {
  question: string;
  history: ChatTurn[];
  systemPrompt: string;
  model: string | undefined;
  temperature?: number;
}

/**
 * One question answered: retrieval, the chat provider, citations and the confidence combining
 * the search's evidence with the provider's judgement (confidence.ts). The eval calls this too.
 */
export async function answerQuestion(
  platform: Platform,
  deps: { retriever: Retriever; chat: ChatProvider },
  tenantId: string,
  ask: Ask,
): Promise<Omit<Answer, 'promptVersionId' | 'costMicros'>> {
  const { passages, evidence } = await deps.retriever.retrieve(platform, tenantId, ask.question, { k: 5 });
  const output = await deps.chat.complete({ ...ask, passages });
  const citations = output.cited
    .map((i) => passages[i])
    .filter((p): p is Passage => p !== undefined)
    .map((p) => ({
      sourceId: p.sourceId,
      ...(p.chunkId ? { chunkId: p.chunkId } : {}),
      title: p.title,
      score: Math.round(p.score * 1000) / 1000,
    }));
  return {
    ...output,
    confidence: output.text
      ? confidenceOf(deps.chat.name, passages[output.cited[0] ?? -1], evidence, output.confidence)
      : 0,
    providerConfidence: output.confidence,
    evidence,
    citations,
    passages,
  };
}

/**
 * An answer taken from an FAQ entry (a question-shaped passage: the offline provider's judgement
 * is how well its own question matches; a model's is its reading of it) is as sure as that
 * judgement. Otherwise a language model reads the passages and judges whether they answer the
 * question, which the evidence cannot: its judgement weighs 0.7 and the evidence's score 0.3, so
 * the evidence tempers an overconfident model. (Not fitted: the weights were fitted with the
 * offline provider; `FRONTDESK_CHAT=openai … npm run eval:helpcenters` measures a real model.)
 * The offline provider's answers stand on the search's evidence.
 */
function confidenceOf(
  provider: string,
  cited: Passage | undefined,
  evidence: Evidence | undefined,
  judgement: number,
): number {
  const fromEvidence = answerConfidence(evidence, judgement);
  if (cited?.question) return Math.max(fromEvidence, judgement);
  if (provider !== 'offline' && evidence)
    return Math.round((0.7 * judgement + 0.3 * fromEvidence) * 1000) / 1000;
  return fromEvidence;
}

export async function composeAnswer(
  platform: Platform,
  deps: { retriever: Retriever; chat: ChatProvider },
  tenantId: string,
  ctx: ResponderContext,
  thread: Thread,
): Promise<Answer> {
  const modelConfig = ctx.agent.modelConfig;
  const answer = await answerQuestion(platform, deps, tenantId, {
    model: typeof modelConfig.model === 'string' ? modelConfig.model : platform.config.chat.model,
    ...(typeof modelConfig.temperature === 'number' ? { temperature: modelConfig.temperature } : {}),
    systemPrompt: systemPromptOf(ctx),
    history: thread.history,
    question: thread.unanswered.map((m) => m.content).join('\n'),
  });
  return {
    ...answer,
    promptVersionId: ctx.prompt?.id ?? null,
    costMicros: costMicros(answer.model, answer.usage, modelConfig.pricing),
  };
}

/** What an AI message (or draft) records about how it was produced. */
export function provenanceOf(answer: Answer) {
  return {
    citations: answer.citations,
    promptVersionId: answer.promptVersionId,
    model: answer.model,
    confidence: answer.confidence,
    tokensIn: answer.usage.inputTokens,
    tokensOut: answer.usage.outputTokens,
  };
}
export type Provenance = ReturnType<typeof provenanceOf>;
