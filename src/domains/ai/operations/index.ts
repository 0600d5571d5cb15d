/**
 * The AI domain's operations, in registration order: agents, prompt versions (created and
 * numbered by the server, published, rolled back; their figures), giving a conversation back to
 * the AI, brand voices, and the global catalogue of agent templates.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { createPromptVersionOperation } from './create-prompt-version.js';
import { getPromptVersionStatsOperation } from './get-prompt-version-stats.js';
import { listAgentTemplatesOperation } from './list-agent-templates.js';
import { promptVersionResource } from './prompt-versions.js';
import { releaseToAiOperation } from './release-to-ai.js';
import { agentResource, brandVoiceResource } from './resources.js';

export const aiOperations: readonly AnyOperation[] = [
  ...resourceOperations(agentResource),
  createPromptVersionOperation,
  ...resourceOperations(promptVersionResource),
  getPromptVersionStatsOperation,
  releaseToAiOperation,
  ...resourceOperations(brandVoiceResource),
  listAgentTemplatesOperation,
];
