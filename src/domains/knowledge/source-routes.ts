/**
 * Knowledge-base operations beyond plain CRUD: creating sources (typed-in text, a URL, FAQ
 * items, an uploaded file) which queues their ingestion, re-ingesting, editing or deleting a
 * chunk, searching, and the tenant's knowledge settings. Reading, listing, updating metadata
 * and deleting sources, and reading chunks, are the resources in routes.ts.
 */
import { eq } from 'drizzle-orm';
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
import { jsonBody } from '../../platform/http/validate.js';
import { publicUrlProblem } from '../../platform/net/safe-fetch.js';
import { z } from '../../platform/zod.js';
import { actingUser } from '../conversations/acting-user.js';
import { registerChunkOperations } from './chunk-routes.js';
import { createSource, createSources, reingestSource, type SourceInput } from './ingest.js';
import {
  anyObject,
  common,
  httpUrl,
  idOf,
  idParam,
  json,
  type Row,
  respond,
  serialize,
  tenantOf,
} from './operation-kit.js';
import { registerSearchOperations } from './search-routes.js';
import { knowledgeSources } from './tables.js';

/** The upload paths: the body limit there is the knowledge base's (src/app.ts). */
export const UPLOAD_PATH = '/v1/knowledge-sources/upload';
export const UPLOAD_BATCH_PATH = '/v1/knowledge-sources/upload-batch';
/** Files per batch upload. */
export const MAX_BATCH_FILES = 100;

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

/**
 * Every hand-written knowledge operation, registered in this order (the resources are in
 * routes.ts): sources, chunks, then FAQ sync, search and settings.
 */
export function registerKnowledgeOperations(api: ApiContext): void {
  registerSourceCreation(api);
  registerSourceUploads(api);
  registerSourceReingest(api);
  registerChunkOperations(api);
  registerSearchOperations(api);
}

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

/** POST /knowledge-sources: typed-in text, a URL or FAQ items. */
function registerSourceCreation(api: ApiContext): void {
  const { platform } = api;
  route(api, {
    method: 'post',
    path: '/knowledge-sources',
    collection: true,
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
}

/** POST /knowledge-sources/upload: one file. */
function registerSourceUploads(api: ApiContext): void {
  const { platform } = api;
  route(api, {
    method: 'post',
    path: '/knowledge-sources/upload',
    collection: true,
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
  registerBatchUpload(api);
}

/** POST /knowledge-sources/upload-batch: up to MAX_BATCH_FILES files. */
function registerBatchUpload(api: ApiContext): void {
  const { platform } = api;
  route(api, {
    method: 'post',
    path: '/knowledge-sources/upload-batch',
    collection: true,
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
}

/** POST /knowledge-sources/:id/reingest. */
function registerSourceReingest(api: ApiContext): void {
  const { db, platform } = api;
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
}
