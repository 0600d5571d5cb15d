/**
 * Escalation rows for generated threads. Timestamps are set explicitly and consistently with
 * the status (the table's CHECKs and the `escalation_workflow` trigger would otherwise fill
 * them with now(), which would make the demo differ from run to run).
 */
import type { escalations } from '../domains/conversations/tables.js';
import { plusMinutes, plusSeconds } from './clock.js';
import type { DemoContext, RowOf } from './context.js';
import { type EscalationType, escalate, type Severity, type Thread } from './threads.js';

export type EscalationStatus = 'open' | 'acknowledged' | 'resolved' | 'false_positive';

export interface EscalationSpec {
  type: EscalationType;
  severity: Severity;
  status: EscalationStatus;
  summary: string;
  suggestedAction?: string;
  resolutionNotes?: string;
  sentiment?: Record<string, unknown>;
}

/** Who acted on it: a Frontdesk user, or someone identified only on the channel (a Slack user). */
export interface Actor {
  userId?: string | null;
  external?: string | null;
}

/** Builds the escalation for `thread` (and marks the thread escalated, for its metrics). */
export function escalationRow(
  ctx: DemoContext,
  thread: Thread,
  spec: EscalationSpec,
  actor: Actor,
  externalChannelId: string | null = null,
): RowOf<typeof escalations> {
  escalate(thread);
  const trigger = thread.messages.find((m) => m.role === 'user') ?? thread.messages[0]!;
  const createdAt = plusSeconds(trigger.createdAt, 45);
  const acknowledgedAt =
    spec.status === 'open' ? null : plusMinutes(createdAt, 6 + (trigger.content.length % 40));
  const final = spec.status === 'resolved' || spec.status === 'false_positive';
  const resolvedAt =
    final && acknowledgedAt ? plusMinutes(acknowledgedAt, 35 + (trigger.content.length % 200)) : null;
  return {
    id: ctx.id(`escalation:${thread.conversation.id}`, createdAt),
    type: spec.type,
    severity: spec.severity,
    status: spec.status,
    summary: spec.summary,
    suggestedAction: spec.suggestedAction ?? null,
    sentiment: spec.sentiment ?? null,
    conversationId: thread.conversation.id,
    messageId: trigger.id,
    accountId: thread.conversation.accountId ?? null,
    channelId: thread.conversation.channelId ?? null,
    externalChannelId,
    externalMessageTs: externalChannelId ? trigger.externalMessageId : null,
    acknowledgedByUserId: acknowledgedAt ? (actor.userId ?? null) : null,
    acknowledgedByExternal: acknowledgedAt ? (actor.external ?? null) : null,
    acknowledgedAt,
    resolvedByUserId: resolvedAt ? (actor.userId ?? null) : null,
    resolvedByExternal: resolvedAt ? (actor.external ?? null) : null,
    resolvedAt,
    resolutionNotes: resolvedAt
      ? (spec.resolutionNotes ??
        (spec.status === 'false_positive'
          ? 'Not an issue: tone misread, customer was joking.'
          : 'Handled with the customer.'))
      : null,
    createdAt,
    updatedAt: resolvedAt ?? acknowledgedAt ?? createdAt,
  };
}

/**
 * The status the `n`-th escalation of generated threads has reached, given its conversation's
 * status: open or acknowledged while the conversation is, otherwise mostly resolved, sometimes a
 * false positive (never for a critical one). `n` is mixed so that scripts recurring every few
 * threads do not always land on the same status.
 */
export function statusFor(thread: Thread, n: number, severity: Severity): EscalationStatus {
  const k = n + Math.floor(n / 4);
  const s = thread.conversation.status;
  if (s === 'active' || s === 'waiting') return k % 2 === 0 ? 'open' : 'acknowledged';
  return k % 4 === 3 && severity !== 'critical' ? 'false_positive' : 'resolved';
}

/**
 * Makes the conversation's status agree with its escalation: unresolved escalations keep the
 * conversation waiting on the team, resolved ones close it.
 */
export function alignConversation(thread: Thread, status: EscalationStatus): void {
  const c = thread.conversation;
  if (status === 'open' || status === 'acknowledged') {
    c.status = 'waiting';
    c.resolvedAt = null;
    c.closedAt = null;
  } else if (!c.resolvedAt) {
    c.status = 'resolved';
    c.resolvedAt = plusSeconds(c.lastMessageAt ?? c.startedAt, 60);
  }
}
