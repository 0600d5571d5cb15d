/** PATCH /knowledge/settings: a new embedding model (re-embeds in the background) or language. */
import { withTenant } from '../../../platform/db/tenant.js';
import { audit } from '../../../platform/http/audit.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { setEmbeddingModel } from '../ingest.js';
import { knowledgeSettings, setKnowledgeSetting } from '../settings.js';
import { settingsOut } from './get-settings.js';

const settingsBody = z.object({
  embeddingModel: z.string().trim().min(1).max(200).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$/, 'an ISO 639-1 code such as `en` or `pt-BR`')
    .nullable()
    .optional(),
});
export const updateKnowledgeSettingsOperation = operation({
  method: 'patch',
  path: '/knowledge/settings',
  scope: 'tenant',
  role: 'admin',
  collection: true,
  tag: 'Knowledge',
  operationId: 'updateKnowledgeSettings',
  summary: 'Change the embedding model (re-embeds in the background) or the language',
  description:
    'A new model or language queues `knowledge.reembed`, which re-ingests every source not yet on ' +
    'them; until a source is done, vector search does not see it (keyword search does).',
  request: { body: settingsBody },
  responses: { 200: { description: 'Settings', schema: settingsOut } },
  writeErrors: true,
  // The language is committed before the re-embedding is queued (in its own transaction), as the
  // re-embedding job reads it.
  transaction: false,
  handler: async ({ body, principal, platform, c }) => {
    const { tenantId } = principal;
    const { db } = platform;
    await withTenant(db, tenantId, async (tx) => {
      if (body.language !== undefined) await setKnowledgeSetting(tx, 'language', body.language);
      await audit(tx, c, { action: 'knowledge.settings.update', resourceType: 'tenants', newValues: body });
    });
    const current = await withTenant(db, tenantId, (tx) => knowledgeSettings(tx, platform.config));
    await setEmbeddingModel(platform, tenantId, body.embeddingModel ?? current.embeddingModel);
    return withTenant(db, tenantId, (tx) => knowledgeSettings(tx, platform.config));
  },
});
