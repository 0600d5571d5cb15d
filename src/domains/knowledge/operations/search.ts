/** POST /knowledge/search: the tenant's knowledge base, in any mode, with `explain` on request. */
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { anyObject, tags } from '../operation-kit.js';
import { DEFAULT_SEARCH_MODE, MAX_K, SEARCH_MODES, searchKnowledge } from '../search.js';
import { SOURCE_KINDS } from '../tables.js';

const searchBody = z
  .object({
    query: z.string().trim().min(1).max(2_000),
    k: z.number().int().min(1).max(MAX_K).optional(),
    mode: z.enum(SEARCH_MODES).optional(),
    sourceIds: z.array(z.uuid()).max(100).optional(),
    tags: tags.optional(),
    kinds: z.array(z.enum(SOURCE_KINDS)).max(SOURCE_KINDS.length).optional(),
    explain: z.boolean().optional(),
  })
  .openapi('KnowledgeSearchInput');

export const searchKnowledgeOperation = operation({
  method: 'post',
  path: '/knowledge/search',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  probe: { body: { query: 'x', k: 20, mode: 'hybrid' } },
  tag: 'Knowledge',
  operationId: 'searchKnowledge',
  summary: 'Search the knowledge base',
  description:
    `Modes: \`vector\`, \`keyword\` (BM25 over the tenant's own corpus, in its language, typos ` +
    `corrected) or \`hybrid\` (score-aware fusion of both, one passage per source first); default ` +
    `\`${DEFAULT_SEARCH_MODE}\`. Results carry scores and citations (character ` +
    'offsets into the source’s `content`). `explain: true` adds each result’s rank and score in every ' +
    'mode and the tier (exact scan or the tenant’s approximate index) that served the query.',
  request: { body: searchBody },
  responses: { 200: { description: 'Results, best first', schema: anyObject } },
  // The search picks its tier and opens its own transactions (search.ts).
  transaction: false,
  handler: ({ body, principal, platform }) => searchKnowledge(platform, principal.tenantId, body),
});
