/**
 * The claim records behind exactly-once scheduled messages (table `scheduled_messages`).
 *
 * A worker claims (reservation, rule) by inserting the row; the unique key makes a second
 * worker's insert a no-op, and a `failed` row can be claimed again by a later tick. Only the
 * winner sends. A claim older than the lease that is still `claimed` means its worker died
 * between claiming and recording the result: if the message it sent is stored (found by the
 * claim id in its metadata) the claim is completed, otherwise it is released for a retry.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { messages } from '../conversations/tables.js';
import { type ScheduleRule, scheduledMessages } from './schedule-tables.js';

/** How long a claim may stay unresolved before it is treated as abandoned. */
export const CLAIM_LEASE_MS = 10 * 60_000;

export interface ClaimInput {
  tenantId: string;
  reservationId: string;
  rule: ScheduleRule;
  dueAt: Date;
  now: Date;
}

/**
 * Claims the rule for sending (status `claimed`) or records it as skipped; returns the claim id,
 * or null when another worker holds or finished it.
 */
export async function claimRule(
  tx: Tx,
  input: ClaimInput,
  outcome: { status: 'claimed' } | { status: 'skipped'; detail: string } = { status: 'claimed' },
): Promise<string | null> {
  const detail = outcome.status === 'skipped' ? outcome.detail : null;
  const [row] = await tx
    .insert(scheduledMessages)
    .values({
      tenantId: input.tenantId,
      reservationId: input.reservationId,
      rule: input.rule,
      status: outcome.status,
      dueAt: input.dueAt,
      claimedAt: input.now,
      detail,
    })
    .onConflictDoUpdate({
      target: [scheduledMessages.tenantId, scheduledMessages.reservationId, scheduledMessages.rule],
      set: {
        status: outcome.status,
        attempts: sql`${scheduledMessages.attempts} + 1`,
        dueAt: input.dueAt,
        claimedAt: input.now,
        detail,
      },
      setWhere: sql`${scheduledMessages.status} = 'failed'`,
    })
    .returning({ id: scheduledMessages.id });
  return row?.id ?? null;
}

/** Ends a claim without a message (nothing to send, for good). */
export async function markSkipped(tx: Tx, id: string, detail: string): Promise<void> {
  await tx.update(scheduledMessages).set({ status: 'skipped', detail }).where(eq(scheduledMessages.id, id));
}

/** Releases a claim after a failure, for a later tick to retry while the rule is still due. */
export async function markFailed(tx: Tx, id: string, detail: string): Promise<void> {
  await tx.update(scheduledMessages).set({ status: 'failed', detail }).where(eq(scheduledMessages.id, id));
}

export async function markSent(
  tx: Tx,
  id: string,
  sent: { messageId: string; conversationId: string; channelKind: string; at: Date },
): Promise<void> {
  await tx
    .update(scheduledMessages)
    .set({
      status: 'sent',
      messageId: sent.messageId,
      conversationId: sent.conversationId,
      channelKind: sent.channelKind as never,
      sentAt: sent.at,
      detail: null,
    })
    .where(and(eq(scheduledMessages.id, id), eq(scheduledMessages.status, 'claimed')));
}

/** The message a claim's send stored, if any (found by the claim id in its metadata). */
export async function storedMessageFor(
  tx: Tx,
  claimId: string,
): Promise<{ id: string; conversationId: string; createdAt: Date } | null> {
  const [m] = await tx
    .select({ id: messages.id, conversationId: messages.conversationId, createdAt: messages.createdAt })
    .from(messages)
    .where(sql`${messages.metadata}->>'scheduledMessageId' = ${claimId}`)
    .limit(1);
  return m ?? null;
}

/** Settles claims abandoned past the lease (see the module comment); returns how many. */
export async function settleAbandonedClaims(
  tx: Tx,
  now: Date,
): Promise<{ completed: number; released: number }> {
  const cutoff = new Date(now.getTime() - CLAIM_LEASE_MS);
  const stale = and(eq(scheduledMessages.status, 'claimed'), lt(scheduledMessages.claimedAt, cutoff));
  const [any] = await tx.select({ id: scheduledMessages.id }).from(scheduledMessages).where(stale).limit(1);
  if (!any) return { completed: 0, released: 0 };
  const completed = await rows<{ id: string }>(
    tx,
    sql`UPDATE scheduled_messages sm
           SET status = 'sent', message_id = m.id, conversation_id = m.conversation_id,
               sent_at = m.created_at, detail = NULL
          FROM messages m
         WHERE sm.status = 'claimed' AND sm.claimed_at < ${cutoff}
           AND m.metadata->>'scheduledMessageId' = sm.id::text
     RETURNING sm.id`,
  );
  const released = await tx
    .update(scheduledMessages)
    .set({ status: 'failed', detail: 'claim abandoned before a message was stored' })
    .where(stale)
    .returning({ id: scheduledMessages.id });
  return { completed: completed.length, released: released.length };
}
