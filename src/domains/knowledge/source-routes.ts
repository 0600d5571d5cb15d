/**
 * Knowledge-base operations beyond plain CRUD: creating sources (typed-in text, a URL, FAQ
 * items, an uploaded file) which queues their ingestion, re-ingesting, editing or deleting a
 * chunk, searching, and the tenant's knowledge settings. Reading, listing, updating metadata
 * and deleting sources, and reading chunks, are the resources in routes.ts.
 */

import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf, ifMatchAllows } from '../../platform/http/etag.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { publicUrlProblem } from '../../platform/net/safe-fetch.js';
import { z } from '../../platform/zod.js';
import { actingUser } from '../conversations/acting-user.js';
import { embedderFor } from './embed/provider.js';
import {
  createSource,
  createSources,
  reingestSource,
  type SourceInput,
  setEmbeddingModel,
  syncFaqSource,
} from './ingest.js';
import { embeddingText } from './prepare.js';
import { DEFAULT_SEARCH_MODE, MAX_K, SEARCH_MODES, searchKnowledge } from './search.js';
import { knowledgeSettings, setKnowledgeSetting } from './settings.js';
import { type KnowledgeChunk, knowledgeChunks, knowledgeSources, SOURCE_KINDS } from './tables.js';

/** The upload paths: the body limit there is the knowledge base's (src/app.ts). */
export const UPLOAD_PATH = '/v1/knowledge-sources/upload';
export const UPLOAD_BATCH_PATH = '/v1/knowledge-sources/upload-batch';
/** Files per batch upload. */
export const MAX_BATCH_FILES = 100;

type Row = Record<string, unknown>;
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const anyObject = z.object({}).passthrough();
const idParam = z.object({ id: z.uuid() });
const idOf = (c: Context<AppEnv>) => parseWith(idParam, { id: c.req.param('id') }, 'path').id;

const serialize = (row: Row, hidden: string[] = []): Row => {
  const { tenantId: _t, ...rest } = row;
  for (const h of hidden) delete rest[h];
  return JSON.parse(JSON.stringify(rest)) as Row;
};
const respond = (c: Context<AppEnv>, body: Row, status: 200 | 201 | 202 = 200) => {
  c.header('etag', etagOf(body));
  return c.json(body, status);
};
const CHUNK_HIDDEN = ['embedding', 'tsv'];

const tags = z.array(z.string().min(1).max(100)).max(50);
const common = {
  title: z.string().min(1).max(500).optional(),
  tags: tags.optional(),
  category: z.string().max(200).nullable().optional(),
  agentId: z.uuid().nullable().optional(),
  isPublic: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2_048);
const createBody = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.enum(['text', 'article']),
      content: z.string().min(1).max(1_000_000),
      format: z.enum(['text', 'markdown', 'html']).optional(),
      ...common,
    }),
    z.object({ kind: z.literal('url'), url: httpUrl, ...common }),
    z.object({
      kind: z.literal('faq'),
      items: z
        .array(z.object({ question: z.string().min(1).max(1_000), answer: z.string().min(1).max(20_000) }))
        .min(1)
        .max(1_000),
      ...common,
    }),
  ])
  .openapi('KnowledgeSourceInput');

const searchBody = z
  .object({
    query: z.string().trim().min(1).max(2_000),
    k: z.number().int().min(1).max(MAX_K).optional(),
    mode: z.enum(SEARCH_MODES).optional(),
    sourceIds: z.array(z.uuid()).max(100).optional(),
    tags: tags.optional(),
    kinds: z.array(z.enum(SOURCE_KINDS)).max(SOURCE_KINDS.length).optional(),
    explain: z.boolean().optional(),
  })
  .openapi('KnowledgeSearchInput');

