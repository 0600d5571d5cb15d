/** POST /accounts/:id/health/refresh: recompute and store an account's health score. */
import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { accounts } from '../../crm/tables.js';
import { healthOf, healthResponse } from './health-kit.js';

export const refreshAccountHealthOperation = operation({
  method: 'post',
  path: '/accounts/:id/health/refresh',
  scope: 'tenant',
  role: 'agent',
  resource: 'accounts',
  tag: 'CRM',
  operationId: 'refreshAccountHealth',
  summary: 'Recompute and store an account’s health score',
  description: `Score = (engagement + adoption) / 2, where engagement is 10 per message in the account's conversations in the last 30 days (at most 100) and adoption the average training progress.`,
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 200: { description: 'The account’s health after the refresh', schema: healthResponse } },
  load: async ({ tx, params, principal }) => {
    const [before] = await tx
      .select({ healthScore: accounts.healthScore })
      .from(accounts)
      .where(and(eq(accounts.tenantId, principal.tenantId), eq(accounts.id, params.id)))
      .for('update');
    if (!before) throw new AppError('not_found', 'no such account');
    return before;
  },
  handler: async ({ tx, params, loaded: before, audit }) => {
    const [scored] = await rows<{ score: number }>(
      tx,
      sql`SELECT account_health_score(${params.id}::uuid) AS score`,
    );
    await audit({
      action: 'accounts.health-refresh',
      resourceType: 'accounts',
      resourceId: params.id,
      oldValues: before,
      newValues: { healthScore: scored?.score ?? null },
    });
    return healthOf(tx, params.id);
  },
});
