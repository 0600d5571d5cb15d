/**
 * The claim records behind exactly-once scheduled messages (table `scheduled_messages`).
 *
 * A tick claims a batch of (reservation, rule) pairs in one INSERT; the unique key makes another
 * worker's insert of the same pair a no-op, and a `failed` row can be claimed again by a later
 * tick. Only the winner sends. A claim older than the lease that is still `claimed` means its
 * worker died between claiming and recording the result: if the message it sent is stored
 * (found by the claim id in its metadata) the claim is completed, otherwise it is released for a
 * retry.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { arrayLiteral, rows, type Tx } from '../../platform/db/database.js';
import { type ScheduleRule, scheduledMessages } from './schedule-tables.js';

/** How long a claim may stay unresolved before it is treated as abandoned. */
export const CLAIM_LEASE_MS = 10 * 60_000;

/**
 * One rule a tick decided on: `claimed` to send it, or recorded at once as `skipped` (nothing to
 * send) or `failed` (a template value is missing: retried while the rule is due).
 */
export interface ClaimInput {
  reservationId: string;
  rule: ScheduleRule;
  dueAt: Date;
  status: 'claimed' | 'skipped' | 'failed';
  detail: string | null;
}

export const claimKey = (reservationId: string, rule: string) => `${reservationId}|${rule}`;

/**
 * Inserts every rule's row in one statement, in key order (two ticks claiming overlapping
 * batches lock their rows in the same order: no deadlock); a `failed` row is taken over, any
 * other existing row is left alone. Returns the rows this worker won: claim key → claim id.
 */
export async function claimRules(
  tx: Tx,
  tenantId: string,
  list: readonly ClaimInput[],
  now: Date,
): Promise<Map<string, string>> {
  if (list.length === 0) return new Map();
  const json = JSON.stringify(
    list.map((c) => ({
      id: uuidv7(),
      reservation_id: c.reservationId,
      rule: c.rule,
      status: c.status,
      due_at: c.dueAt.toISOString(),
      detail: c.detail,
    })),
  );
  const won = await rows<{ id: string; reservationId: string; rule: string }>(
    tx,
    sql`INSERT INTO scheduled_messages AS sm
               (tenant_id, id, reservation_id, rule, status, due_at, claimed_at, detail)
        SELECT ${tenantId}::uuid, x.id, x.reservation_id, x.rule, x.status, x.due_at,
               ${now.toISOString()}::timestamptz, x.detail
          FROM jsonb_to_recordset(${json}::jsonb)
               AS x(id uuid, reservation_id uuid, rule text, status text, due_at timestamptz, detail text)
         ORDER BY x.reservation_id, x.rule
        ON CONFLICT (tenant_id, reservation_id, rule) DO UPDATE
           SET status = excluded.status, attempts = sm.attempts + 1, due_at = excluded.due_at,
               claimed_at = excluded.claimed_at, detail = excluded.detail
         WHERE sm.status = 'failed'
        RETURNING sm.id, sm.reservation_id AS "reservationId", sm.rule`,
  );
  return new Map(won.map((w) => [claimKey(w.reservationId, w.rule), w.id]));
}

/** Records claims as sent (in the transaction that stored their messages). */
export async function markSent(
  tx: Tx,
  sent: ReadonlyArray<{ id: string; messageId: string; conversationId: string; channelKind: string }>,
  at: Date,
): Promise<void> {
  if (sent.length === 0) return;
  const json = JSON.stringify(
    sent.map((s) => ({
      id: s.id,
      message_id: s.messageId,
      conversation_id: s.conversationId,
      channel_kind: s.channelKind,
    })),
  );
  await tx.execute(
    sql`UPDATE scheduled_messages sm
           SET status = 'sent', message_id = x.message_id, conversation_id = x.conversation_id,
               channel_kind = x.channel_kind, sent_at = ${at.toISOString()}::timestamptz, detail = NULL
          FROM jsonb_to_recordset(${json}::jsonb)
               AS x(id uuid, message_id uuid, conversation_id uuid, channel_kind text)
         WHERE sm.id = x.id AND sm.status = 'claimed'`,
  );
}

/**
 * After a send that threw: a claim whose message was stored anyway (the failure came after
 * storing) is `sent`, the others are released as `failed` with the error, for a retry.
 */
export async function settleFailedSend(
  tx: Tx,
  claimIds: readonly string[],
  detail: string,
): Promise<{ sent: number; failed: number }> {
  // A uuid[] parameter (its text form).
  const ids = sql`${arrayLiteral(claimIds)}::uuid[]`;
  await tx.execute(
    sql`UPDATE scheduled_messages sm
           SET status = 'sent', message_id = m.id, conversation_id = m.conversation_id,
               sent_at = m.created_at, detail = NULL
          FROM messages m
         WHERE sm.id = ANY(${ids}) AND sm.status = 'claimed'
           AND m.metadata->>'scheduledMessageId' = sm.id::text`,
  );
  await tx.execute(
    sql`UPDATE scheduled_messages SET status = 'failed', detail = ${detail}
         WHERE id = ANY(${ids}) AND status = 'claimed'`,
  );
  const [counts] = await rows<{ sent: number; failed: number }>(
    tx,
    sql`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
               count(*) FILTER (WHERE status = 'failed')::int AS failed
          FROM scheduled_messages WHERE id = ANY(${ids})`,
  );
  return counts ?? { sent: 0, failed: 0 };
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
