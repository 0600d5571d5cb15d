/**
 * Opening an escalation for an inbound message (seed 000's alerts, seed 003's categories): the
 * row, with severity and the sentiment that raised it, and the `escalation.opened` event for the
 * tenant's webhooks, in the same transaction. One escalation per message: a retried job finds
 * the one it opened.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import type { Conversation, Message } from '../../conversations/threads.js';
import { type Escalation, escalations } from '../../conversations/workflow.js';
import { escalationOpened } from '../../conversations/workflow-events.js';
import type { Classification } from './classify.js';
import type { EscalationDecision } from './policy.js';

const LABEL: Record<EscalationDecision['type'], string> = {
  emergency: 'Emergency',
  refund: 'Refund request',
  complaint: 'Complaint',
  booking_change: 'Booking change',
  tension: 'Tension detected',
  churn_risk: 'Churn risk',
};

const SUGGESTED: Record<EscalationDecision['type'], string> = {
  emergency: 'Call the guest now and dispatch maintenance or emergency services.',
  refund: 'Review the booking and reply about the refund.',
  complaint: 'Apologise, find out what went wrong and offer a fix.',
  booking_change: 'Check availability and confirm the change with the guest.',
  tension: 'Have the account owner reply personally and acknowledge the frustration.',
  churn_risk: 'Have the account owner call the client about renewal.',
};

export async function openEscalation(
  tx: Tx,
  tenantId: string,
  input: {
    decision: EscalationDecision;
    classification: Classification;
    conversation: Conversation;
    message: Message;
    at: Date;
  },
): Promise<{ escalation: Escalation; created: boolean }> {
  const { decision, classification, conversation, message, at } = input;
  const [existing] = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.messageId, message.id), eq(escalations.type, decision.type)));
  if (existing) return { escalation: existing, created: false };
  const excerpt = message.content.length > 200 ? `${message.content.slice(0, 197)}…` : message.content;
  const [escalation] = await tx
    .insert(escalations)
    .values({
      tenantId,
      type: decision.type,
      severity: decision.severity,
      summary: `${LABEL[decision.type]}: “${excerpt}”`,
      suggestedAction: SUGGESTED[decision.type],
      sentiment: {
        ...classification.sentiment,
        tension: classification.tension.severity,
        cues: decision.cues,
      },
      conversationId: conversation.id,
      messageId: message.id,
      accountId: conversation.accountId,
      channelId: conversation.channelId,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await escalationOpened(tx, tenantId, escalation!, at);
  return { escalation: escalation!, created: true };
}
