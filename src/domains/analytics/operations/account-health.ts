/** GET /accounts/:id/health: an account's health. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { healthOf, healthResponse } from './health-kit.js';

export const accountHealthOperation = operation({
  method: 'get',
  path: '/accounts/:id/health',
  scope: 'tenant',
  role: 'viewer',
  resource: 'accounts',
  tag: 'CRM',
  operationId: 'getAccountHealth',
  summary: 'An account’s health: score, stakeholders, meetings, concerns, last contact',
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 200: { description: 'The account’s health', schema: healthResponse } },
  handler: async ({ tx, params }) => {
    const row = await healthOf(tx, params.id);
    if (!row) throw new AppError('not_found', 'no such account');
    return row;
  },
});
