/** The visitor's conversation on a widget: ownership (404 otherwise) and its visible messages. */
import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import { withTenant } from '../../../platform/db/tenant.js';
import { AppError } from '../../../platform/errors.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { z } from '../../../platform/zod.js';
import { conversations, messages } from '../../conversations/threads.js';
import { contactIdentities } from '../../crm/tables.js';
import type { Widget } from './widget-kit.js';

export const visitorMessage = z.object({
  id: z.uuid(),
  role: z.string(),
  content: z.string(),
  createdAt: z.string(),
});

/** A conversation of this visitor on this widget, or 404 (another visitor's, another tenant's). */
export async function ownConversation(
  platform: AppPlatform,
  widget: Widget,
  visitorId: string,
  conversationId: string,
): Promise<void> {
  const [found] = await withTenant(platform.db, widget.tenantId, (tx) =>
    tx
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(
        contactIdentities,
        and(
          eq(contactIdentities.tenantId, conversations.tenantId),
          eq(contactIdentities.contactId, conversations.contactId),
        ),
      )
      .where(
        and(
          eq(conversations.tenantId, widget.tenantId),
          eq(conversations.id, conversationId),
          eq(conversations.channelId, widget.channel.id),
          eq(contactIdentities.channelId, widget.channel.id),
          eq(contactIdentities.externalUserId, visitorId),
        ),
      ),
  );
  if (!found) throw new AppError('not_found', 'no such conversation');
}

/** Visible messages of a conversation after `afterId` (ids are time-ordered UUIDv7). */
export const messagesAfter = (
  platform: AppPlatform,
  widget: Widget,
  conversationId: string,
  afterId: string | null,
  roles?: readonly string[],
) =>
  withTenant(platform.db, widget.tenantId, (tx) =>
    tx
      .select({
        id: messages.id,
        role: messages.role,
        content: messages.content,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversationId),
          eq(messages.isInternal, false),
          ne(messages.type, 'system_event'),
          ...(afterId ? [gt(messages.id, afterId)] : []),
          ...(roles ? [inArray(messages.role, roles as never)] : []),
        ),
      )
      .orderBy(asc(messages.id))
      .limit(200),
  );
