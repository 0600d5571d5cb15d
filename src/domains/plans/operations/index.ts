/**
 * Plans over HTTP, one operation per file: a tenant's usage against its plan (and its export for a
 * billing system), the platform admin's view of every tenant's usage and of the plan catalogue,
 * and the platform admin's change of a tenant's plan, status or trial (audited in the tenant's log).
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { changeSubscriptionOperation } from './change-subscription.js';
import { exportAllUsageOperation } from './export-all-usage.js';
import { exportUsageOperation } from './export-usage.js';
import { getUsageOperation } from './get-usage.js';
import { listPlansOperation } from './list-plans.js';

export const plansOperations: readonly AnyOperation[] = [
  getUsageOperation,
  exportUsageOperation,
  exportAllUsageOperation,
  listPlansOperation,
  changeSubscriptionOperation,
];
