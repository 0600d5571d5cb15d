/**
 * Giving a conversation back to the AI after a hand-off: the responder stays silent while a
 * human is assigned or `metadata.handoff` is set (see responder/policy.ts silenceReason); this
 * clears both in one step, and a waiting conversation becomes active again.
 */
import { eq, sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { conversations } from '../conversations/threads.js';

const Released = z
  .object({ id: z.uuid(), status: z.string(), assignedUserId: z.uuid().nullable() })
  .openapi('ConversationReleased');

export function registerHandoffRoutes(api: ApiContext): void {
  const params = z.object({ id: z.uuid() });
  route(api, {
    method: 'post',
    path: '/conversations/:id/release-to-ai',
    role: 'agent',
    resource: 'conversations',
    tag: 'AI',
    operationId: 'releaseConversationToAi',
    summary: 'Give a handed-off conversation back to the AI',
    description:
      'Unassigns the conversation and clears its hand-off, so the responder answers the next message again. A waiting conversation becomes active.',
    request: { params },
    responses: { 200: { description: 'Released', content: { 'application/json': { schema: Released } } } },
    handler: async (c) => {
      const { id } = parseWith(params, { id: c.req.param('id') }, 'path');
      const released = await withTenant(api.db, c.get('principal').tenantId, async (tx) => {
        const [before] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('update');
        if (!before) throw new AppError('not_found', 'no such conversation');
        const [after] = await tx
          .update(conversations)
          .set({
            assignedUserId: null,
            metadata: sql`${conversations.metadata} - 'handoff'`,
            status: before.status === 'waiting' ? 'active' : before.status,
            updatedAt: api.platform.clock.now(),
          })
          .where(eq(conversations.id, id))
          .returning({
            id: conversations.id,
            status: conversations.status,
            assignedUserId: conversations.assignedUserId,
          });
        await audit(tx, c, {
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
      });
      return c.json(released);
    },
  });
}