export function registerKnowledgeOperations(api: ApiContext): void {
  const { db, platform } = api;
  const tenantOf = (c: Context<AppEnv>) => c.get('principal').tenantId;
  const auditCreate = (c: Context<AppEnv>) => (tx: Tx, row: Row) =>
    audit(tx, c, {
      action: 'knowledge-sources.create',
      resourceType: 'knowledge-sources',
      resourceId: row.id as string,
      newValues: serialize(row, ['content']),
    });
  const created = (c: Context<AppEnv>, row: Row) => {
    c.header('location', `/v1/knowledge-sources/${row.id}`);
    return respond(c, serialize(row), 201);
  };

  route(api, {
    method: 'post',
    path: '/knowledge-sources',
    role: 'admin',
    tag: 'Knowledge',
    operationId: 'createKnowledgeSource',
    summary: 'Add text, a URL or FAQ items to the knowledge base (queues ingestion)',
    description:
      'Answers 201 with the source in status `queued`; poll it for `processing` → `ready` | `failed` ' +
      '(with `error`). The same content twice answers 409. Files: POST /v1/knowledge-sources/upload.',
    request: { body: { content: { 'application/json': { schema: createBody } } } },
    responses: { 201: { description: 'Queued', ...json(anyObject) }, ...writeErrors },
    handler: (c) =>
      withIdempotency(c, api.platform, async () => {
        const body = await jsonBody(c, createBody);
        if (body.kind === 'url') {
          const problem = await publicUrlProblem(body.url, platform.config.allowPrivateUrls);
          if (problem)
            throw new AppError('validation_failed', 'the request body is not valid', {
              errors: [{ path: 'url', message: `${problem}: URL sources must be public addresses` }],
            });
        }
        const row = await createSource(
          platform,
          tenantOf(c),
          { ...body, createdBy: actingUser(c) } as SourceInput,
          auditCreate(c),
        );
        return created(c, row);
      }),
  });

  route(api, {
    method: 'post',
    path: '/knowledge-sources/upload',
    role: 'admin',
    tag: 'Knowledge',
    operationId: 'uploadKnowledgeSource',
    summary: 'Upload a file (text, Markdown, HTML, PDF, DOCX) to the knowledge base',
    description:
      'Either `multipart/form-data` with a `file` field (and optional `title`, `tags` comma-separated, ' +
      '`category`), or the raw file as the body with its media type and `?fileName=…&title=…&tags=a,b`. ' +
      'The file is checked and its text extracted before anything is stored: empty, binary, invalid ' +
      'UTF-8, encrypted or corrupt files answer 422, unknown formats 415, files over the limit 413.',
    request: {
      query: z.object({
        fileName: z.string().max(255).optional(),
        title: z.string().max(500).optional(),
        tags: z.string().max(2_000).optional(),
        category: z.string().max(200).optional(),
      }),
    },
    responses: { 201: { description: 'Queued', ...json(anyObject) }, ...writeErrors },
    handler: (c) =>
      withIdempotency(c, api.platform, async () => {
        const type = c.req.header('content-type') ?? '';
        const fields: Record<string, string | undefined> = { ...c.req.query() };
        let bytes: Buffer;
        let mediaType: string | undefined = type;
        if (/^multipart\/form-data/i.test(type)) {
          const form = await c.req.parseBody();
          const file = form.file;
          if (!(file instanceof File))
            throw new AppError('validation_failed', 'send the file in a `file` field');
          bytes = Buffer.from(await file.arrayBuffer());
          mediaType = file.type || undefined;
          fields.fileName ??= file.name;
          for (const k of ['title', 'tags', 'category'] as const) {
            if (typeof form[k] === 'string') fields[k] = form[k] as string;
          }
        } else {
          bytes = Buffer.from(await c.req.arrayBuffer());
        }
        const row = await createSource(
          platform,
          tenantOf(c),
          {
            kind: 'file',
            bytes,
            ...(fields.fileName ? { fileName: fields.fileName } : {}),
            ...(mediaType ? { mediaType } : {}),
            ...(fields.title ? { title: fields.title.slice(0, 500) } : {}),
            ...(fields.category ? { category: fields.category } : {}),
            tags: (fields.tags ?? '')
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
            createdBy: actingUser(c),
          },
          auditCreate(c),
        );
        return created(c, row);
      }),
  });

  route(api, {
    method: 'post',
    path: '/knowledge-sources/upload-batch',
    role: 'admin',
    tag: 'Knowledge',
    operationId: 'uploadKnowledgeSources',
    summary: 'Upload several files at once (all or none)',
    description:
      '`multipart/form-data` with one `file` field per document (up to 100; optional `tags`, ' +
      'comma-separated, and `category` apply to every one). Every file is checked and extracted ' +
      'first: one bad file (its error names it), or two with the same content, refuses the whole ' +
      'batch with nothing stored. Answers 201 with `data`, the sources in the order sent, each ' +
      '`queued`; one ingestion job per 50. The whole request is held to the upload limit ' +
      '(`FRONTDESK_KB_MAX_BYTES`).',
    responses: {
      201: { description: 'Queued', ...json(z.object({ data: z.array(anyObject) })) },
      ...writeErrors,
    },
    handler: (c) =>
      withIdempotency(c, api.platform, async () => {
        if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
          throw new AppError('unsupported_media_type', 'send the files as multipart/form-data');
        }
        const form = await c.req.parseBody({ all: true });
        const files = [form.file ?? []].flat().filter((f): f is File => f instanceof File);
        if (files.length === 0) {
          throw new AppError('validation_failed', 'send each document in a `file` field');
        }
        if (files.length > MAX_BATCH_FILES) {
          throw new AppError('validation_failed', `send at most ${MAX_BATCH_FILES} files at once`);
        }
        const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
        const tags = (field('tags') ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        const category = field('category');
        const inputs: SourceInput[] = await Promise.all(
          files.map(async (file) => ({
            kind: 'file' as const,
            bytes: Buffer.from(await file.arrayBuffer()),
            fileName: file.name,
            ...(file.type ? { mediaType: file.type } : {}),
            ...(category ? { category } : {}),
            tags,
            createdBy: actingUser(c),
          })),
        );
        const rows = await createSources(platform, tenantOf(c), inputs, auditCreate(c));
        return respond(c, { data: rows.map((row) => serialize(row)) }, 201);
      }),
  });

  const reingestBody = z.object({ content: z.string().min(1).optional(), url: httpUrl.optional() });
  route(api, {
    method: 'post',
    path: '/knowledge-sources/:id/reingest',
    role: 'admin',
    resource: 'knowledge-sources',
    tag: 'Knowledge',
    operationId: 'reingestKnowledgeSource',
    summary: 'Ingest a source again (optionally with new text or a new URL)',
    description:
      'Queues the source; its chunks are replaced in one transaction when ingestion ends (until then ' +
      'search keeps serving the previous ones). Send `If-Match` to refuse lost updates.',
    request: { params: idParam, body: { required: false, ...json(reingestBody) } },
    responses: { 202: { description: 'Queued', ...json(anyObject) }, ...writeErrors },
    handler: async (c) => {
      const id = idOf(c);
      const tenantId = tenantOf(c);
      // 404 before the body is read: another tenant's id answers the same whatever is sent.
      const [exists] = await withTenant(db, tenantId, (tx) =>
        tx.select().from(knowledgeSources).where(eq(knowledgeSources.id, id)),
      );
      if (!exists) throw new AppError('not_found', 'no such knowledge source');
      const empty = (c.req.header('content-length') ?? '0') === '0' && !c.req.header('transfer-encoding');
      const change = empty ? {} : await jsonBody(c, reingestBody);
      const row = await reingestSource(platform, tenantId, id, change, async (tx, before, after) => {
        if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(before)))) {
          throw new AppError('precondition_failed', 'the source changed since you read it: fetch it again');
        }
        await audit(tx, c, {
          action: 'knowledge-sources.reingest',
          resourceType: 'knowledge-sources',
          resourceId: id,
          newValues: { ...(change.url ? { url: change.url } : {}), contentHash: after.contentHash },
        });
      });
      return respond(c, serialize(row), 202);
    },
  });

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

  route(api, {
    method: 'post',
    path: '/knowledge/faq/sync',
    role: 'admin',
    tag: 'Knowledge',
    operationId: 'syncKnowledgeFaq',
    summary: 'Index the FAQ items (faq-items) as one knowledge source, one chunk per question',
    description:
      'Creates the FAQ source on first use, re-ingests it when the items changed, deletes it when no ' +
      'active item is left (204). Call after editing FAQ items.',
    responses: {
      200: { description: 'The FAQ source', ...json(anyObject) },
      204: { description: 'No FAQ items' },
    },
    handler: async (c) => {
      const source = await syncFaqSource(platform, tenantOf(c));
      return source ? respond(c, serialize(source)) : c.body(null, 204);
    },
  });

  route(api, {
    method: 'post',
    path: '/knowledge/search',
    role: 'viewer',
    tag: 'Knowledge',
    operationId: 'searchKnowledge',
    summary: 'Search the knowledge base',
    description:
      `Modes: \`vector\`, \`keyword\` (full text in the tenant's language) or \`hybrid\` (reciprocal ` +
      `rank fusion); default \`${DEFAULT_SEARCH_MODE}\`. Results carry scores and citations (character ` +
      'offsets into the source’s `content`). `explain: true` adds each result’s rank and score in every ' +
      'mode and the tier (exact scan or the tenant’s approximate index) that served the query.',
    request: { body: json(searchBody) },
    responses: { 200: { description: 'Results, best first', ...json(anyObject) } },
    handler: async (c) => {
      const input = await jsonBody(c, searchBody);
      return c.json(await searchKnowledge(platform, tenantOf(c), input));
    },
  });

  const settingsBody = z.object({
    embeddingModel: z.string().trim().min(1).max(200).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$/, 'an ISO 639-1 code such as `en` or `pt-BR`')
      .nullable()
      .optional(),
  });
  const settingsOut = z.object({ embeddingModel: z.string(), tsConfig: z.string() });
  route(api, {
    method: 'get',
    path: '/knowledge/settings',
    role: 'viewer',
    tag: 'Knowledge',
    operationId: 'getKnowledgeSettings',
    summary: "The tenant's embedding model and full-text configuration",
    responses: { 200: { description: 'Settings', ...json(settingsOut) } },
    handler: async (c) =>
      c.json(await withTenant(db, tenantOf(c), (tx) => knowledgeSettings(tx, platform.config))),
  });
  route(api, {
    method: 'patch',
    path: '/knowledge/settings',
    role: 'admin',
    tag: 'Knowledge',
    operationId: 'updateKnowledgeSettings',
    summary: 'Change the embedding model (re-embeds in the background) or the language',
    description:
      'A new model or language queues `knowledge.reembed`, which re-ingests every source not yet on ' +
      'them; until a source is done, vector search does not see it (keyword search does).',
    request: { body: json(settingsBody) },
    responses: { 200: { description: 'Settings', ...json(settingsOut) }, ...writeErrors },
    handler: async (c) => {
      const body = await jsonBody(c, settingsBody);
      const tenantId = tenantOf(c);
      await withTenant(db, tenantId, async (tx) => {
        if (body.language !== undefined) await setKnowledgeSetting(tx, 'language', body.language);
        await audit(tx, c, { action: 'knowledge.settings.update', resourceType: 'tenants', newValues: body });
      });
      const current = await withTenant(db, tenantId, (tx) => knowledgeSettings(tx, platform.config));
      // Queues the re-embedding, which also rewrites chunks indexed in another language.
      await setEmbeddingModel(platform, tenantId, body.embeddingModel ?? current.embeddingModel);
      return c.json(await withTenant(db, tenantId, (tx) => knowledgeSettings(tx, platform.config)));
    },
  });
}
