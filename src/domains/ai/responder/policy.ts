/**
 * The responder's rules for one agent, as pure functions of the message, the conversation and a
 * time: whether to escalate, to stay silent, when a reply may go out, and whether an answer is
 * sent, drafted for approval or handed to a human.
 */

import { afterQuietHours, type QuietHours } from '../../../platform/zoned-time.js';
import type { Agent } from '../tables.js';
import type { Classification, Severity } from './classify.js';
import { severityRank } from './classify.js';

export const APPROVAL_MODES = ['never', 'low_confidence', 'always'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Below this confidence there is nothing worth drafting: the conversation goes to a human. */
export const HANDOFF_FLOOR = 0.35;

export interface ResponderPolicy {
  autoReply: boolean;
  confidenceThreshold: number;
  /** Local wall-clock window in `timeZone`; null = none. */
  quietHours: QuietHours | null;
  timeZone: string;
  responseDelaySeconds: number;
  escalationCategories: readonly string[];
  /**
   * `low_confidence` (default): answers below the threshold become drafts for approval;
   * `always`: every answer is a draft (seed 002's customer-success agents); `never`: below the
   * threshold the conversation is handed to a human instead.
   */
  approval: ApprovalMode;
  /** Tension at or above this severity opens an escalation (when `tension` is a category). */
  tensionSeverity: Severity;
}

/** The policy of `agent`, with quiet hours in `timeZone` (the property's, else the tenant's). */
export function policyOf(
  agent: Pick<
    Agent,
    | 'autoReplyEnabled'
    | 'confidenceThreshold'
    | 'quietHoursStart'
    | 'quietHoursEnd'
    | 'responseDelaySeconds'
    | 'escalationCategories'
    | 'escalationConfig'
  >,
  timeZone: string,
): ResponderPolicy {
  const config = agent.escalationConfig ?? {};
  const approval = APPROVAL_MODES.includes(config.approval as ApprovalMode)
    ? (config.approval as ApprovalMode)
    : 'low_confidence';
  const tension = ['low', 'medium', 'high', 'critical'].includes(config.tensionSeverity as string)
    ? (config.tensionSeverity as Severity)
    : 'medium';
  return {
    autoReply: agent.autoReplyEnabled,
    confidenceThreshold: Number(agent.confidenceThreshold),
    quietHours:
      agent.quietHoursStart && agent.quietHoursEnd
        ? { start: agent.quietHoursStart, end: agent.quietHoursEnd }
        : null,
    timeZone,
    responseDelaySeconds: agent.responseDelaySeconds,
    escalationCategories: agent.escalationCategories,
    approval,
    tensionSeverity: tension,
  };
}

export interface EscalationDecision {
  type: 'emergency' | 'refund' | 'complaint' | 'booking_change' | 'tension' | 'churn_risk';
  severity: Severity;
  cues: string[];
}

/**
 * The escalation a message calls for, if any. An emergency is always escalated (a guest's
 * safety is never the AI's to handle); other categories only when the agent lists them.
 */
export function escalationFor(policy: ResponderPolicy, c: Classification): EscalationDecision | null {
  const enabled = (type: string) => policy.escalationCategories.includes(type);
  const emergency = c.categories.find((f) => f.category === 'emergency');
  if (emergency) return { type: 'emergency', severity: emergency.severity, cues: emergency.cues };
  // Talk of leaving outranks the topic it is about; so does strong tension (an angry client's
  // complaint is a relationship problem first).
  if (enabled('churn_risk') && c.churn.detected)
    return { type: 'churn_risk', severity: 'high', cues: c.churn.cues };
  const tension =
    enabled('tension') && severityRank(c.tension.severity) >= severityRank(policy.tensionSeverity);
  const asTension = (): EscalationDecision => ({
    type: 'tension',
    severity: c.tension.severity as Severity,
    cues: c.tension.cues,
  });
  if (tension && severityRank(c.tension.severity) >= severityRank('high')) return asTension();
  const found = c.categories.find((f) => enabled(f.category));
  if (found) return { type: found.category, severity: found.severity, cues: found.cues };
  return tension ? asTension() : null;
}

export type Silence = 'auto_reply_off' | 'assigned_to_human' | 'handed_off';

/** Why the AI must not answer in this conversation now, or null when it may. */
export function silenceReason(
  policy: ResponderPolicy,
  conversation: { assignedUserId: string | null; metadata: Record<string, unknown> },
  propertyAutoReply = true,
): Silence | null {
  if (!policy.autoReply || !propertyAutoReply) return 'auto_reply_off';
  if (conversation.assignedUserId) return 'assigned_to_human';
  if (conversation.metadata.handoff) return 'handed_off';
  return null;
}

/**
 * When a reply to a message received at `now` may go out: after the response delay, and if that
 * falls in quiet hours, when they end (DST rules: platform/zoned-time.ts, shared with the
 * scheduled messages so both keep the same night).
 */
export function replyAt(policy: ResponderPolicy, now: Date): Date {
  const delayed = new Date(now.getTime() + policy.responseDelaySeconds * 1000);
  const released = afterQuietHours(delayed, policy.quietHours, policy.timeZone);
  // In a repeated (fall-back) hour the window's end may already lie behind us.
  return released.getTime() > delayed.getTime() ? released : delayed;
}

export type Gate = 'send' | 'draft' | 'handoff';

/** What happens to an answer of this confidence: sent, drafted for approval, or handed to a human. */
export function gateAnswer(policy: ResponderPolicy, answer: { text: string; confidence: number }): Gate {
  if (!answer.text || answer.confidence < Math.min(HANDOFF_FLOOR, policy.confidenceThreshold))
    return 'handoff';
  if (policy.approval === 'always') return 'draft';
  if (answer.confidence >= policy.confidenceThreshold) return 'send';
  return policy.approval === 'never' ? 'handoff' : 'draft';
}
