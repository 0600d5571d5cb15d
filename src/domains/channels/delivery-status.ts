/**
 * Provider status callbacks (Twilio, WhatsApp): sent → delivered → read, or failed. A message's
 * delivery status only moves forward, so callbacks arriving late or twice change nothing, and a
 * failure reported after delivery does not undo it.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { commsEvents, messages } from '../conversations/threads.js';
import type { NormalizedEvent } from './providers/types.js';

const RANK = { queued: 0, sent: 1, failed: 2, delivered: 3, read: 4 } as const;

/** Whether `next` may replace `current` (forward only; failed never overrides delivered or read). */
export function advances(current: keyof typeof RANK | null, next: keyof typeof RANK): boolean {
  return RANK[next] > RANK[current ?? 'queued'];
}

/**
 * Applies one status callback: `applied`, `stale` (the message is already further along) or
 * `unknown` (no message of ours has that provider id, e.g. the callback overtook the send's
 * own bookkeeping).
 */
export async function applyDeliveryStatus(
  tx: Tx,
  tenantId: string,
  channelId: string,
  event: Extract<NormalizedEvent, { type: 'message.status' }>,
): Promise<'applied' | 'stale' | 'unknown'> {
  const [message] = await tx
    .select({ id: messages.id, deliveryStatus: messages.deliveryStatus })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.channelId, channelId),
        eq(messages.externalMessageId, event.providerMessageId),
      ),
    )
    .for('update');
  if (!message) return 'unknown';
  if (!advances(message.deliveryStatus, event.status)) return 'stale';
  await tx.update(messages).set({ deliveryStatus: event.status }).where(eq(messages.id, message.id));
  await tx
    .update(commsEvents)
    .set({
      status: event.status,
      providerStatus: event.providerStatus,
      errorCode: event.errorCode ?? null,
      errorMessage: event.errorMessage ?? null,
    })
    .where(
      and(eq(commsEvents.messageId, message.id), eq(commsEvents.providerMessageId, event.providerMessageId)),
    );
  return 'applied';
}
