/**
 * The knowledge domain's operations, one per file, in registration order: the literal paths
 * (`/knowledge-sources/upload`) before the resources' `/:id` routes that would shadow them.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { createSourceOperation } from './create-source.js';
import { deleteChunkOperation } from './delete-chunk.js';
import { getKnowledgeSettingsOperation } from './get-settings.js';
import { reingestSourceOperation } from './reingest-source.js';
import { knowledgeResources } from './resources.js';
import { searchKnowledgeOperation } from './search.js';
import { syncFaqOperation } from './sync-faq.js';
import { updateChunkOperation } from './update-chunk.js';
import { updateKnowledgeSettingsOperation } from './update-settings.js';
import { uploadSourceOperation } from './upload-source.js';
import { uploadSourcesOperation } from './upload-sources.js';

export { MAX_BATCH_FILES } from './upload-sources.js';
/** The upload paths: the body limit there is the knowledge base's (src/app.ts). */
export const UPLOAD_PATH = '/v1/knowledge-sources/upload';
export const UPLOAD_BATCH_PATH = '/v1/knowledge-sources/upload-batch';

export const knowledgeOperations: readonly AnyOperation[] = [
  createSourceOperation,
  uploadSourceOperation,
  uploadSourcesOperation,
  reingestSourceOperation,
  updateChunkOperation,
  deleteChunkOperation,
  syncFaqOperation,
  searchKnowledgeOperation,
  getKnowledgeSettingsOperation,
  updateKnowledgeSettingsOperation,
  ...knowledgeResources.flatMap(resourceOperations),
];
