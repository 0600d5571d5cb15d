/**
 * Analytics rows derived from generated threads, the way the analytics rollup would compute
 * them: per-conversation metrics, per-day totals in the tenant's time zone, and metered usage
 * for every AI reply.
 */
import {
  conversationMetrics as conversationMetricsTable,
  dailyMetrics as dailyMetricsTable,
  type NewConversationMetrics,
  type NewDailyMetrics,
} from '../domains/analytics/tables.js';
import { conversations, messages } from '../domains/conversations/tables.js';
import { type NewUsageEvent, usageEvents } from '../domains/ops/tables.js';
import { localDate, plusSeconds } from './clock.js';
import type { DemoContext } from './context.js';
import type { Rng } from './ids.js';
import type { Thread } from './threads.js';

type Row<T> = Omit<T, 'tenantId'>;

/** Price per 1,000 tokens in micros (1 cent = 10,000 micros): [input, output]. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4o-mini': [150, 600],
  'gpt-4o': [2_500, 10_000],
  'claude-3-5-haiku': [800, 4_000],
  'claude-3-5-sonnet': [3_000, 15_000],
};

export function costMicros(model: string, tokensIn: number, tokensOut: number): number {
  const [pin, pout] = PRICES[model] ?? [1_000, 2_000];
  return Math.round((tokensIn * pin + tokensOut * pout) / 1000);
}

const seconds = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000));
const isEscalated = (t: Thread) => (t.conversation.tags ?? []).includes('escalated');

/** One conversation_metrics row per thread. */
export function conversationMetrics(
  threads: readonly Thread[],
  rng: Rng,
  id: (name: string, at: Date) => string,
): Row<NewConversationMetrics>[] {
  return threads.map((t) => {
    const c = t.conversation;
    const msgs = t.messages.filter((m) => !m.isInternal);
    const responses: number[] = [];
    for (let i = 1; i < msgs.length; i++) {
      if (msgs[i]!.role !== 'user' && msgs[i - 1]!.role === 'user')
        responses.push(seconds(msgs[i - 1]!.createdAt, msgs[i]!.createdAt));
    }
    const first = msgs[0]!.createdAt;
    const last = msgs[msgs.length - 1]!.createdAt;
    const humans = msgs.filter((m) => m.role === 'agent').length;
    const done = c.status === 'resolved' || c.status === 'closed';
    const resolutionType = c.status === 'archived' ? 'abandoned' : done ? (humans ? 'human' : 'ai') : null;
    const at = plusSeconds(c.resolvedAt ?? last, 300);
    return {
      id: id(`metrics:${c.id}`, at),
      conversationId: c.id,
      agentId: c.agentId ?? null,
      resolutionType,
      messagesCount: msgs.length,
      aiMessagesCount: msgs.filter((m) => m.role === 'assistant').length,
      humanMessagesCount: humans,
      contactMessagesCount: msgs.filter((m) => m.role === 'user').length,
      firstResponseSeconds: responses[0] ?? null,
      responseTimeAvgSeconds: responses.length
        ? Math.round(responses.reduce((s, r) => s + r, 0) / responses.length)
        : null,
      resolutionSeconds: c.resolvedAt ? seconds(first, c.resolvedAt) : null,
      durationSeconds: seconds(first, last),
      satisfactionScore: done && rng.chance(0.7) ? rng.weighted(SATISFACTION) : null,
      escalated: isEscalated(t),
      createdAt: at,
      updatedAt: at,
    };
  });
}

const SATISFACTION = [
  [5, 50],
  [4, 30],
  [3, 12],
  [2, 5],
  [1, 3],
] as const;

/** One usage event per AI reply (`llm.completion`), with tokens, model and cost. */
export function usageFromThreads(
  threads: readonly Thread[],
  id: (name: string, at: Date) => string,
): Row<NewUsageEvent>[] {
  return threads.flatMap((t) =>
    t.messages
      .filter((m) => m.role === 'assistant' && m.model)
      .map((m) => {
        const tokensIn = m.tokensIn ?? 0;
        const tokensOut = m.tokensOut ?? 0;
        return {
          id: id(`usage:${m.id}`, m.createdAt),
          eventType: 'llm.completion',
          eventData: { messageId: m.id, channel: t.channel?.kind ?? 'none' },
          model: m.model!,
          tokensInput: tokensIn,
          tokensOutput: tokensOut,
          tokensTotal: tokensIn + tokensOut,
          costMicros: costMicros(m.model!, tokensIn, tokensOut),
          conversationId: t.conversation.id,
          agentId: t.conversation.agentId ?? null,
          createdAt: m.createdAt,
        };
      }),
  );
}

/** daily_metrics rows: one per day with conversations, dated in the tenant's time zone. */
export function dailyMetrics(
  threads: readonly Thread[],
  metrics: ReadonlyArray<Row<NewConversationMetrics>>,
  timeZone: string,
  id: (name: string, at: Date) => string,
): Row<NewDailyMetrics>[] {
  const byConversation = new Map(metrics.map((m) => [m.conversationId, m]));
  const days = new Map<string, Thread[]>();
  for (const t of threads) {
    const date = localDate(timeZone, t.conversation.startedAt);
    days.set(date, [...(days.get(date) ?? []), t]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, list]) => {
      const ms = list.map((t) => byConversation.get(t.conversation.id)!);
      const responses = ms.map((m) => m.responseTimeAvgSeconds).filter((v): v is number => v != null);
      const scores = ms.map((m) => m.satisfactionScore).filter((v): v is number => v != null);
      const ai = list.flatMap((t) => t.messages.filter((m) => m.role === 'assistant' && m.model));
      const at = new Date(`${date}T23:59:00Z`);
      return {
        id: id(`daily:${date}`, at),
        date,
        conversationsTotal: list.length,
        conversationsResolved: list.filter((t) => t.conversation.resolvedAt).length,
        conversationsEscalated: ms.filter((m) => m.escalated).length,
        messagesTotal: ms.reduce((s, m) => s + (m.messagesCount ?? 0), 0),
        avgResponseSeconds: responses.length
          ? Math.round(responses.reduce((s, r) => s + r, 0) / responses.length)
          : null,
        avgSatisfaction: scores.length
          ? Math.round((scores.reduce((s, r) => s + r, 0) / scores.length) * 100) / 100
          : null,
        tokensTotal: ai.reduce((s, m) => s + (m.tokensIn ?? 0) + (m.tokensOut ?? 0), 0),
        costMicros: ai.reduce((s, m) => s + costMicros(m.model!, m.tokensIn ?? 0, m.tokensOut ?? 0), 0),
        createdAt: at,
        updatedAt: at,
      };
    });
}

/**
 * Writes threads and everything derived from them: conversations, messages, conversation and
 * daily metrics, and usage events. Returns the metrics so callers can refer to them.
 */
export async function writeThreads(ctx: DemoContext, threads: readonly Thread[], timeZone: string) {
  const metrics = conversationMetrics(threads, ctx.rng, ctx.id);
  await ctx.write.insert(
    conversations,
    threads.map((t) => t.conversation),
  );
  await ctx.write.insert(
    messages,
    threads.flatMap((t) => t.messages),
  );
  await ctx.write.insert(conversationMetricsTable, metrics);
  await ctx.write.insert(dailyMetricsTable, dailyMetrics(threads, metrics, timeZone, ctx.id));
  await ctx.write.insert(usageEvents, usageFromThreads(threads, ctx.id));
  return metrics;
}
