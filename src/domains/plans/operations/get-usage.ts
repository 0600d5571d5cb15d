/** GET /usage: your usage against your plan in a period, each limit and its use, usage by day. */
import { operation } from '../../../platform/http/operation.js';
import { usageOf } from '../usage.js';
import { usageQuery, usageSchema } from './kit.js';

export const getUsageOperation = operation({
  method: 'get',
  path: '/usage',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Plans',
  operationId: 'getUsage',
  summary: 'Your usage against your plan in a period: each limit and its use, and usage by day',
  request: { query: usageQuery },
  responses: { 200: { description: 'Usage', schema: usageSchema } },
  handler: ({ tx, query, clock }) => usageOf(tx, clock.now(), query.period),
});
