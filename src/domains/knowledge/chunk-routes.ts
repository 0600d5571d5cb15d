/** Editing and deleting one chunk of a knowledge source (reading chunks is the resource in routes.ts). */
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf, ifMatchAllows } from '../../platform/http/etag.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { embedderFor } from './embed/provider.js';
import {
  anyObject,
  CHUNK_HIDDEN,
  idOf,
  idParam,
  json,
  respond,
  serialize,
  tenantOf,
} from './operation-kit.js';
import { embeddingText } from './prepare.js';
import { knowledgeSettings } from './settings.js';
import { type KnowledgeChunk, knowledgeChunks, knowledgeSources } from './tables.js';

export function registerChunkOperations(api: ApiContext): void {
  const { db, platform } = api;
  /** Locks a chunk of the caller's tenant: 404 when absent, 412 when If-Match differs. */
  const lockChunk = async (tx: Tx, c: Context<AppEnv>, id: string): Promise<KnowledgeChunk> => {
    const [row] = await tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.id, id)).for('update');
    if (!row) throw new AppError('not_found', 'no such knowledge chunk');
    if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(row, CHUNK_HIDDEN)))) {
      throw new AppError('precondition_failed', 'the chunk changed since you read it: fetch it again');
    }
    return row;
  };

  const chunkPatch = z.object({
    content: z.string().trim().min(1).max(50_000).optional(),
    headingPath: z.array(z.string().max(500)).max(20).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  });
  route(api, {
    method: 'patch',
    path: '/knowledge-chunks/:id',
    role: 'admin',
    resource: 'knowledge-chunks',
    tag: 'Knowledge',
    operationId: 'updateKnowledgeChunk',
    summary: 'Correct a chunk (its text is embedded again)',
    description:
      'An edited chunk no longer matches its source text, so its offsets become null and ' +
      '`metadata.edited` is set. Re-ingesting the source replaces edits. Send `If-Match`.',
    request: { params: idParam, body: json(chunkPatch) },
    responses: { 200: { description: 'Updated', ...json(anyObject) }, ...writeErrors },
    handler: async (c) => {
      const id = idOf(c);
      const tenantId = tenantOf(c);
      const row = await withTenant(db, tenantId, async (tx) => {
        const before = await lockChunk(tx, c, id);
        const patch = await jsonBody(c, chunkPatch);
        const values: Partial<KnowledgeChunk> = {};
        if (patch.metadata) values.metadata = patch.metadata;
        if (patch.headingPath) values.headingPath = patch.headingPath;
        if (patch.content !== undefined && patch.content !== before.content) {
          const { embeddingModel } = await knowledgeSettings(tx, platform.config);
          const embedder = embedderFor(platform.config, embeddingModel);
          const [vector] = await embedder.embed([
            embeddingText(patch.headingPath ?? before.headingPath, patch.content),
          ]);
          Object.assign(values, {
            content: patch.content,
            embedding: vector!,
            embeddingModel: embedder.model,
            embeddingDim: vector!.length,
            startOffset: null,
            endOffset: null,
            metadata: { ...(values.metadata ?? before.metadata), edited: true },
          });
        }
        if (Object.keys(values).length === 0) return before;
        const [after] = await tx
          .update(knowledgeChunks)
          .set(values)
          .where(eq(knowledgeChunks.id, id))
          .returning();
        await audit(tx, c, {
          action: 'knowledge-chunks.update',
          resourceType: 'knowledge-chunks',
          resourceId: id,
          oldValues: serialize(before, CHUNK_HIDDEN),
          newValues: patch,
        });
        return after!;
      });
      return respond(c, serialize(row, CHUNK_HIDDEN));
    },
  });

  route(api, {
    method: 'delete',
    path: '/knowledge-chunks/:id',
    role: 'admin',
    resource: 'knowledge-chunks',
    tag: 'Knowledge',
    operationId: 'deleteKnowledgeChunk',
    summary: 'Remove a chunk from search (until the source is re-ingested)',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...writeErrors },
    handler: async (c) => {
      const id = idOf(c);
      await withTenant(db, tenantOf(c), async (tx) => {
        const before = await lockChunk(tx, c, id);
        await tx.delete(knowledgeChunks).where(eq(knowledgeChunks.id, id));
        await tx
          .update(knowledgeSources)
          .set({ chunkCount: sql`greatest(${knowledgeSources.chunkCount} - 1, 0)` })
          .where(eq(knowledgeSources.id, before.sourceId));
        await audit(tx, c, {
          action: 'knowledge-chunks.delete',
          resourceType: 'knowledge-chunks',
          resourceId: id,
          oldValues: serialize(before, CHUNK_HIDDEN),
        });
      });
      return c.body(null, 204);
    },
  });
}
