/** POST /knowledge-sources/upload: one file, as multipart/form-data or as the raw body. */
import type { Context } from 'hono';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { actingUser } from '../../conversations/acting-user.js';
import { createSource } from '../ingest.js';
import { anyObject } from '../operation-kit.js';
import { auditCreate, created, tagList } from './source-kit.js';

/** The file's bytes, media type and descriptive fields, from a form or a raw body and the query. */
async function readUpload(c: Context<AppEnv>) {
  const type = c.req.header('content-type') ?? '';
  const fields: Record<string, string | undefined> = { ...c.req.query() };
  if (!/^multipart\/form-data/i.test(type)) {
    return { bytes: Buffer.from(await c.req.arrayBuffer()), mediaType: type || undefined, fields };
  }
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File)) throw new AppError('validation_failed', 'send the file in a `file` field');
  fields.fileName ??= file.name;
  for (const k of ['title', 'tags', 'category'] as const) {
    if (typeof form[k] === 'string') fields[k] = form[k] as string;
  }
  return { bytes: Buffer.from(await file.arrayBuffer()), mediaType: file.type || undefined, fields };
}

export const uploadSourceOperation = operation({
  method: 'post',
  path: '/knowledge-sources/upload',
  scope: 'tenant',
  role: 'admin',
  collection: true,
  tag: 'Knowledge',
  operationId: 'uploadKnowledgeSource',
  summary: 'Upload a file (text, Markdown, HTML, PDF, DOCX) to the knowledge base',
  description:
    'Either `multipart/form-data` with a `file` field (and optional `title`, `tags` comma-separated, ' +
    '`category`), or the raw file as the body with its media type and `?fileName=…&title=…&tags=a,b`. ' +
    'The file is checked and its text extracted before anything is stored: empty, binary, invalid ' +
    'UTF-8, encrypted or corrupt files answer 422, unknown formats 415, files over the limit 413.',
  // Documented only: the handler reads the query with the file (a long title is cut, not refused).
  openapiRequest: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z
            .object({
              file: z.string().openapi({ format: 'binary', description: 'The file' }),
              title: z.string().max(500).optional(),
              tags: z.string().max(2_000).optional().openapi({ description: 'Comma-separated' }),
              category: z.string().max(200).optional(),
            })
            .openapi({
              example: { file: '(refund-policy.md)', title: 'Refund policy', tags: 'billing,refunds' },
            }),
        },
        // Or the raw file with its own media type (text/markdown, application/pdf, …).
        'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    query: z.object({
      fileName: z.string().max(255).optional(),
      title: z.string().max(500).optional(),
      tags: z.string().max(2_000).optional(),
      category: z.string().max(200).optional(),
    }),
  },
  responses: { 201: { description: 'Queued', schema: anyObject } },
  writeErrors: true,
  idempotent: true,
  transaction: false,
  handler: async ({ c, principal, platform }) => {
    const { bytes, mediaType, fields } = await readUpload(c);
    const input = {
      kind: 'file' as const,
      bytes,
      ...(fields.fileName ? { fileName: fields.fileName } : {}),
      ...(mediaType ? { mediaType } : {}),
      ...(fields.title ? { title: fields.title.slice(0, 500) } : {}),
      ...(fields.category ? { category: fields.category } : {}),
      tags: tagList(fields.tags),
      createdBy: actingUser(c),
    };
    return created(c, await createSource(platform, principal.tenantId, input, auditCreate(c)));
  },
});
