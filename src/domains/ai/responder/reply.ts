/**
 * The responder, message by message (the `responder.reply` job):
 *
 * 1. an inbound message in an escalation category is escalated, never answered;
 * 2. the AI stays silent when auto-reply is off or a human has the conversation (handoff);
 * 3. a reply due later (response delay, quiet hours) is held: one hold per conversation, which a
 *    new guest message pushes back and merges into, and a human reply cancels;
 * 4. otherwise (or when the hold is released) the answer is composed and, by confidence, sent,
 *    drafted for approval, or the conversation handed to a human.
 *
 * The decision is written on the inbound message (`metadata.responder`) so it can be explained.
 */

import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { tellVisitorHandedOff } from '../../channels/widget-notices.js';
import { type Message, messages } from '../../conversations/threads.js';
import { classifyMessage } from './classify.js';
import { loadContext, type ResponderContext } from './context.js';
import { openEscalation } from './escalate.js';
import { note, type Outcome, type ResponderDeps } from './outcome.js';
import { escalationFor, replyAt, silenceReason } from './policy.js';
import { respond } from './respond.js';
import { replyHolds } from './tables.js';

/** Why a message got no reply when no agent answers its conversation (triage.ts decides it in bulk). */
export const NO_AGENT = 'no agent answers this conversation';

/** Handles one inbound message (the `responder.reply` job). */
export async function replyToMessage(
  platform: AppPlatform,
  deps: ResponderDeps,
  tenantId: string,
  messageId: string,
): Promise<Outcome> {
  const now = platform.clock.now();
  await platform.jobs.start(); // before the transaction: it queues follow-ups with sendIn
  const step = await withTenant(platform.db, tenantId, async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, messageId));
    if (message?.role !== 'user' || message.isInternal) {
      return { outcome: { kind: 'ignored', reason: 'not an inbound message' } as Outcome };
    }
    if (message.metadata.responder) {
      return { outcome: { kind: 'ignored', reason: 'already handled' } as Outcome };
    }
    const ctx = await loadContext(tx, message.conversationId);
    if (!ctx) {
      // Said on the message, and to a widget visitor, who would otherwise wait in silence.
      const outcome: Outcome = { kind: 'ignored', reason: NO_AGENT };
      await note(tx, message.id, outcome, now, null);
      await tellVisitorHandedOff(tx, tenantId, message.conversationId, now);
      return { outcome, message };
    }
    const classification = classifyMessage(message.content);
    const decision = escalationFor(ctx.policy, classification);
    let outcome: Outcome | undefined;
    if (decision) {
      const { escalation } = await openEscalation(tx, tenantId, {
        decision,
        classification,
        conversation: ctx.conversation,
        message,
        at: now,
      });
      outcome = {
        kind: 'escalated',
        escalationId: escalation.id,
        type: escalation.type,
        severity: escalation.severity,
      };
    } else {
      const silence = silenceReason(ctx.policy, ctx.conversation, ctx.propertyAutoReply);
      if (silence) outcome = { kind: 'silent', reason: silence };
    }
    if (!outcome) {
      const dueAt = replyAt(ctx.policy, now);
      if (dueAt.getTime() > now.getTime()) outcome = await hold(tx, tenantId, ctx, message, dueAt, now);
    }
    if (outcome) await note(tx, message.id, outcome, now, ctx.prompt?.id ?? null);
    // The follow-up jobs in the same transaction: they exist exactly when the decision does.
    if (outcome?.kind === 'escalated') {
      await platform.jobs.sendIn(tx, 'responder.notify-escalation', {
        tenantId,
        escalationId: outcome.escalationId,
      });
    }
    if (outcome?.kind === 'held') {
      // Production timing; the job re-checks the hold against the clock when it runs.
      await platform.jobs.sendIn(
        tx,
        'responder.release',
        { tenantId, holdId: outcome.holdId },
        { startAfter: new Date(outcome.dueAt.getTime() + 1000) },
      );
    }
    return { outcome, message };
  });
  if (step.outcome) return step.outcome;
  return respond(platform, deps, tenantId, step.message!.conversationId, step.message!.id, null);
}

async function hold(
  tx: Tx,
  tenantId: string,
  ctx: ResponderContext,
  message: Message,
  dueAt: Date,
  now: Date,
): Promise<Outcome> {
  const [open] = await tx
    .select()
    .from(replyHolds)
    .where(
      and(
        eq(replyHolds.tenantId, tenantId),
        eq(replyHolds.conversationId, ctx.conversation.id),
        eq(replyHolds.status, 'pending'),
      ),
    )
    .for('update');
  const reason =
    dueAt.getTime() > now.getTime() + ctx.policy.responseDelaySeconds * 1000 ? 'quiet_hours' : 'delay';
  if (open) {
    // The guest wrote again before the reply went out: one reply answers both, timed from now.
    const [updated] = await tx
      .update(replyHolds)
      .set({ messageId: message.id, dueAt, reason, messageCount: open.messageCount + 1, updatedAt: now })
      .where(eq(replyHolds.id, open.id))
      .returning();
    return { kind: 'held', holdId: updated!.id, dueAt, merged: true };
  }
  const [created] = await tx
    .insert(replyHolds)
    .values({
      tenantId,
      conversationId: ctx.conversation.id,
      messageId: message.id,
      agentId: ctx.agent.id,
      dueAt,
      reason,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return { kind: 'held', holdId: created!.id, dueAt, merged: false };
}
