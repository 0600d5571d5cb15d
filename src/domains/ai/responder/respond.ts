/**
 * Answering a conversation now: compose the answer, meter the model call, and by confidence send
 * it, draft it for approval, or hand the conversation to a human. Used for immediate replies and
 * for released holds; a hold is finalised in the same transaction as the outcome.
 */

import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { tellVisitorHandedOff } from '../../channels/widget-notices.js';
import { conversations, messages } from '../../conversations/threads.js';
import { approvals } from '../../conversations/workflow.js';
import { emitEvent } from '../../ops/events.js';
import { usageEvents } from '../../ops/tables.js';
import { budgetExhausted, noticeThresholds, tokenBudget } from '../../plans/budget.js';
import { isBlocked } from '../../plans/status.js';
import { tenantPlan } from '../../plans/usage.js';
import { type Answer, composeAnswer, provenanceOf, readThread, type Thread } from './answer.js';
import { loadContext, type ResponderContext } from './context.js';
import { note, type Outcome, type ResponderDeps } from './outcome.js';
import { gateAnswer, HANDOFF_FLOOR, silenceReason } from './policy.js';
import { replyHolds } from './tables.js';

/** How long a draft waits for a human before it expires. */
export const APPROVAL_TTL_MS = 24 * 3_600_000;

async function finishHold(
  tx: Tx,
  holdId: string | null,
  status: 'released' | 'cancelled',
  outcome: string,
  at: Date,
) {
  if (!holdId) return;
  await tx
    .update(replyHolds)
    .set({ status, outcome, resolvedAt: at, updatedAt: at })
    .where(eq(replyHolds.id, holdId));
}

async function meter(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  agentId: string,
  answer: Answer,
  at: Date,
) {
  await tx.insert(usageEvents).values({
    tenantId,
    eventType: 'llm.completion',
    model: answer.model,
    tokensInput: answer.usage.inputTokens,
    tokensOutput: answer.usage.outputTokens,
    tokensTotal: answer.usage.inputTokens + answer.usage.outputTokens,
    costMicros: answer.costMicros,
    conversationId,
    agentId,
    eventData: { promptVersionId: answer.promptVersionId, confidence: answer.confidence },
    createdAt: at,
  });
}

type Start = { outcome: Outcome | null; ctx: ResponderContext | null; thread: Thread };

export async function respond(
  platform: AppPlatform,
  deps: ResponderDeps,
  tenantId: string,
  conversationId: string,
  messageId: string,
  holdId: string | null,
): Promise<Outcome> {
  const start = await withTenant(platform.db, tenantId, (tx) =>
    checkBeforeAnswering(tx, tenantId, conversationId, messageId, holdId, platform.clock.now()),
  );
  if (start.outcome || !start.ctx) return start.outcome!;
  const { ctx, thread } = start;
  const answer = await composeAnswer(platform, deps, tenantId, ctx, thread);
  const gate = gateAnswer(ctx.policy, answer);
  const latest = thread.unanswered.at(-1)!;
  const sent =
    gate === 'send'
      ? await deps.outbound.sendMessage(platform, tenantId, {
          conversationId,
          body: answer.text,
          senderType: 'ai',
          metadata: { responder: { inReplyTo: latest.id, messagesAnswered: thread.unanswered.length } },
        })
      : null;
  return withTenant(platform.db, tenantId, (tx) =>
    recordOutcome(
      tx,
      { tenantId, conversationId, holdId, ctx, thread, answer, gate, sent },
      platform.clock.now(),
    ),
  );
}

/**
 * The checks before any model is called, in the reply's first transaction: someone must still be
 * waiting for an answer, an agent must answer this conversation, the tenant must be serving and its
 * token budget not spent. Returns the outcome when the reply stops here.
 */
async function checkBeforeAnswering(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  messageId: string,
  holdId: string | null,
  now: Date,
): Promise<Start> {
  const ctx = await loadContext(tx, conversationId);
  const thread = await readThread(tx, conversationId);
  let cancel: string | null = null;
  if (!ctx) cancel = 'no agent answers this conversation';
  else if (thread.unanswered.length === 0) {
    cancel = thread.last?.role === 'agent' ? 'human_answered' : 'already_answered';
  } else cancel = silenceReason(ctx.policy, ctx.conversation, ctx.propertyAutoReply);
  if (cancel) {
    const outcome: Outcome = { kind: 'cancelled', reason: cancel };
    // No agent will ever answer: a widget visitor is told a person will (widget settings).
    if (!ctx) await tellVisitorHandedOff(tx, tenantId, conversationId, now);
    await finishHold(tx, holdId, 'cancelled', cancel, now);
    await note(tx, messageId, outcome, now, ctx?.prompt?.id ?? null);
    return { outcome, ctx: null, thread };
  }
  // A stopped tenant's held replies are not sent (plans/status.ts).
  const plan = await tenantPlan(tx);
  const status = plan.tenant.subscriptionStatus;
  if (isBlocked(status)) {
    const outcome: Outcome = { kind: 'cancelled', reason: `tenant_${status}` };
    await finishHold(tx, holdId, 'cancelled', outcome.reason, now);
    await note(tx, messageId, outcome, now, ctx!.prompt?.id ?? null);
    return { outcome, ctx: null, thread };
  }
  // The plan's token budget is checked before any model is called.
  const budget = await tokenBudget(tx, now, plan);
  if (!budget.exhausted) return { outcome: null, ctx: ctx!, thread };
  const outcome: Outcome = {
    kind: 'handed_off',
    reason: 'token_budget',
    used: budget.used,
    allowed: budget.limit!,
    period: budget.period,
  };
  const latest = thread.unanswered.at(-1)!;
  await handOffForBudget(tx, tenantId, ctx!.conversation.id, ctx!.conversation.channelId, now);
  await budgetExhausted(tx, tenantId, budget, now, {
    conversationId: ctx!.conversation.id,
    messageId: latest.id,
    channelId: ctx!.conversation.channelId,
    accountId: ctx!.conversation.accountId,
  });
  await finishHold(tx, holdId, 'released', outcome.kind, now);
  for (const m of thread.unanswered) await note(tx, m.id, outcome, now, ctx!.prompt?.id ?? null);
  return { outcome, ctx: null, thread };
}

