/** POST /knowledge-sources/upload-batch: up to MAX_BATCH_FILES files, all or none. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { actingUser } from '../../conversations/acting-user.js';
import { createSources, type SourceInput } from '../ingest.js';
import { anyObject, respond, serialize } from '../operation-kit.js';
import { auditCreate, tagList } from './source-kit.js';

/** Files per batch upload. */
export const MAX_BATCH_FILES = 100;

export const uploadSourcesOperation = operation({
  method: 'post',
  path: '/knowledge-sources/upload-batch',
  scope: 'tenant',
  role: 'admin',
  collection: true,
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
  responses: { 201: { description: 'Queued', schema: z.object({ data: z.array(anyObject) }) } },
  writeErrors: true,
  idempotent: true,
  transaction: false,
  handler: async ({ c, principal, platform }) => {
    if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type', 'send the files as multipart/form-data');
    }
    const form = await c.req.parseBody({ all: true });
    const files = [form.file ?? []].flat().filter((f): f is File => f instanceof File);
    if (files.length === 0) throw new AppError('validation_failed', 'send each document in a `file` field');
    if (files.length > MAX_BATCH_FILES) {
      throw new AppError('validation_failed', `send at most ${MAX_BATCH_FILES} files at once`);
    }
    const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
    const tags = tagList(field('tags'));
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
    const rows = await createSources(platform, principal.tenantId, inputs, auditCreate(c));
    return respond(c, { data: rows.map((row) => serialize(row)) }, 201);
  },
});
