/**
 * How scheduled messages leave: `sendMessage` from src/domains/channels/outbound.ts (the
 * channels contract: stores the outbound message, queued, and enqueues its delivery on the
 * conversation's channel). The scheduler depends only on this one-function interface so tests
 * can watch what it sends, and so the channel implementation can be swapped in one place.
 *
 * INTEGRATION POINT: until channels/outbound.ts is merged, `storeOutboundMessage` below stands
 * in for it: it stores the queued message exactly as the contract describes, but enqueues no
 * delivery. Replace `defaultOutbound` with `{ sendMessage }` from '../channels/outbound.js'.
 */

import { eq } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.js';
import type { Jobs, Platform } from '../../platform/jobs.js';
import { conversations, messages } from '../conversations/tables.js';

export interface OutboundInput {
  conversationId: string;
  body: string;
  senderType: 'ai' | 'agent' | 'system';
  senderUserId?: string;
  metadata?: Record<string, unknown>;
  sendAt?: Date;
}

export interface Outbound {
  sendMessage(
    platform: Platform & { jobs: Jobs },
    tenantId: string,
    input: OutboundInput,
  ): Promise<{ messageId: string }>;
}

const ROLE = { ai: 'assistant', agent: 'agent', system: 'system' } as const;

/** Stores the outbound message (delivery status queued) on its conversation; see the module comment. */
async function storeOutboundMessage(
  platform: Platform,
  tenantId: string,
  input: OutboundInput,
): Promise<{ messageId: string }> {
  return withTenant(platform.db, tenantId, async (tx) => {
    const [conversation] = await tx
      .select({ channelId: conversations.channelId })
      .from(conversations)
      .where(eq(conversations.id, input.conversationId));
    if (!conversation) throw new Error(`conversation ${input.conversationId} not found`);
    const now = platform.clock.now();
    const [row] = await tx
      .insert(messages)
      .values({
        tenantId,
        conversationId: input.conversationId,
        channelId: conversation.channelId,
        role: ROLE[input.senderType],
        content: input.body,
        authorUserId: input.senderUserId,
        deliveryStatus: 'queued',
        metadata: input.metadata ?? {},
        createdAt: now,
      })
      .returning({ id: messages.id });
    await tx
      .update(conversations)
      .set({ lastMessageAt: now })
      .where(eq(conversations.id, input.conversationId));
    return { messageId: row!.id };
  });
}

export const defaultOutbound: Outbound = { sendMessage: storeOutboundMessage };
