/**
 * Outbound messages: `sendMessage` stores the message (delivery status `queued`) in the tenant's
 * transaction and, after the commit, enqueues its delivery on the conversation's channel
 * (deliver.ts). The job never sees a message that was rolled back, and a message is never lost
 * between the store and the send: the job is enqueued only for a committed row, and delivery
 * itself is idempotent per message.
 */
import { eq } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { AppPlatform } from '../../platform/jobs.js';
import { conversations, messages } from '../conversations/threads.js';
import { messageCreated } from '../conversations/workflow-events.js';
import { DELIVER_JOB } from './deliver.js';

export interface SendMessageInput {
  conversationId: string;
  body: string;
  senderType: 'ai' | 'agent' | 'system';
  senderUserId?: string;
  metadata?: object;
  /** Deliver no earlier than this (quiet hours, scheduled messages). */
  sendAt?: Date;
}

const ROLE = { ai: 'assistant', agent: 'agent', system: 'system' } as const;

export async function sendMessage(
  platform: AppPlatform,
  tenantId: string,
  input: SendMessageInput,
): Promise<{ messageId: string }> {
  if (!input.body.trim()) throw new AppError('validation_failed', 'the message body is empty');
  await platform.jobs.start(); // before the transaction: sendIn needs the queue (PGlite: one connection)
  const stored = await withTenant(platform.db, tenantId, async (tx) => {
    const [conversation] = await tx
      .select({ id: conversations.id, channelId: conversations.channelId })
      .from(conversations)
      .where(eq(conversations.id, input.conversationId));
    if (!conversation) throw new AppError('not_found', 'conversation not found');
    const now = platform.clock.now();
    const [message] = await tx
      .insert(messages)
      .values({
        tenantId,
        conversationId: conversation.id,
        channelId: conversation.channelId,
        role: ROLE[input.senderType],
        content: input.body,
        authorUserId: input.senderUserId ?? null,
        // A conversation without a channel (an assistant session) has nothing to deliver.
        deliveryStatus: conversation.channelId ? 'queued' : null,
        metadata: (input.metadata ?? {}) as Record<string, unknown>,
        createdAt: now,
      })
      .returning({ id: messages.id });
    await tx.update(conversations).set({ lastMessageAt: now }).where(eq(conversations.id, conversation.id));
    await messageCreated(
      tx,
      tenantId,
      {
        id: message!.id,
        conversationId: conversation.id,
        role: ROLE[input.senderType],
        channelId: conversation.channelId,
        isInternal: false,
      },
      now,
    );
    // Its delivery in the same transaction: queued exactly when the message is stored.
    if (conversation.channelId !== null) {
      await platform.jobs.sendIn(
        tx,
        DELIVER_JOB,
        { tenantId, messageId: message!.id },
        input.sendAt ? { startAfter: input.sendAt } : {},
      );
    }
    return { messageId: message!.id };
  });
  return { messageId: stored.messageId };
}