type Composed = {
  tenantId: string;
  conversationId: string;
  holdId: string | null;
  ctx: ResponderContext;
  thread: Thread;
  answer: Answer;
  gate: ReturnType<typeof gateAnswer>;
  sent: { messageId: string } | null;
};

/**
 * The reply's second transaction: meter the model call, then record what was done with the
 * answer (sent, drafted for approval or handed off) and the evidence behind it on every message
 * it answers.
 */
async function recordOutcome(tx: Tx, c: Composed, now: Date): Promise<Outcome> {
  const { tenantId, conversationId, ctx, answer } = c;
  await meter(tx, tenantId, conversationId, ctx.agent.id, answer, now);
  await noticeThresholds(tx, tenantId, await tokenBudget(tx, now), now);
  let outcome: Outcome;
  if (c.sent) {
    await tx.update(messages).set(provenanceOf(answer)).where(eq(messages.id, c.sent.messageId));
    outcome = { kind: 'sent', messageId: c.sent.messageId, confidence: answer.confidence };
  } else if (c.gate === 'draft') {
    const approvalId = await draftForApproval(tx, c, now);
    outcome = { kind: 'drafted', approvalId, confidence: answer.confidence };
  } else {
    await handOff(tx, tenantId, conversationId, answer, now);
    outcome = { kind: 'handed_off', confidence: answer.confidence };
  }
  await finishHold(tx, c.holdId, 'released', outcome.kind, now);
  const evidence = {
    confidence: answer.confidence,
    providerConfidence: answer.providerConfidence,
    threshold: ctx.policy.confidenceThreshold,
    handoffFloor: HANDOFF_FLOOR,
    ...(answer.evidence ?? {}),
  };
  for (const m of c.thread.unanswered) await note(tx, m.id, outcome, now, answer.promptVersionId, evidence);
  return outcome;
}

/** A draft waiting for a human's approval, and the event that announces it. */
async function draftForApproval(tx: Tx, c: Composed, now: Date): Promise<string> {
  const { tenantId, conversationId, ctx, answer } = c;
  const [approval] = await tx
    .insert(approvals)
    .values({
      tenantId,
      conversationId,
      messageId: c.thread.unanswered.at(-1)!.id,
      agentId: ctx.agent.id,
      action: 'send_reply',
      details: `AI draft (confidence ${answer.confidence}) awaiting approval`,
      draftContent: answer.text,
      expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS),
      metadata: { provenance: provenanceOf(answer) },
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: approvals.id });
  await emitEvent(tx, tenantId, 'approval.requested', { id: approval!.id, conversationId }, { at: now });
  return approval!.id;
}

/**
 * Hands the conversation to a human: it waits for the team, the AI stays silent until someone
 * releases it (clears `metadata.handoff`), and an internal note says why.
 */
async function handOff(tx: Tx, tenantId: string, conversationId: string, answer: Answer, at: Date) {
  // Below the floor, what the provider found is no answer at all.
  const reason = answer.text && answer.confidence >= HANDOFF_FLOOR ? 'low_confidence' : 'no_answer';
  await tx
    .update(conversations)
    .set({
      status: 'waiting',
      metadata: sql`${conversations.metadata} || jsonb_build_object('handoff', ${JSON.stringify({ reason, confidence: answer.confidence, at })}::jsonb)`,
      updatedAt: at,
    })
    .where(eq(conversations.id, conversationId));
  const [conversation] = await tx
    .select({ channelId: conversations.channelId })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  await tx.insert(messages).values({
    tenantId,
    conversationId,
    channelId: conversation?.channelId ?? null,
    role: 'system',
    content: `Handed to a human: ${reason === 'no_answer' ? 'no answer in the knowledge base' : `confidence ${answer.confidence} below the agent’s threshold`}.`,
    isInternal: true,
    createdAt: at,
    updatedAt: at,
  });
  await tellVisitorHandedOff(tx, tenantId, conversationId, at);
}

/** The budget's hand-off: like a low-confidence one, with the reason the team sees. */
async function handOffForBudget(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  channelId: string | null,
  at: Date,
) {
  await tx
    .update(conversations)
    .set({
      status: 'waiting',
      metadata: sql`${conversations.metadata} || jsonb_build_object('handoff', ${JSON.stringify({ reason: 'token_budget', at })}::jsonb)`,
      updatedAt: at,
    })
    .where(eq(conversations.id, conversationId));
  await tx.insert(messages).values({
    tenantId,
    conversationId,
    channelId,
    role: 'system',
    content: 'Handed to a human: the plan’s monthly AI token budget is used up.',
    isInternal: true,
    createdAt: at,
    updatedAt: at,
  });
}
