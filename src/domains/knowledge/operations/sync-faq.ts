/** POST /knowledge/faq/sync: the FAQ items as one knowledge source, one chunk per question. */
import { operation } from '../../../platform/http/operation.js';
import { syncFaqSource } from '../ingest.js';
import { anyObject, respond, serialize } from '../operation-kit.js';

export const syncFaqOperation = operation({
  method: 'post',
  path: '/knowledge/faq/sync',
  scope: 'tenant',
  role: 'admin',
  collection: true,
  tag: 'Knowledge',
  operationId: 'syncKnowledgeFaq',
  summary: 'Index the FAQ items (faq-items) as one knowledge source, one chunk per question',
  description:
    'Creates the FAQ source on first use, re-ingests it when the items changed, deletes it when no ' +
    'active item is left (204). Call after editing FAQ items.',
  responses: {
    200: { description: 'The FAQ source', schema: anyObject },
    204: { description: 'No FAQ items' },
  },
  // Ingestion commits the source and queues its job in transactions of its own (ingest.ts).
  transaction: false,
  handler: async ({ c, principal, platform }) => {
    const source = await syncFaqSource(platform, principal.tenantId);
    return source ? respond(c, serialize(source)) : c.body(null, 204);
  },
});
