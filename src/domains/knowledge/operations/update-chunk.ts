/** PATCH /knowledge-chunks/:id: correct a chunk; its text is embedded again. */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { operation } from '../../../platform/http/operation.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { z } from '../../../platform/zod.js';
import { embedderFor } from '../embed/provider.js';
import { anyObject, CHUNK_HIDDEN, idParam, respond, serialize } from '../operation-kit.js';
import { embeddingText } from '../prepare.js';
import { knowledgeSettings } from '../settings.js';
import { type KnowledgeChunk, knowledgeChunks } from '../tables.js';
import { lockChunk } from './chunk-kit.js';

const chunkPatch = z.object({
  content: z.string().trim().min(1).max(50_000).optional(),
  headingPath: z.array(z.string().max(500)).max(20).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** The columns the patch changes; new text is embedded again and loses its source offsets. */
async function changes(
  tx: Tx,
  platform: AppPlatform,
  before: KnowledgeChunk,
  patch: z.output<typeof chunkPatch>,
) {
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
  return values;
}

export const updateChunkOperation = operation({
  method: 'patch',
  path: '/knowledge-chunks/:id',
  scope: 'tenant',
  role: 'admin',
  resource: 'knowledge-chunks',
  tag: 'Knowledge',
  operationId: 'updateKnowledgeChunk',
  summary: 'Correct a chunk (its text is embedded again)',
  description:
    'An edited chunk no longer matches its source text, so its offsets become null and ' +
    '`metadata.edited` is set. Re-ingesting the source replaces edits. Send `If-Match`.',
  request: { params: idParam, body: chunkPatch },
  responses: { 200: { description: 'Updated', schema: anyObject } },
  writeErrors: true,
  load: lockChunk,
  handler: async ({ tx, c, params, body: patch, loaded: before, platform, audit }) => {
    const values = await changes(tx, platform, before, patch);
    if (Object.keys(values).length === 0) return respond(c, serialize(before, CHUNK_HIDDEN));
    const [after] = await tx
      .update(knowledgeChunks)
      .set(values)
      .where(eq(knowledgeChunks.id, params.id))
      .returning();
    await audit({
      action: 'knowledge-chunks.update',
      resourceType: 'knowledge-chunks',
      resourceId: params.id,
      oldValues: serialize(before, CHUNK_HIDDEN),
      newValues: patch,
    });
    return respond(c, serialize(after!, CHUNK_HIDDEN));
  },
});
