/** The analytics domain's operations, one per file, in registration order. */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { accountHealthOperation } from './account-health.js';
import { overviewOperation } from './overview.js';
import { refreshAccountHealthOperation } from './refresh-account-health.js';
import { analyticsResources } from './resources.js';

export const analyticsOperations: readonly AnyOperation[] = [
  ...analyticsResources.flatMap(resourceOperations),
  overviewOperation,
  accountHealthOperation,
  refreshAccountHealthOperation,
];
