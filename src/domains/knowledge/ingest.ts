/**
 * Ingestion: a source is created (status `queued`), then the `knowledge.ingest` job extracts
 * (URLs), chunks, embeds and writes its chunks.
 *
 * How to call:
 *   const source = await createSource({ ...platform, jobs }, tenantId, { kind: 'text', title, content });
 *   const source = await createSource(p, tenantId, { kind: 'file', fileName: 'a.pdf', bytes });
 *   const source = await createSource(p, tenantId, { kind: 'url', url: 'https://…' });
 *   const source = await createSource(p, tenantId, { kind: 'faq', title: 'FAQ', items: [{ question, answer }] });
 *   await jobs.drain();                       // or: await ingestNow(platform, tenantId, source.id)
 *   await reingestSource(p, tenantId, id);    // re-read (URL) and re-chunk; chunks replaced atomically
 *
 * Files are extracted while the request is made, so a bad file is refused (413/415/422) with
 * nothing stored; a URL is fetched by the job, and a fetch failure fails the source (with the
 * error). The same content (sha256 of the extracted text) is stored once per tenant: a second
 * copy answers 409 naming the first.
 *
 * Crash safety: the job computes everything first and writes the chunks, the source's status
 * and its counters in ONE transaction at the end, replacing whatever chunks the source had. A
 * process killed mid-way leaves the source's previous chunks untouched; pg-boss retries the job
 * (after `expireInSeconds` for a killed worker) and the retry writes the complete set once.
 */
import { createHash } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { Jobs, Platform } from '../../platform/jobs.js';
import { chunkText } from './chunk.js';
import { embedderFor } from './embed/provider.js';
import { EmbeddingError } from './embed/vectors.js';
import { extractHtml } from './extract/html.js';
import { extractFile, extractUrl } from './extract/index.js';
import { normalizeText } from './extract/text.js';
import { knowledgeSettings } from './settings.js';
import { type KnowledgeSource, knowledgeChunks, knowledgeSources } from './tables.js';

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

export type WithJobs = Platform & { jobs: Jobs };

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** FAQ items as the text of a `faq` source: one `Q:`/`A:` pair per paragraph (one chunk each). */
export function faqText(items: Array<{ question: string; answer: string }>): string {
  return items.map((i) => `Q: ${i.question.trim()}\nA: ${i.answer.trim()}`).join('\n\n');
}

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
      const html = input.format === 'html' ? extractHtml(input.content) : undefined;
      const content = normalizeText(html?.content ?? input.content);
      if (!content) throw new AppError('validation_failed', 'the content is empty');
      return { title: input.title ?? html?.title ?? content.split('\n', 1)[0]!.slice(0, 200), content };
    }
  }
}

/** Refuses content the tenant already has (409 naming the source that holds it). */
async function checkDuplicate(tx: Tx, hash: string, except?: string): Promise<void> {
  const [other] = await tx
    .select({ id: knowledgeSources.id, title: knowledgeSources.title })
    .from(knowledgeSources)
    .where(and(eq(knowledgeSources.contentHash, hash), except ? ne(knowledgeSources.id, except) : undefined));
  if (other) {
    throw new AppError(
      'conflict',
      `the same content is already ingested as source ${other.id} (“${other.title}”)`,
    );
  }
}

/**
 * Creates the source (queued) and enqueues its ingestion. `onCreated` runs inside the insert's
 * transaction (the API records its audit entry there).
 */
export async function createSource(
  p: WithJobs,
  tenantId: string,
  input: SourceInput,
  onCreated?: (tx: Tx, source: KnowledgeSource) => Promise<void>,
): Promise<KnowledgeSource> {
  const prepared = await prepare(p, input);
  const hash = prepared.content === null ? null : sha256(prepared.content);
  const source = await withTenant(p.db, tenantId, async (tx) => {
    if (hash) await checkDuplicate(tx, hash);
    const [row] = await tx
      .insert(knowledgeSources)
      .values({
        tenantId,
        kind: input.kind,
        ...prepared,
        contentHash: hash,
        tags: input.tags ?? [],
        category: input.category ?? null,
        agentId: input.agentId ?? null,
        isPublic: input.isPublic ?? true,
        createdBy: input.createdBy ?? null,
        metadata: input.metadata ?? {},
      })
      .returning();
    await onCreated?.(tx, row!);
    return row!;
  });
  await p.jobs.send(INGEST_JOB, { tenantId, sourceId: source.id });
  return source;
}

/**
 * Queues the source again (URLs are fetched again), optionally with new text (typed-in kinds)
 * or a new URL; its chunks are replaced when the job ends. `onQueued` runs in the transaction.
 */
