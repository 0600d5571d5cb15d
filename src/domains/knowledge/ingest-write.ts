/**
 * The `knowledge.ingest` job's side of ingestion (ingest.ts creates the sources and queues it):
 * extract (URLs), chunk and embed each source, then write its chunks, status and counter in one
 * transaction per write group, so a killed job is retried for the sources not yet written and
 * each chunk is written once (the crash-safety contract in ingest.ts's header).
 *
 * Size (about 440 lines): compute (extract, chunk, embed), group and write are one pipeline over one
 * `Computed` shape whose crash-safety contract spans all three; apart, the contract would be split.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { arrayLiteral, rawQuery, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { AppPlatform, Platform } from '../../platform/jobs.js';
import { uuidv7 } from '../../schema/columns.js';
import { emitEvent, emitEvents } from '../ops/events.js';
import type { Chunk } from './chunk.js';
import { OfflineEmbedder } from './embed/offline.js';
import { embedderFor } from './embed/provider.js';
import { EmbeddingError, vectorText } from './embed/vectors.js';
import { extractUrl } from './extract/index.js';
import { duplicateOf, sha256, TIER_JOB } from './ingest.js';
import { embeddingText, type PreparedChunks, prepareChunks } from './prepare.js';
import { knowledgeSettings } from './settings.js';
import { type KnowledgeSource, knowledgeChunks, knowledgeSources } from './tables.js';

/** Chunks embedded per provider call (and per progress update). */
const EMBED_BATCH = 64;

/** Records progress (its own short transaction, so readers see it while the job runs). */
async function setProgress(
  p: Platform,
  tenantId: string,
  sourceId: string,
  values: Partial<KnowledgeSource>,
) {
  await withTenant(p.db, tenantId, (tx) =>
    tx.update(knowledgeSources).set(values).where(eq(knowledgeSources.id, sourceId)),
  );
}

/** Errors that retrying cannot fix: the source fails with the message. */
export const isPermanent = (error: unknown): boolean =>
  error instanceof AppError || error instanceof EmbeddingError;

type IngestResult = { chunks: number } | { failed: string } | null;

/**
 * Runs the ingestion of one source now (the job's body). Returns the number of chunks written,
 * or null if the source no longer exists. A permanent error marks the source failed (no chunks
 * are changed) and is returned as `failed`; any other error is thrown for the queue to retry.
 */
export async function ingestNow(p: AppPlatform, tenantId: string, sourceId: string): Promise<IngestResult> {
  return (await ingestSources(p, tenantId, [sourceId])).get(sourceId) ?? null;
}

/** A source's computed chunks and embeddings (as pgvector text), ready to be written. */
interface Computed {
  source: KnowledgeSource;
  content: string;
  hash: string;
  title: string;
  url: string | null;
  chunks: Chunk[];
  embeddings: string[];
}

/** Extracts (URLs), chunks and embeds one source; writes nothing but progress. */
async function compute(
  p: Platform,
  tenantId: string,
  source: KnowledgeSource,
  embedder: ReturnType<typeof embedderFor>,
  started?: Promise<PreparedChunks>,
): Promise<Computed> {
  let { content, title } = source;
  let url = source.url;
  if (source.kind === 'url') {
    const doc = await extractUrl(source.url!, {
      maxBytes: p.config.knowledge.maxBytes,
      timeoutMs: p.config.knowledge.fetchTimeoutMs,
      allowPrivate: p.config.allowPrivateUrls,
    });
    content = doc.content;
    url = doc.url;
    if (title === source.url && doc.title) title = doc.title;
  }
  if (!content) throw new AppError('validation_failed', 'the source has no content');
  // The offline embedder runs with the chunking, on the worker thread; a provider embeds here.
  const offline = embedder instanceof OfflineEmbedder;
  const prepared = await (started ??
    prepareChunks({ content, kind: source.kind, ...(offline ? { model: embedder.model } : {}) }, p.logger));
  const { chunks } = prepared;
  let embeddings = prepared.embeddings;
  if (!embeddings) {
    // Progress is worth a write only when embedding takes several calls.
    if (chunks.length > EMBED_BATCH) await setProgress(p, tenantId, source.id, { progress: 10 });
    embeddings = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      const batch = chunks.slice(i, i + EMBED_BATCH);
      const vectors = await embedder.embed(batch.map((c) => embeddingText(c.headingPath, c.content)));
      for (const v of vectors) embeddings.push(vectorText(v));
      const done = Math.min(i + EMBED_BATCH, chunks.length);
      if (done < chunks.length) {
        await setProgress(p, tenantId, source.id, {
          progress: 10 + Math.floor((85 * done) / chunks.length),
        });
      }
    }
  }
  return { source, content, hash: sha256(content), title, url, chunks, embeddings };
}

