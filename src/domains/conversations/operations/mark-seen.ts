/**
 * POST /conversations/:id/seen: the team has looked at the conversation now; the contact's
 * messages before now stop counting as unread (unread-counts.ts). The console sends it when an
 * agent opens a conversation and when a message arrives while it is open.
 */
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { conversations } from '../threads.js';
import { idParam } from './kit.js';

const Seen = z.object({ id: z.uuid(), agentLastSeenAt: z.iso.datetime() }).openapi('ConversationSeen');

export const markConversationSeenOperation = operation({
  method: 'post',
  path: '/conversations/:id/seen',
  scope: 'tenant',
  role: 'agent',
  resource: 'conversations',
  tag: 'Conversations',
  operationId: 'markConversationSeen',
  summary: 'Mark a conversation as seen by the team (its unread count drops to 0)',
  description:
    'Sets `agentLastSeenAt` to now. The contact’s messages stored after it are the conversation’s unread messages (GET /v1/conversations/unread-counts). Sending it again is harmless.',
  request: { params: idParam, bodyRequired: false },
  responses: { 200: { description: 'Seen', schema: Seen } },
  handler: async ({ tx, params: { id }, principal }) => {
    // The database's now(), the clock messages' created_at is stamped with, so the two compare.
    const [row] = await tx
      .update(conversations)
      .set({ agentLastSeenAt: sql`now()` })
      .where(and(eq(conversations.tenantId, principal.tenantId), eq(conversations.id, id)))
      .returning({ id: conversations.id, agentLastSeenAt: conversations.agentLastSeenAt });
    if (!row) throw new AppError('not_found', 'no such conversation');
    return { id: row.id, agentLastSeenAt: row.agentLastSeenAt!.toISOString() };
  },
});
