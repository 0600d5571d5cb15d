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
 *   await jobs.drain();                       // or: ingestNow(platform, tenantId, source.id) (ingest-write.ts)
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
 *
 * Size (about 330 lines): the four source kinds, the duplicate rule and re-ingestion share one
 * preparation step (`prepare`) and one refusal (`checkDuplicates`); the job's side is in
 * ingest-write.ts.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { AppPlatform, Platform } from '../../platform/jobs.js';
import { embedderFor } from './embed/provider.js';
import { extractFile, extractHtmlText } from './extract/index.js';
import { normalizeText } from './extract/text.js';
import { setKnowledgeSetting } from './settings.js';
import { faqCategories, faqItems, type KnowledgeSource, knowledgeSources } from './tables.js';

export const INGEST_JOB = 'knowledge.ingest';

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

export const duplicateOf = (other: { id: string; title: string }) =>
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
