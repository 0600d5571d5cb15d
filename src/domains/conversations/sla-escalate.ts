/**
 * Opening an escalation from a scheduled check (an SLA breach, a churn risk): the row and the
 * `escalation.opened` event for the tenant's webhooks, in the caller's transaction.
 * This is the one place the scheduled checks announce an escalation; in the same transaction,
 * `notifyOpened` also hands each one to the responder's Slack alert job when it is defined.
 */
import type { Tx } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { type Escalation, escalations, type NewEscalation } from './tables.js';
import { escalationOpened } from './workflow-events.js';

export type ScheduledEscalation = Pick<
  NewEscalation,
  | 'type'
  | 'severity'
  | 'summary'
  | 'suggestedAction'
  | 'sentiment'
  | 'conversationId'
  | 'messageId'
  | 'accountId'
  | 'channelId'
>;

export async function openScheduledEscalation(
  tx: Tx,
  tenantId: string,
  input: ScheduledEscalation,
  at: Date,
): Promise<Escalation> {
  const [escalation] = await tx
    .insert(escalations)
    .values({ ...input, tenantId, createdAt: at, updatedAt: at })
    .returning();
  const e = escalation!;
  await escalationOpened(tx, tenantId, e, at);
  return e;
}

/** The responder's job that posts an escalation to the agent's Slack alert channel. */
export const NOTIFY_JOB = 'responder.notify-escalation';

/**
 * Queues the Slack alert of escalations in the transaction that opens them (the alert exists
 * exactly when the escalation does). `jobs` must be started.
 */
export async function notifyOpened(
  jobs: Jobs | undefined,
  tx: Tx,
  tenantId: string,
  opened: Escalation[],
): Promise<void> {
  if (!jobs?.has(NOTIFY_JOB)) return;
  for (const e of opened) await jobs.sendIn(tx, NOTIFY_JOB, { tenantId, escalationId: e.id });
}