export async function reingestSource(
  p: WithJobs,
  tenantId: string,
  sourceId: string,
  change: { content?: string; url?: string } = {},
  onQueued?: (tx: Tx, before: KnowledgeSource, after: KnowledgeSource) => Promise<void>,
): Promise<KnowledgeSource> {
  const source = await withTenant(p.db, tenantId, async (tx) => {
    const [before] = await tx
      .select()
      .from(knowledgeSources)
      .where(eq(knowledgeSources.id, sourceId))
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
      await checkDuplicate(tx, values.contentHash, sourceId);
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

/** Text the embedder sees: the heading path gives a passage its context. */
const embeddingText = (headingPath: string[], content: string) =>
  headingPath.length ? `${headingPath.join(' > ')}\n${content}` : content;

/** Errors that retrying cannot fix: the source fails with the message. */
export const isPermanent = (error: unknown): boolean =>
  error instanceof AppError || error instanceof EmbeddingError;

/**
 * Runs the ingestion of one source now (the job's body). Returns the number of chunks written,
 * or null if the source no longer exists. A permanent error marks the source failed (no chunks
 * are changed) and is returned as `failed`; any other error is thrown for the queue to retry.
 */
export async function ingestNow(
  p: Platform & { jobs?: Jobs },
  tenantId: string,
  sourceId: string,
): Promise<{ chunks: number } | { failed: string } | null> {
  const loaded = await withTenant(p.db, tenantId, async (tx) => {
    const [source] = await tx
      .update(knowledgeSources)
      .set({ status: 'processing', error: null, progress: 1 })
      .where(eq(knowledgeSources.id, sourceId))
      .returning();
    return source ? { source, settings: await knowledgeSettings(tx, p.config) } : null;
  });
  if (!loaded) return null;
  const { source, settings } = loaded;
  try {
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
    const hash = sha256(content);
    const chunks = chunkText(content, { kind: source.kind });
    await setProgress(p, tenantId, sourceId, { progress: 10 });

    const embedder = embedderFor(p.config, settings.embeddingModel);
    const vectors: number[][] = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      const batch = chunks.slice(i, i + EMBED_BATCH);
      vectors.push(...(await embedder.embed(batch.map((c) => embeddingText(c.headingPath, c.content)))));
      const done = Math.min(i + EMBED_BATCH, chunks.length);
      if (done < chunks.length) {
        await setProgress(p, tenantId, sourceId, { progress: 10 + Math.floor((85 * done) / chunks.length) });
      }
    }
    const dim = embedder.dimensions!;

    const total = await withTenant(p.db, tenantId, async (tx) => {
      const [locked] = await tx
        .select({ hash: knowledgeSources.contentHash })
        .from(knowledgeSources)
        .where(eq(knowledgeSources.id, sourceId))
        .for('update');
      if (!locked) return null; // deleted while we worked
      // New text arrived while we worked: the job queued with it writes the chunks.
      if (source.kind !== 'url' && locked.hash !== source.contentHash) return null;
      await checkDuplicate(tx, hash, sourceId);
      await tx.delete(knowledgeChunks).where(eq(knowledgeChunks.sourceId, sourceId));
      for (let i = 0; i < chunks.length; i += 500) {
        await tx.insert(knowledgeChunks).values(
          chunks.slice(i, i + 500).map((c, j) => ({
            tenantId,
            sourceId,
            content: c.content,
            embedding: vectors[i + j]!,
            embeddingModel: embedder.model,
            embeddingDim: dim,
            tsConfig: settings.tsConfig,
            position: c.position,
            headingPath: c.headingPath,
            startOffset: c.startOffset,
            endOffset: c.endOffset,
            tokenCount: c.tokenCount,
          })),
        );
      }
      await tx
        .update(knowledgeSources)
        .set({
          status: 'ready',
          error: null,
          progress: 100,
          chunkCount: chunks.length,
          processedAt: p.clock.now(),
          content,
          contentHash: hash,
          title,
          url,
        })
        .where(eq(knowledgeSources.id, sourceId));
      const [count] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(knowledgeChunks)
        .where(eq(knowledgeChunks.embeddingModel, embedder.model));
      return count!.n;
    });
    if (total === null) return null;
    if (p.jobs && total >= p.config.knowledge.annThreshold) {
      await p.jobs.send(TIER_JOB, { tenantId, model: embedder.model });
    }
    return { chunks: chunks.length };
  } catch (error) {
    if (!isPermanent(error)) throw error;
    const message = (error as Error).message;
    await failSource(p, tenantId, sourceId, message);
    return { failed: message };
  }
}

/** Marks a source failed with its error; its chunks (from an earlier ingestion) are kept. */
export async function failSource(p: Platform, tenantId: string, sourceId: string, message: string) {
  await setProgress(p, tenantId, sourceId, { status: 'failed', error: message.slice(0, 2000), progress: 0 });
}

export const TIER_JOB = 'knowledge.tier';
export const REEMBED_JOB = 'knowledge.reembed';

/**
 * Switches the tenant to another embedding model (tenants.settings.knowledge.embeddingModel)
 * and re-embeds its chunks in the background. Until a source is re-embedded, vector search
 * does not see its chunks (they are on the old model); keyword search still does.
 */
export async function setEmbeddingModel(p: WithJobs, tenantId: string, model: string): Promise<void> {
  try {
    embedderFor(p.config, model); // refuses a model the configured provider cannot have
  } catch (error) {
    throw new AppError('validation_failed', (error as Error).message);
  }
  await withTenant(p.db, tenantId, (tx) =>
    tx.execute(
      sql`UPDATE tenants SET settings = jsonb_set(settings, '{knowledge}',
            coalesce(settings->'knowledge', '{}'::jsonb) || jsonb_build_object('embeddingModel', ${model}::text))
          WHERE id = current_setting('app.tenant_id')::uuid`,
    ),
  );
  await p.jobs.send(REEMBED_JOB, { tenantId });
}
