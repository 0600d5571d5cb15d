/** GET /agent-templates: the global catalogue (active templates), read in the tenant context. */
import { and, asc, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import { AppError } from '../../../platform/errors.js';
import { toJsonValue } from '../../../platform/http/json-value.js';
import { operation } from '../../../platform/http/operation.js';
import { decodeCursor, encodeCursor, listQuery } from '../../../platform/http/pagination.js';
import { z } from '../../../platform/zod.js';
import { AGENT_TYPES, agentTemplates } from '../tables.js';
import type { Row } from './kit.js';

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
const read = (factory.createSelectSchema(agentTemplates) as unknown as z.ZodObject).openapi('AgentTemplate');
const query = listQuery.extend({
  category: z.string().max(100).optional(),
  agentType: z.enum(AGENT_TYPES).optional(),
});

export const listAgentTemplatesOperation = operation({
  method: 'get',
  path: '/agent-templates',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'AI',
  operationId: 'listAgentTemplates',
  summary: 'List agent templates',
  description:
    'Ready-made agents offered to every tenant (shared, read-only). Copy one into `POST /v1/agents` with `templateId`. Newest first by default; pass `nextCursor` back as `cursor`.',
  request: { query },
  responses: {
    200: {
      description: 'One page',
      schema: z.object({ data: z.array(read), nextCursor: z.string().nullable() }),
    },
  },
  handler: async ({ tx, query: q }) => {
    const isDesc = q.sort === '-createdAt';
    const conds: SQL[] = [eq(agentTemplates.isActive, true)];
    if (q.category !== undefined) conds.push(eq(agentTemplates.category, q.category));
    if (q.agentType !== undefined) conds.push(eq(agentTemplates.agentType, q.agentType));
    if (q.cursor) {
      const cur = decodeCursor(q.cursor);
      if (cur.desc !== isDesc) throw new AppError('bad_request', 'the cursor belongs to another sort order');
      conds.push(isDesc ? lt(agentTemplates.id, cur.id) : gt(agentTemplates.id, cur.id));
    }
    const rows = await tx
      .select()
      .from(agentTemplates)
      .where(and(...conds))
      .orderBy(isDesc ? desc(agentTemplates.id) : asc(agentTemplates.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const next = rows.length > q.limit && last ? encodeCursor({ id: last.id, desc: isDesc }) : null;
    return { data: toJsonValue(page) as Row[], nextCursor: next };
  },
});
