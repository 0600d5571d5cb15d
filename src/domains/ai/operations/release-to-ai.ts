/**
 * POST /conversations/:id/release-to-ai: give a handed-off conversation back to the AI. The
 * responder stays silent while a human is assigned or `metadata.handoff` is set (see
 * responder/policy.ts silenceReason); this clears both in one step, and a waiting conversation
 * becomes active again.
 */
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { conversations } from '../../conversations/threads.js';
import { idParam } from './kit.js';

const Released = z
  .object({ id: z.uuid(), status: z.string(), assignedUserId: z.uuid().nullable() })
  .openapi('ConversationReleased');

export const releaseToAiOperation = operation({
  method: 'post',
  path: '/conversations/:id/release-to-ai',
  scope: 'tenant',
  role: 'agent',
  resource: 'conversations',
  tag: 'AI',
  operationId: 'releaseConversationToAi',
  summary: 'Give a handed-off conversation back to the AI',
  description:
    'Unassigns the conversation and clears its hand-off, so the responder answers the next message again. A waiting conversation becomes active.',
  request: { params: idParam },
  responses: { 200: { description: 'Released', schema: Released } },
  handler: async ({ tx, params: { id }, principal, clock, audit }) => {
    const [before] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, principal.tenantId), eq(conversations.id, id)))
      .for('update');
    if (!before) throw new AppError('not_found', 'no such conversation');
    const [after] = await tx
      .update(conversations)
      .set({
        assignedUserId: null,
        metadata: sql`${conversations.metadata} - 'handoff'`,
        status: before.status === 'waiting' ? 'active' : before.status,
        updatedAt: clock.now(),
      })
      .where(eq(conversations.id, id))
      .returning({
        id: conversations.id,
        status: conversations.status,
        assignedUserId: conversations.assignedUserId,
      });
    await audit({
      action: 'conversations.release-to-ai',
      resourceType: 'conversations',
      resourceId: id,
      oldValues: {
        assignedUserId: before.assignedUserId,
        status: before.status,
        handoff: before.metadata.handoff ?? null,
      },
      newValues: after!,
    });
    return after!;
  },
});
