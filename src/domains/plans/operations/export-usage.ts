/** GET /usage/export: your usage in a period, one row per metric, as JSON or CSV. */
import { operation } from '../../../platform/http/operation.js';
import { usageOf } from '../usage.js';
import { exported, exportQuery, sendExport } from './kit.js';

export const exportUsageOperation = operation({
  method: 'get',
  path: '/usage/export',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Plans',
  operationId: 'exportUsage',
  summary: 'Your usage in a period, one row per metric, as JSON or CSV (for a billing system)',
  request: { query: exportQuery },
  responses: { 200: { description: 'One row per metric', ...exported } },
  handler: async ({ tx, c, query, clock }) => {
    const usage = await usageOf(tx, clock.now(), query.period);
    return sendExport(c, [usage], query.format, `usage-${usage.slug}-${usage.period.id}`);
  },
});
