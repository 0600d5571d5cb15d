/**
 * Ingestion: a source is created (status `queued`), then the `knowledge.ingest` job extracts
 * (URLs), chunks, embeds and writes its chunks.
 *
 * How to call:
 *   const source = await createSource({ ...platform, jobs }, tenantId, { kind: 'text', title, content });
 *   const source = await createSource(p, tenantId, { kind: 'file', fileName: 'a.pdf', bytes });
 *   const source = await createSource(p, tenantId, { kind: 'url', url: 'https://…' });
 *   const source = await createSource(p, tenantId, { kind: 'faq', title: 'FAQ', items: [{ question, answer }] });
 *   const sources = await createSources(p, tenantId, [input, …]);  // all or none; one job per 50
 *   await jobs.drain();                       // or: await ingestNow(platform, tenantId, source.id)
 *   await reingestSource(p, tenantId, id);    // re-read (URL) and re-chunk; chunks replaced atomically
 *
 * Files are extracted while the request is made, so a bad file is refused (413/415/422) with
 * nothing stored; a URL is fetched by the job, and a fetch failure fails the source (with the
 * error). The same content (sha256 of the extracted text) is stored once per tenant: a second
 * copy answers 409 naming the first.
 *
 * Crash safety: a source's chunks, status and counter are written in ONE transaction (with
 * those of up to WRITE_GROUP other sources of the job), replacing whatever chunks it had. A
 * process killed mid-way leaves the unwritten sources `processing` with their previous chunks
 * untouched; pg-boss retries the job (after `expireInSeconds` for a killed worker) and the
 * retry takes only the sources not yet written, so each chunk is written once.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { rawQuery, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { AppPlatform, Platform } from '../../platform/jobs.js';
import { uuidv7 } from '../../schema/columns.js';
import { emitEvent, emitEvents } from '../ops/events.js';
import type { Chunk } from './chunk.js';
import { OfflineEmbedder } from './embed/offline.js';
import { embedderFor } from './embed/provider.js';
import { EmbeddingError, vectorText } from './embed/vectors.js';
import { extractFile, extractHtmlText, extractUrl } from './extract/index.js';
import { normalizeText } from './extract/text.js';
import { embeddingText, type PreparedChunks, prepareChunks } from './prepare.js';
import { knowledgeSettings, setKnowledgeSetting } from './settings.js';
import {
  faqCategories,
  faqItems,
  type KnowledgeSource,
  knowledgeChunks,
  knowledgeSources,
} from './tables.js';

export const INGEST_JOB = 'knowledge.ingest';
/** Chunks embedded per provider call (and per progress update). */
const EMBED_BATCH = 64;

interface Common {
  title?: string;
  tags?: string[];
  category?: string | null;
  agentId?: string | null;
  isPublic?: boolean;
  createdBy?: string | null;
  metadata?: Record<string, unknown>;
}

