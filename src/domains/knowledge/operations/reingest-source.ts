/** POST /knowledge-sources/:id/reingest: ingest a source again, optionally with new text or URL. */
import { eq } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import { audit } from '../../../platform/http/audit.js';
import { etagOf, ifMatchAllows } from '../../../platform/http/etag.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { reingestSource } from '../ingest.js';
import { anyObject, httpUrl, idParam, respond, serialize } from '../operation-kit.js';
import { knowledgeSources } from '../tables.js';

const reingestBody = z.object({ content: z.string().min(1).optional(), url: httpUrl.optional() });

export const reingestSourceOperation = operation({
  method: 'post',
  path: '/knowledge-sources/:id/reingest',
  scope: 'tenant',
  role: 'admin',
  resource: 'knowledge-sources',
  tag: 'Knowledge',
  operationId: 'reingestKnowledgeSource',
  summary: 'Ingest a source again (optionally with new text or a new URL)',
  description:
    'Queues the source; its chunks are replaced in one transaction when ingestion ends (until then ' +
    'search keeps serving the previous ones). Send `If-Match` to refuse lost updates.',
  request: { params: idParam, body: reingestBody, bodyRequired: false },
  responses: { 202: { description: 'Queued', schema: anyObject } },
  writeErrors: true,
  // 404 before the body is read: another tenant's id answers the same whatever is sent.
  load: async ({ tx, params }) => {
    const [row] = await tx.select().from(knowledgeSources).where(eq(knowledgeSources.id, params.id));
    if (!row) throw new AppError('not_found', 'no such knowledge source');
    return row;
  },
  // Re-ingesting locks the source and queues its job in a transaction of its own (ingest.ts).
  transaction: false,
  handler: async ({ c, body: change, params, principal, platform }) => {
    const row = await reingestSource(
      platform,
      principal.tenantId,
      params.id,
      change,
      async (tx, before, after) => {
        if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(before)))) {
          throw new AppError('precondition_failed', 'the source changed since you read it: fetch it again');
        }
        await audit(tx, c, {
          action: 'knowledge-sources.reingest',
          resourceType: 'knowledge-sources',
          resourceId: params.id,
          newValues: { ...(change.url ? { url: change.url } : {}), contentHash: after.contentHash },
        });
      },
    );
    return respond(c, serialize(row), 202);
  },
});