/**
 * Marks the written sources ready with their counters, in one statement. Only a URL source's
 * text, hash, title and address change (it was fetched again); the others keep their row's
 * values, so their content (often TOASTed kilobytes) is not written a second time.
 */
async function markReady(tx: Tx, computed: Computed[], processedAt: Date) {
  const values = computed.map((c) => ({
    id: c.source.id,
    chunk_count: c.chunks.length,
    ...(c.source.kind === 'url'
      ? { content: c.content, content_hash: c.hash, title: c.title, url: c.url }
      : {}),
  }));
  await tx.execute(sql`
    UPDATE knowledge_sources s
       SET status = 'ready', error = NULL, progress = 100, processed_at = ${processedAt.toISOString()}::timestamptz,
           chunk_count = r.chunk_count, content = coalesce(r.content, s.content),
           content_hash = coalesce(r.content_hash, s.content_hash), title = coalesce(r.title, s.title),
           url = coalesce(r.url, s.url)
      FROM json_to_recordset(${JSON.stringify(values)}::json)
           AS r(id uuid, chunk_count int, content text, content_hash text, title text, url text)
     WHERE s.id = r.id`);
}

/** Chunk rows per INSERT statement (10 parameters each; PostgreSQL takes up to 65,535). */
const ROWS_PER_INSERT = 500;

/**
 * Inserts the computed sources' chunks, ROWS_PER_INSERT per multi-row VALUES statement with one
 * parameter per cell, the embedding as pgvector text (`vectorText`). The statement is assembled
 * as text and parameters (`rawQuery`): through Drizzle's `sql`, thousands of parameters cost
 * more to build than to execute, and the alternatives measured cost the database more per row
 * (one JSON parameter through json_to_recordset: +45%; arrays through unnest: +30%;
 * docs/knowledge-eval.md).
 */
