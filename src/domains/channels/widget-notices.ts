/**
 * What a widget's settings say to its visitors: the greeting that opens a new conversation and
 * the message shown when no AI answer is sent (the conversation waits for a human, or no agent
 * answers this widget). Both come from `widget_settings.behavior` (`greeting`, `handoffMessage`,
 * else `offlineMessage`) of the channel's agent, else the tenant-wide row.
 *
 * How to call (inside the tenant transaction that stored the visitor's message or the hand-off):
 *   await greetVisitor(tx, tenantId, { conversationId, channelId, firstMessageId, receivedAt });
 *   await tellVisitorHandedOff(tx, tenantId, conversationId, at);
 */
import { sql } from 'drizzle-orm';
import { v7 } from 'uuid';
import { rows, type Tx } from '../../platform/db/database.js';
import { messages } from '../conversations/threads.js';
import { messageCreated } from '../conversations/workflow-events.js';

async function behaviorOf(
  tx: Tx,
  tenantId: string,
  channelId: string,
): Promise<Record<string, unknown> | null> {
  const [found] = await rows<{ kind: string; behavior: Record<string, unknown> | null }>(
    tx,
    sql`SELECT c.kind,
               (SELECT w.behavior FROM widget_settings w
                 WHERE w.tenant_id = ${tenantId} AND (w.agent_id = c.agent_id OR w.agent_id IS NULL)
                 ORDER BY w.agent_id NULLS LAST LIMIT 1) AS behavior
          FROM channels c WHERE c.tenant_id = ${tenantId} AND c.id = ${channelId}`,
  );
  return found?.kind === 'widget' ? (found.behavior ?? {}) : null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

async function post(
  tx: Tx,
  tenantId: string,
  m: { id?: string; conversationId: string; channelId: string; content: string; at: Date; notice: string },
) {
  const [row] = await tx
    .insert(messages)
    .values({
      tenantId,
      ...(m.id ? { id: m.id } : {}),
      conversationId: m.conversationId,
      channelId: m.channelId,
      role: 'assistant',
      content: m.content,
      metadata: { widget: { notice: m.notice } },
      createdAt: m.at,
      updatedAt: m.at,
    })
    .returning({ id: messages.id });
  await messageCreated(
    tx,
    tenantId,
    {
      id: row!.id,
      conversationId: m.conversationId,
      role: 'assistant',
      channelId: m.channelId,
      isInternal: false,
    },
    m.at,
  );
}

/**
 * Opens a new widget conversation with the configured greeting, placed just before the visitor's
 * first message: dated a millisecond earlier, with a UUIDv7 a millisecond older than that
 * message's id (ids order a conversation's messages).
 */
export async function greetVisitor(
  tx: Tx,
  tenantId: string,
  c: { conversationId: string; channelId: string; firstMessageId: string; receivedAt: Date },
): Promise<void> {
  const greeting = text((await behaviorOf(tx, tenantId, c.channelId))?.greeting);
  if (!greeting) return;
  const idMs = Number.parseInt(c.firstMessageId.replace(/-/g, '').slice(0, 12), 16);
  await post(tx, tenantId, {
    id: v7({ msecs: idMs - 1 }),
    conversationId: c.conversationId,
    channelId: c.channelId,
    content: greeting,
    at: new Date(c.receivedAt.getTime() - 1),
    notice: 'greeting',
  });
}

/** Tells a widget visitor that a person will answer (no AI reply was sent), once until someone does. */
export async function tellVisitorHandedOff(
  tx: Tx,
  tenantId: string,
  conversationId: string,
  at: Date,
): Promise<boolean> {
  const [conversation] = await rows<{ channel_id: string | null }>(
    tx,
    sql`SELECT channel_id FROM conversations WHERE id = ${conversationId}`,
  );
  if (!conversation?.channel_id) return false;
  const behavior = await behaviorOf(tx, tenantId, conversation.channel_id);
  const content = text(behavior?.handoffMessage) ?? text(behavior?.offlineMessage);
  if (!content) return false;
  // Once until someone answers: a visitor writing three times gets one notice, not three.
  const [last] = await rows<{ notice: string | null }>(
    tx,
    sql`SELECT metadata->'widget'->>'notice' AS notice FROM messages
         WHERE conversation_id = ${conversationId} AND role IN ('assistant', 'agent')
         ORDER BY id DESC LIMIT 1`,
  );
  if (last?.notice === 'handoff') return false;
  await post(tx, tenantId, {
    conversationId,
    channelId: conversation.channel_id,
    content,
    at,
    notice: 'handoff',
  });
  return true;
}
