/** DELETE /knowledge-chunks/:id: remove a chunk from search until its source is re-ingested. */
import { eq, sql } from 'drizzle-orm';
import { operation } from '../../../platform/http/operation.js';
import { CHUNK_HIDDEN, idParam, serialize } from '../operation-kit.js';
import { knowledgeChunks, knowledgeSources } from '../tables.js';
import { lockChunk } from './chunk-kit.js';

export const deleteChunkOperation = operation({
  method: 'delete',
  path: '/knowledge-chunks/:id',
  scope: 'tenant',
  role: 'admin',
  resource: 'knowledge-chunks',
  tag: 'Knowledge',
  operationId: 'deleteKnowledgeChunk',
  summary: 'Remove a chunk from search (until the source is re-ingested)',
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' } },
  writeErrors: true,
  load: lockChunk,
  handler: async ({ tx, c, params, loaded: before, audit }) => {
    await tx.delete(knowledgeChunks).where(eq(knowledgeChunks.id, params.id));
    await tx
      .update(knowledgeSources)
      .set({ chunkCount: sql`greatest(${knowledgeSources.chunkCount} - 1, 0)` })
      .where(eq(knowledgeSources.id, before.sourceId));
    await audit({
      action: 'knowledge-chunks.delete',
      resourceType: 'knowledge-chunks',
      resourceId: params.id,
      oldValues: serialize(before, CHUNK_HIDDEN),
    });
    return c.body(null, 204);
  },
});