export type SourceInput = Common &
  (
    | { kind: 'text' | 'article'; content: string; format?: 'text' | 'markdown' | 'html' }
    | { kind: 'faq'; items: Array<{ question: string; answer: string }> }
    | { kind: 'url'; url: string }
    | { kind: 'file'; bytes: Buffer; fileName?: string; mediaType?: string }
  );

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** FAQ items as the text of a `faq` source: one `Q:`/`A:` pair per paragraph (one chunk each). */
export function faqText(items: Array<{ question: string; answer: string }>): string {
  return items.map((i) => `Q: ${i.question.trim()}\nA: ${i.answer.trim()}`).join('\n\n');
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** What the row gets from the input, extraction included (throws before anything is written). */
async function prepare(p: Platform, input: SourceInput) {
  switch (input.kind) {
    case 'file': {
      const doc = await extractFile(input.bytes, {
        ...(input.fileName ? { fileName: input.fileName } : {}),
        ...(input.mediaType ? { mediaType: input.mediaType } : {}),
        maxBytes: p.config.knowledge.maxBytes,
      });
      return {
        title: input.title ?? doc.title ?? input.fileName ?? 'Untitled file',
        content: doc.content,
        fileName: input.fileName ?? null,
        fileType: doc.format,
        fileSize: input.bytes.length,
      };
    }
    case 'url':
      return { title: input.title ?? input.url, content: null, url: input.url };
    case 'faq':
      if (input.items.length === 0)
        throw new AppError('validation_failed', 'an FAQ source needs at least one item');
      return { title: input.title ?? 'FAQ', content: faqText(input.items) };
    default: {
      if (Buffer.byteLength(input.content) > p.config.knowledge.maxBytes) {
        throw new AppError('payload_too_large', `the content is over ${p.config.knowledge.maxBytes} bytes`);
      }
      const html = input.format === 'html' ? await extractHtmlText(input.content) : undefined;
      const content = normalizeText(html?.content ?? input.content);
      if (!content) throw new AppError('validation_failed', 'the content is empty');
      return { title: input.title ?? html?.title ?? content.split('\n', 1)[0]!.slice(0, 200), content };
    }
  }
}

/** Refuses content the tenant already has, in a source other than `except` (409 naming it). */
async function checkDuplicates(tx: Tx, hashes: string[], except?: string): Promise<void> {
  if (hashes.length === 0) return;
  const [other] = await tx
    .select({ id: knowledgeSources.id, title: knowledgeSources.title })
    .from(knowledgeSources)
    .where(
      and(
        inArray(knowledgeSources.contentHash, hashes),
        except ? ne(knowledgeSources.id, except) : undefined,
      ),
    )
    .limit(1);
  if (other) throw duplicateOf(other);
}

const duplicateOf = (other: { id: string; title: string }) =>
  new AppError('conflict', `the same content is already ingested as source ${other.id} (“${other.title}”)`);

/**
 * Sources per ingestion job made by `createSources`: one queue round trip per batch, and the
 * one un-overlapped step of a job (preparing its first group, writing its last) paid once per
 * 50 sources (kb-ingest measured 25 and 50).
 */
export const INGEST_BATCH = 50;

/**
 * Creates the source (queued) and enqueues its ingestion. `onCreated` runs inside the insert's
 * transaction (the API records its audit entry there).
 */
export async function createSource(
  p: AppPlatform,
  tenantId: string,
  input: SourceInput,
  onCreated?: (tx: Tx, source: KnowledgeSource) => Promise<void>,
): Promise<KnowledgeSource> {
  return (await createSources(p, tenantId, [input], onCreated))[0]!;
}

/**
 * Creates several sources at once (a multi-document upload): every input is extracted first,
 * then all rows are inserted in ONE transaction (all or none: a bad file or a duplicate refuses
 * the whole batch) and one ingestion job is queued per `INGEST_BATCH` sources.
 */
export async function createSources(
  p: AppPlatform,
  tenantId: string,
  inputs: SourceInput[],
  onCreated?: (tx: Tx, source: KnowledgeSource) => Promise<void>,
): Promise<KnowledgeSource[]> {
  if (inputs.length === 0) return [];
  const prepared: Array<{ input: SourceInput; fields: Prepared; hash: string | null }> = [];
  for (const [i, input] of inputs.entries()) {
    let fields: Prepared;
    try {
      fields = await prepare(p, input);
    } catch (error) {
      // In a batch, the error names the document it is about.
      if (inputs.length === 1 || !(error instanceof AppError)) throw error;
      const name = input.kind === 'file' && input.fileName ? ` (${input.fileName})` : '';
      throw new AppError(error.code, `document ${i + 1}${name}: ${error.message}`, error.extras);
    }
    prepared.push({ input, fields, hash: fields.content === null ? null : sha256(fields.content) });
  }
  const seen = new Map<string, number>();
  for (const [i, { hash }] of prepared.entries()) {
    if (hash === null) continue;
    const first = seen.get(hash);
    if (first !== undefined) {
      throw new AppError('conflict', `documents ${first + 1} and ${i + 1} have the same content`);
    }
    seen.set(hash, i);
  }
  const sources = await withTenant(p.db, tenantId, async (tx) => {
    await checkDuplicates(tx, [...seen.keys()]);
    const rows = await tx
      .insert(knowledgeSources)
      .values(
        prepared.map(({ input, fields, hash }) => ({
          tenantId,
          kind: input.kind,
          ...fields,
          contentHash: hash,
          tags: input.tags ?? [],
          category: input.category ?? null,
          agentId: input.agentId ?? null,
          isPublic: input.isPublic ?? true,
          createdBy: input.createdBy ?? null,
          metadata: input.metadata ?? {},
        })),
      )
      .returning();
    for (const row of rows) await onCreated?.(tx, row);
    return rows;
  });
  for (let i = 0; i < sources.length; i += INGEST_BATCH) {
    const sourceIds = sources.slice(i, i + INGEST_BATCH).map((s) => s.id);
    await p.jobs.send(INGEST_JOB, { tenantId, sourceIds });
  }
  return sources;
}

/**
 * Queues the source again (URLs are fetched again), optionally with new text (typed-in kinds)
 * or a new URL; its chunks are replaced when the job ends. `onQueued` runs in the transaction.
 */
export async function reingestSource(
  p: AppPlatform,
  tenantId: string,
  sourceId: string,
  change: { content?: string; url?: string } = {},
  onQueued?: (tx: Tx, before: KnowledgeSource, after: KnowledgeSource) => Promise<void>,
): Promise<KnowledgeSource> {
  const source = await withTenant(p.db, tenantId, async (tx) => {
    const [before] = await tx
      .select()
      .from(knowledgeSources)
      .where(and(eq(knowledgeSources.tenantId, tenantId), eq(knowledgeSources.id, sourceId)))
      .for('update');
    if (!before) throw new AppError('not_found', 'no such knowledge source');
    const values: Partial<KnowledgeSource> = { status: 'queued', error: null, progress: 0 };
    if (change.content !== undefined) {
      if (!['text', 'article', 'faq'].includes(before.kind)) {
        throw new AppError(
          'validation_failed',
          `a ${before.kind} source is re-read from its origin: send no content`,
        );
      }
      const content = normalizeText(change.content);
      if (!content) throw new AppError('validation_failed', 'the content is empty');
      values.content = content;
      values.contentHash = sha256(content);
      await checkDuplicates(tx, [values.contentHash], sourceId);
    }
    if (change.url !== undefined) {
      if (before.kind !== 'url') throw new AppError('validation_failed', 'only a url source has a URL');
      values.url = change.url;
    }
    const [after] = await tx
      .update(knowledgeSources)
      .set(values)
      .where(eq(knowledgeSources.id, sourceId))
      .returning();
    await onQueued?.(tx, before, after!);
    return after!;
  });
  await p.jobs.send(INGEST_JOB, { tenantId, sourceId });
  return source;
}

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

/** A PostgreSQL array literal of text (`{"Billing","Refunds"}`), the same on both drivers. */
const textArray = (items: readonly string[]): string =>
  `{${items.map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

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
        textArray(chunk.headingPath),
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

export const TIER_JOB = 'knowledge.tier';
export const REEMBED_JOB = 'knowledge.reembed';

/**
 * Switches the tenant to another embedding model (tenants.settings.knowledge.embeddingModel)
 * and re-embeds its chunks in the background. Until a source is re-embedded, vector search
 * does not see its chunks (they are on the old model); keyword search still does.
 */
export async function setEmbeddingModel(p: AppPlatform, tenantId: string, model: string): Promise<void> {
  try {
    embedderFor(p.config, model); // refuses a model the configured provider cannot have
  } catch (error) {
    throw new AppError('validation_failed', (error as Error).message);
  }
  await withTenant(p.db, tenantId, (tx) => setKnowledgeSetting(tx, 'embeddingModel', model));
  await p.jobs.send(REEMBED_JOB, { tenantId });
}

/** Marks the source that mirrors the tenant's FAQ items (`metadata.origin`). */
export const FAQ_ORIGIN = 'faq_items';

/**
 * Indexes the tenant's active FAQ items (faq_items, in category and display order) as one `faq`
 * source, one chunk per Q/A pair: created on first use, re-ingested when the items changed,
 * deleted when none is left. Returns the source, or null when there are no items.
 */
export async function syncFaqSource(p: AppPlatform, tenantId: string): Promise<KnowledgeSource | null> {
  const { items, existing } = await withTenant(p.db, tenantId, async (tx) => ({
    items: await tx
      .select({ question: faqItems.question, answer: faqItems.answer })
      .from(faqItems)
      .innerJoin(
        faqCategories,
        and(eq(faqCategories.tenantId, faqItems.tenantId), eq(faqCategories.id, faqItems.categoryId)),
      )
      // tenant_id as well as RLS: on Citus, joins run on the tenant's shard.
      .where(and(eq(faqItems.tenantId, tenantId), eq(faqItems.isActive, true)))
      .orderBy(faqCategories.displayOrder, faqItems.displayOrder, faqItems.id),
    existing: (
      await tx
        .select()
        .from(knowledgeSources)
        .where(
          and(eq(knowledgeSources.kind, 'faq'), sql`${knowledgeSources.metadata}->>'origin' = ${FAQ_ORIGIN}`),
        )
    )[0],
  }));
  if (items.length === 0) {
    if (existing) {
      await withTenant(p.db, tenantId, (tx) =>
        tx.delete(knowledgeSources).where(eq(knowledgeSources.id, existing.id)),
      );
    }
    return null;
  }
  const content = faqText(items);
  if (!existing) {
    return createSource(p, tenantId, { kind: 'faq', title: 'FAQ', items, metadata: { origin: FAQ_ORIGIN } });
  }
  if (existing.contentHash === sha256(content) && existing.status !== 'failed') return existing;
  return reingestSource(p, tenantId, existing.id, { content });
}
