/** GET /conversations/:id/messages: one conversation's messages, a page at a time. */
import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { decodeCursor, encodeCursor, MAX_LIMIT } from '../../../platform/http/pagination.js';
import { z } from '../../../platform/zod.js';
import { conversations, messages } from '../tables.js';
import { idParam, messageRead, serialize } from './kit.js';

const nestedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
  cursor: z.string().max(200).optional(),
  sort: z.enum(['createdAt', '-createdAt']).default('createdAt'),
});

export const listConversationMessagesOperation = operation({
  method: 'get',
  path: '/conversations/:id/messages',
  scope: 'tenant',
  role: 'viewer',
  resource: 'conversations',
  tag: 'Conversations',
  operationId: 'listConversationMessages',
  summary: 'List a conversation’s messages',
  description: 'Oldest first by default; pass `nextCursor` back as `cursor` for the next page.',
  request: { params: idParam, query: nestedQuery },
  responses: {
    200: {
      description: 'One page',
      schema: z.object({ data: z.array(messageRead), nextCursor: z.string().nullable() }),
    },
  },
  handler: async ({ tx, params, query: q, principal }) => {
    const isDesc = q.sort === '-createdAt';
    const cur = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (cur && cur.desc !== isDesc)
      throw new AppError('bad_request', 'the cursor belongs to another sort order');
    const [conv] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      // tenant_id as well as RLS: on Citus it routes both reads to the tenant's shard.
      .where(and(eq(conversations.tenantId, principal.tenantId), eq(conversations.id, params.id)));
    if (!conv) throw new AppError('not_found', 'no such conversation');
    const rows = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, principal.tenantId),
          eq(messages.conversationId, params.id),
          cur ? (isDesc ? lt(messages.id, cur.id) : gt(messages.id, cur.id)) : undefined,
        ),
      )
      .orderBy(isDesc ? desc(messages.id) : asc(messages.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const next = rows.length > q.limit && last ? encodeCursor({ id: last.id, desc: isDesc }) : null;
    return { data: page.map(serialize), nextCursor: next };
  },
});
