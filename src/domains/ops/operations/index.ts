/**
 * The ops domain's operations, one per file, in registration order: webhook endpoints (the
 * resource, creating one, rotating its secret), deliveries, the audit log and usage (read-only),
 * the usage summary, and replaying deliveries and re-enabling endpoints.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { createWebhookEndpointOperation } from './create-webhook-endpoint.js';
import { enableWebhookEndpointOperation } from './enable-webhook-endpoint.js';
import { replayFailedWebhookDeliveriesOperation } from './replay-failed-webhook-deliveries.js';
import { replayWebhookDeliveryOperation } from './replay-webhook-delivery.js';
import { endpointResource, recordResources } from './resources.js';
import { rotateWebhookSecretOperation } from './rotate-webhook-secret.js';
import { usageSummaryOperation } from './usage-summary.js';

export const opsOperations: readonly AnyOperation[] = [
  ...resourceOperations(endpointResource),
  createWebhookEndpointOperation,
  rotateWebhookSecretOperation,
  ...recordResources.flatMap(resourceOperations),
  usageSummaryOperation,
  replayWebhookDeliveryOperation,
  replayFailedWebhookDeliveriesOperation,
  enableWebhookEndpointOperation,
];