async function insertChunks(
  tx: Tx,
  tenantId: string,
  computed: Computed[],
  embedding: { model: string; dim: number; tsConfig: string },
) {
  const all = computed.flatMap(({ source, chunks, embeddings }) =>
    chunks.map((c, j) => ({ sourceId: source.id, chunk: c, embedding: embeddings[j]! })),
  );
  for (let i = 0; i < all.length; i += ROWS_PER_INSERT) {
    const batch = all.slice(i, i + ROWS_PER_INSERT);
    // $1–$4 are shared by every row: tenant, model, dimension, text search configuration.
    const params: unknown[] = [tenantId, embedding.model, embedding.dim, embedding.tsConfig];
    const tuples = batch.map(({ sourceId, chunk, embedding: vector }) => {
      const n = params.push(
        uuidv7(),
        sourceId,
        chunk.content,
        vector,
        chunk.position,
        arrayLiteral(chunk.headingPath),
        chunk.startOffset,
        chunk.endOffset,
        chunk.tokenCount,
      );
      const $ = (k: number) => `$${n - 9 + k}`;
      return `($1, ${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}::vector, $2, $3::int, $4::regconfig, ${$(5)}::int, ${$(6)}::text[], ${$(7)}::int, ${$(8)}::int, ${$(9)}::int)`;
    });
    await rawQuery(
      tx,
      `INSERT INTO knowledge_chunks (tenant_id, id, source_id, content, embedding, embedding_model,
              embedding_dim, ts_config, position, heading_path, start_offset, end_offset, token_count)
       VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}

/**
 * Sources per write transaction. While one group is written, the worker thread chunks and embeds
 * the next; a group's commit (a WAL flush) and its handful of statements are paid once per group.
 * kb-ingest measured 3, 5, 10, 20 and 25 per group: 20 did best on both engines.
 */
export const WRITE_GROUP = 20;
/** The first group is half a group, so that writing starts sooner (nothing overlaps preparing it). */
export const FIRST_GROUP = Math.ceil(WRITE_GROUP / 2);

/** The job's sources in write groups: FIRST_GROUP, then WRITE_GROUP each; the last is what is left. */
export function writeGroups<T>(items: T[]): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = i === 0 ? FIRST_GROUP : WRITE_GROUP;
    groups.push(items.slice(i, i + size));
    i += size;
  }
  return groups;
}

/**
 * Runs the ingestion of several sources of one tenant (the job's body). Sources still `queued`
 * or `processing` are taken (a retry skips those an earlier attempt finished), in write groups
 * (`writeGroups`): each group's chunks, statuses and counters are written in ONE transaction
 * while the worker thread prepares the next group (prepare.ts). A permanent error (or a
 * duplicate of another source's content) fails that source alone; any other error is thrown for
 * the queue to retry: the groups written stay written, the others are untouched. Returns each
 * source's result; a source that no longer exists, was already done, or got new text meanwhile
 * (which its own job writes) has none.
 */
export async function ingestSources(
  p: AppPlatform,
  tenantId: string,
  sourceIds: string[],
): Promise<Map<string, IngestResult>> {
  const results = new Map<string, IngestResult>();
  const { sources, settings } = await withTenant(p.db, tenantId, async (tx) => ({
    sources: await tx
      .update(knowledgeSources)
      .set({ status: 'processing', error: null, progress: 1 })
      .where(
        and(
          inArray(knowledgeSources.id, sourceIds),
          inArray(knowledgeSources.status, ['queued', 'processing']),
        ),
      )
      .returning(),
    settings: await knowledgeSettings(tx, p.config),
  }));
  // In the order given (an upload's order), which also fixes the write groups.
  const order = new Map(sourceIds.map((id, i) => [id, i]));
  sources.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const embedder = embedderFor(p.config, settings.embeddingModel);
  const fail = async (id: string, error: unknown) => {
    if (!isPermanent(error)) throw error;
    const message = (error as Error).message;
    await failSource(p, tenantId, id, message);
    results.set(id, { failed: message });
  };
  const write = (computed: Computed[]) =>
    writeComputed(p, tenantId, computed, results, {
      model: embedder.model,
      dim: embedder.dimensions!,
      tsConfig: settings.tsConfig,
    });

  // With the offline embedder, the worker thread is handed the stored texts of this group and
  // the next, and works through them in order while this thread writes: it is never idle
  // waiting for the next text, and holds at most two groups' texts.
  const groups = writeGroups(sources);
  const started = new Map<string, Promise<PreparedChunks>>();
  const startGroup = (group: KnowledgeSource[] | undefined) => {
    if (!(embedder instanceof OfflineEmbedder)) return;
    for (const { id, kind, content } of group ?? []) {
      if (kind === 'url' || !content || started.has(id)) continue;
      const prepared = prepareChunks({ content, kind, model: embedder.model }, p.logger);
      prepared.catch(() => {}); // reported by compute, which awaits it
      started.set(id, prepared);
    }
  };
  let writing: Promise<number | null> | undefined;
  let size: number | null = null;
  try {
    for (const [g, group] of groups.entries()) {
      startGroup(group);
      startGroup(groups[g + 1]);
      const computed: Computed[] = [];
      for (const source of group) {
        try {
          const prepared = started.get(source.id);
          started.delete(source.id);
          computed.push(await compute(p, tenantId, source, embedder, prepared));
        } catch (error) {
          await fail(source.id, error);
        }
      }
      if (writing) size = (await writing) ?? size;
      writing = computed.length > 0 ? write(computed) : undefined;
      // Handled when awaited; until then a failure must not count as unhandled.
      writing?.catch(() => {});
    }
    if (writing) size = (await writing) ?? size;
  } catch (error) {
    await writing?.catch(() => {});
    throw error;
  }
  if (p.jobs && size !== null && size >= p.config.knowledge.annThreshold) {
    await p.jobs.send(TIER_JOB, { tenantId, model: embedder.model });
  }
  return results;
}

/**
 * Writes computed sources in one transaction: locks them, skips those deleted or given new text
 * meanwhile, fails duplicates of other sources' content, replaces the others' chunks and marks
 * them ready. Returns the tenant's size in chunks after it (null when nothing was written).
 */
async function writeComputed(
  p: Platform,
  tenantId: string,
  computed: Computed[],
  results: Map<string, IngestResult>,
  embedding: { model: string; dim: number; tsConfig: string },
): Promise<number | null> {
  return withTenant(p.db, tenantId, async (tx) => {
    const ids = computed.map((c) => c.source.id);
    const locked = new Map(
      (
        await tx
          .select({ id: knowledgeSources.id, hash: knowledgeSources.contentHash })
          .from(knowledgeSources)
          // tenant_id as well as RLS: on Citus, a locking read must name its shard.
          .where(and(eq(knowledgeSources.tenantId, tenantId), inArray(knowledgeSources.id, ids)))
          .for('update')
      ).map((r) => [r.id, r.hash]),
    );
    // Gone while we worked, or new text arrived (the job queued with it writes the chunks).
    let current = computed.filter(
      (c) =>
        locked.has(c.source.id) &&
        (c.source.kind === 'url' || locked.get(c.source.id) === c.source.contentHash),
    );
    // The same content as another source (or as an earlier one of this batch) fails this one.
    const others = await tx
      .select({ id: knowledgeSources.id, title: knowledgeSources.title, hash: knowledgeSources.contentHash })
      .from(knowledgeSources)
      .where(
        and(
          inArray(
            knowledgeSources.contentHash,
            current.map((c) => c.hash),
          ),
          notInArray(knowledgeSources.id, ids),
        ),
      );
    const taken = new Map(others.map((o) => [o.hash!, { id: o.id, title: o.title }]));
    const duplicates: Array<[Computed, { id: string; title: string }]> = [];
    current = current.filter((c) => {
      const other = taken.get(c.hash);
      if (other) duplicates.push([c, other]);
      else taken.set(c.hash, { id: c.source.id, title: c.title });
      return !other;
    });
    const failed = duplicates.map(([c, other]) => ({ id: c.source.id, error: duplicateOf(other).message }));
    for (const { id, error } of failed) {
      await tx
        .update(knowledgeSources)
        .set({ status: 'failed', error, progress: 0 })
        .where(eq(knowledgeSources.id, id));
      results.set(id, { failed: error });
    }
    await emitEvents(
      tx,
      tenantId,
      failed.map((data) => ({ type: 'knowledge_source.failed', data })),
      { at: p.clock.now() },
    );
    if (current.length === 0) return null;

    await tx.delete(knowledgeChunks).where(
      inArray(
        knowledgeChunks.sourceId,
        current.map((c) => c.source.id),
      ),
    );
    await insertChunks(tx, tenantId, current, embedding);
    await markReady(tx, current, p.clock.now());
    for (const c of current) results.set(c.source.id, { chunks: c.chunks.length });
    await emitEvents(
      tx,
      tenantId,
      current.map((c) => ({
        type: 'knowledge_source.ready',
        data: { id: c.source.id, title: c.title, chunkCount: c.chunks.length },
      })),
      { at: p.clock.now() },
    );
    // The tenant's size from the sources' counters (one row per source, not per chunk);
    // the tier job counts chunks per model exactly before it builds anything.
    const [count] = await tx
      .select({ n: sql<number>`coalesce(sum(${knowledgeSources.chunkCount}), 0)::int` })
      .from(knowledgeSources)
      .where(eq(knowledgeSources.status, 'ready'));
    return count!.n;
  });
}

/** Marks a source failed with its error; its chunks (from an earlier ingestion) are kept. */
export async function failSource(p: Platform, tenantId: string, sourceId: string, message: string) {
  const error = message.slice(0, 2000);
  await withTenant(p.db, tenantId, async (tx) => {
    await tx
      .update(knowledgeSources)
      .set({ status: 'failed', error, progress: 0 })
      .where(eq(knowledgeSources.id, sourceId));
    await emitEvent(tx, tenantId, 'knowledge_source.failed', { id: sourceId, error }, { at: p.clock.now() });
  });
}

/**
 * Marks failed those of the sources still waiting or in progress (a job that ran out of retries:
 * the sources an earlier attempt finished stay as they are).
 */
export async function failUnfinished(p: Platform, tenantId: string, sourceIds: string[], message: string) {
  const error = message.slice(0, 2000);
  await withTenant(p.db, tenantId, async (tx) => {
    const failed = await tx
      .update(knowledgeSources)
      .set({ status: 'failed', error, progress: 0 })
      .where(
        and(
          inArray(knowledgeSources.id, sourceIds),
          inArray(knowledgeSources.status, ['queued', 'processing']),
        ),
      )
      .returning({ id: knowledgeSources.id });
    await emitEvents(
      tx,
      tenantId,
      failed.map(({ id }) => ({ type: 'knowledge_source.failed', data: { id, error } })),
      { at: p.clock.now() },
    );
  });
}
