/** What the chunk operations share: locking the caller's chunk (404, or 412 on a stale If-Match). */
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Tx } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { etagOf, ifMatchAllows } from '../../../platform/http/etag.js';
import { CHUNK_HIDDEN, serialize } from '../operation-kit.js';
import { type KnowledgeChunk, knowledgeChunks } from '../tables.js';

export async function lockChunk({ tx, c, params }: { tx: Tx; c: Context<AppEnv>; params: { id: string } }) {
  const [row] = await tx
    .select()
    .from(knowledgeChunks)
    .where(and(eq(knowledgeChunks.tenantId, c.get('principal').tenantId), eq(knowledgeChunks.id, params.id)))
    .for('update');
  if (!row) throw new AppError('not_found', 'no such knowledge chunk');
  if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(row, CHUNK_HIDDEN)))) {
    throw new AppError('precondition_failed', 'the chunk changed since you read it: fetch it again');
  }
  return row as KnowledgeChunk;
}
