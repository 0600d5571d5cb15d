import { withTenant } from '../../platform/db/tenant.js';
import { audit } from '../../platform/http/audit.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { setEmbeddingModel, syncFaqSource } from './ingest.js';
import { anyObject, json, respond, serialize, tags, tenantOf } from './operation-kit.js';
import { DEFAULT_SEARCH_MODE, MAX_K, SEARCH_MODES, searchKnowledge } from './search.js';
import { knowledgeSettings, setKnowledgeSetting } from './settings.js';
import { SOURCE_KINDS } from './tables.js';

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

export function registerSearchOperations(api: ApiContext): void {
  const { db, platform } = api;
  route(api, {
    method: 'post',
    path: '/knowledge/faq/sync',
    collection: true,
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
    collection: true,
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
    collection: true,
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
    collection: true,
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
