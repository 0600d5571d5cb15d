/** GET /prompt-versions/:id/stats: what the responder did with one prompt version (prompt-stats.ts). */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { PromptVersionStats, promptVersionStats } from '../prompt-stats.js';
import { idParam } from './kit.js';

export const getPromptVersionStatsOperation = operation({
  method: 'get',
  path: '/prompt-versions/:id/stats',
  scope: 'tenant',
  role: 'viewer',
  resource: 'prompt-versions',
  tag: 'AI',
  operationId: 'getPromptVersionStats',
  summary: 'Figures of a prompt version',
  description:
    'What the responder did with this version: answers sent, drafts and their approvals, hand-offs, escalations, model calls with average confidence, tokens and cost. Compare versions of an agent to judge a prompt change.',
  request: { params: idParam },
  responses: { 200: { description: 'The figures', schema: PromptVersionStats } },
  handler: async ({ tx, params, principal }) => {
    const stats = await promptVersionStats(tx, principal.tenantId, params.id);
    if (!stats) throw new AppError('not_found', 'no such prompt version');
    return stats;
  },
});
