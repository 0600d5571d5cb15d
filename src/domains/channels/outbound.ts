/**
 * Outbound messages: `sendMessage` stores the message (delivery status `queued`) in the tenant's
 * transaction and, after the commit, enqueues its delivery on the conversation's channel
 * (deliver.ts). The job never sees a message that was rolled back, and a message is never lost
 * between the store and the send: the job is enqueued only for a committed row, and delivery
 * itself is idempotent per message. `sendMessages` does the same for a batch in one transaction
 * and a handful of statements, whatever its size (the scheduler's T-3/T-1 messages).
 */
import { eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { AppPlatform } from '../../platform/jobs.js';
import { conversations, messages } from '../conversations/threads.js';
import { messageCreated, messagesCreated } from '../conversations/workflow-events.js';
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

export type BatchMessageInput = Omit<SendMessageInput, 'sendAt'>;

/**
 * Stores several outbound messages and queues their deliveries in one transaction: one insert,
 * one conversation update, one event insert, one job insert. `inTransaction` runs last in that
 * transaction with the new ids, in input order (the scheduler records its claims as sent there,
 * so a claim is `sent` exactly when its message is stored).
 */
export async function sendMessages(
  platform: AppPlatform,
  tenantId: string,
  inputs: readonly BatchMessageInput[],
  options: { inTransaction?: (tx: Tx, messageIds: string[]) => Promise<void> } = {},
): Promise<{ messageId: string }[]> {
  if (inputs.length === 0) return [];
  if (inputs.some((i) => !i.body.trim()))
    throw new AppError('validation_failed', 'the message body is empty');
  await platform.jobs.start(); // before the transaction, as in sendMessage
  return withTenant(platform.db, tenantId, async (tx) => {
    const ids = [...new Set(inputs.map((i) => i.conversationId))];
    const found = await tx
      .select({ id: conversations.id, channelId: conversations.channelId })
      .from(conversations)
      .where(inArray(conversations.id, ids));
    const channelOf = new Map(found.map((c) => [c.id, c.channelId]));
    if (channelOf.size !== ids.length) throw new AppError('not_found', 'conversation not found');
    const now = platform.clock.now();
    const values = inputs.map((input) => {
      const channelId = channelOf.get(input.conversationId) ?? null;
      return {
        id: uuidv7(),
        tenantId,
        conversationId: input.conversationId,
        channelId,
        role: ROLE[input.senderType],
        content: input.body,
        authorUserId: input.senderUserId ?? null,
        deliveryStatus: channelId ? ('queued' as const) : null,
        metadata: (input.metadata ?? {}) as Record<string, unknown>,
        createdAt: now,
      };
    });
    await tx.insert(messages).values(values);
    await tx.update(conversations).set({ lastMessageAt: now }).where(inArray(conversations.id, ids));
    await messagesCreated(tx, tenantId, values, now);
    await platform.jobs.sendManyIn(
      tx,
      values
        .filter((m) => m.channelId !== null)
        .map((m) => ({ name: DELIVER_JOB, data: { tenantId, messageId: m.id } })),
    );
    await options.inTransaction?.(
      tx,
      values.map((m) => m.id),
    );
    return values.map((m) => ({ messageId: m.id }));
  });
}
