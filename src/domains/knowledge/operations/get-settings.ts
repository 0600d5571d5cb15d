/** GET /knowledge/settings: the tenant's embedding model and full-text configuration. */
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { knowledgeSettings } from '../settings.js';

export const settingsOut = z.object({ embeddingModel: z.string(), tsConfig: z.string() });

export const getKnowledgeSettingsOperation = operation({
  method: 'get',
  path: '/knowledge/settings',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Knowledge',
  operationId: 'getKnowledgeSettings',
  summary: "The tenant's embedding model and full-text configuration",
  responses: { 200: { description: 'Settings', schema: settingsOut } },
  handler: ({ tx, platform }) => knowledgeSettings(tx, platform.config),
});
