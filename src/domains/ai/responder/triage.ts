/**
 * The `responder.reply` jobs of a burst, triaged together (the job's `handleBatch`). In one
 * transaction per tenant, one read finds the messages no agent answers (neither their
 * conversation nor its channel names one, and the tenant has no active agent) and gives them
 * the decision `replyToMessage` would: "no agent answers this conversation" on each message (one
 * update for all) and the widget's hand-off notice to each conversation's visitor. Every other
 * message goes through `replyToMessage` as on its own, a few side by side. So an inbox that only
 * humans answer pays a read and a write per batch instead of about ten statements per message.
 */
import { sql } from 'drizzle-orm';
import { jsonArray, rows } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { tellVisitorHandedOff } from '../../channels/widget-notices.js';
import { noteAll, type ResponderDeps } from './outcome.js';
import { NO_AGENT, replyToMessage } from './reply.js';

/** Replies composed side by side within one batch (each may wait on the model's API). */
const SIDE_BY_SIDE = 2;

export async function replyToMessages(
  platform: AppPlatform,
  deps: ResponderDeps,
  batch: ReadonlyArray<{ tenantId: string; messageId: string }>,
): Promise<void> {
  const byTenant = new Map<string, string[]>();
  for (const { tenantId, messageId } of batch)
    byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), messageId]);
  for (const [tenantId, messageIds] of byTenant) {
    const rest = await settleUnanswerable(platform, tenantId, messageIds);
    await eachSideBySide(rest, (messageId) =>
      replyToMessage(platform, deps, tenantId, messageId).then(() => {}),
    );
  }
}

/** Decides the messages no agent answers; returns the others, in order. */
async function settleUnanswerable(
  platform: AppPlatform,
  tenantId: string,
  messageIds: readonly string[],
): Promise<string[]> {
  const now = platform.clock.now();
  const settled = await withTenant(platform.db, tenantId, async (tx) => {
    // As `agentOf` (context.ts): the conversation's agent, else its channel's, else the tenant's first active one.
    const found = await rows<{ id: string; conversation_id: string; widget: boolean }>(
      tx,
      sql`SELECT m.id, m.conversation_id, ch.kind IS NOT DISTINCT FROM 'widget' AS widget
            FROM messages m
            JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
            LEFT JOIN channels ch ON ch.tenant_id = c.tenant_id AND ch.id = c.channel_id
           WHERE m.tenant_id = ${tenantId} AND m.id = ANY(${jsonArray(messageIds, 'uuid')})
             AND m.role = 'user' AND NOT m.is_internal AND NOT (m.metadata ? 'responder')
             AND c.agent_id IS NULL AND ch.agent_id IS NULL
             AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.tenant_id = m.tenant_id AND a.status = 'active')
           ORDER BY m.id`,
    );
    if (found.length === 0) return new Set<string>();
    await noteAll(
      tx,
      found.map((m) => m.id),
      { kind: 'ignored', reason: NO_AGENT },
      now,
      null,
    );
    // Once per widget conversation: a visitor who wrote three times gets one notice (as the
    // single path, which finds no notice to give on any other channel).
    for (const conversationId of new Set(found.filter((m) => m.widget).map((m) => m.conversation_id)))
      await tellVisitorHandedOff(tx, tenantId, conversationId, now);
    return new Set(found.map((m) => m.id));
  });
  return messageIds.filter((id) => !settled.has(id));
}

/** Runs `fn` on every item, at most SIDE_BY_SIDE at a time; throws the first failure once all have run. */
async function eachSideBySide<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(SIDE_BY_SIDE, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!).catch((error: unknown) => failures.push(error));
    }),
  );
  if (failures.length > 0) throw failures[0];
}
