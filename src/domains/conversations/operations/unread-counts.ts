/**
 * GET /conversations/unread-counts?ids=…: per conversation, how many of the contact's messages
 * (role `user`, not internal) were stored after the team last saw it (mark-seen.ts), or all of
 * them if nobody has. The console shows them in the inbox for the conversations it lists.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { conversations, messages } from '../threads.js';

const MAX_IDS = 100;
const query = z.object({
  ids: z
    .string()
    .transform((s) => [...new Set(s.split(',').map((id) => id.trim()))])
    .pipe(z.array(z.uuid()).min(1).max(MAX_IDS))
    .openapi({
      description: `Comma-separated conversation ids (at most ${MAX_IDS}); unknown ids are left out.`,
      example: '01950000-0000-7000-8000-000000000001,01950000-0000-7000-8000-000000000002',
    }),
});
const UnreadCounts = z
  .object({
    data: z.array(
      z.object({
        conversationId: z.uuid(),
        unreadCount: z.int().nonnegative(),
        agentLastSeenAt: z.iso.datetime().nullable(),
      }),
    ),
  })
  .openapi('ConversationUnreadCounts');

export const unreadCountsOperation = operation({
  method: 'get',
  path: '/conversations/unread-counts',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  // The isolation sweep's request (another tenant's ids are covered by test/api/unread-counts.test.ts).
  probe: { query: { ids: '01950000-0000-7000-8000-000000000001' } },
  tag: 'Conversations',
  operationId: 'getConversationUnreadCounts',
  summary: 'Unread counts of conversations',
  description:
    'For each named conversation of the tenant: the contact’s messages stored since the team last saw it (POST /v1/conversations/{id}/seen).',
  request: { query },
  responses: { 200: { description: 'The counts', schema: UnreadCounts } },
  handler: async ({ tx, query: { ids }, principal }) => {
    const rows = await tx
      .select({
        conversationId: conversations.id,
        agentLastSeenAt: conversations.agentLastSeenAt,
        unreadCount: sql<number>`count(${messages.id})::int`,
      })
      .from(conversations)
      .leftJoin(
        messages,
        and(
          eq(messages.tenantId, conversations.tenantId),
          eq(messages.conversationId, conversations.id),
          eq(messages.role, 'user'),
          eq(messages.isInternal, false),
          sql`${messages.createdAt} > coalesce(${conversations.agentLastSeenAt}, '-infinity'::timestamptz)`,
        ),
      )
      .where(and(eq(conversations.tenantId, principal.tenantId), inArray(conversations.id, ids)))
      .groupBy(conversations.id, conversations.agentLastSeenAt);
    return {
      data: rows.map((r) => ({
        conversationId: r.conversationId,
        unreadCount: r.unreadCount,
        agentLastSeenAt: r.agentLastSeenAt?.toISOString() ?? null,
      })),
    };
  },
});
