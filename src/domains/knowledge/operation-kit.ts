import type { Context } from 'hono';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf } from '../../platform/http/etag.js';
import { jsonRow } from '../../platform/http/json-value.js';
import { parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';

export type Row = Record<string, unknown>;
export const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
export const anyObject = z.object({}).passthrough();
export const idParam = z.object({ id: z.uuid() });
export const idOf = (c: Context<AppEnv>) => parseWith(idParam, { id: c.req.param('id') }, 'path').id;

export const serialize = (row: Row, hidden: string[] = []): Row => jsonRow(row, hidden);
export const respond = (c: Context<AppEnv>, body: Row, status: 200 | 201 | 202 = 200) => {
  c.header('etag', etagOf(body));
  return c.json(body, status);
};
export const CHUNK_HIDDEN = ['embedding', 'tsv'];

export const tags = z.array(z.string().min(1).max(100)).max(50);
export const common = {
  title: z.string().min(1).max(500).optional(),
  tags: tags.optional(),
  category: z.string().max(200).nullable().optional(),
  agentId: z.uuid().nullable().optional(),
  isPublic: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};
export const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2_048);

export const tenantOf = (c: Context<AppEnv>) => c.get('principal').tenantId;
