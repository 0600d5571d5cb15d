/**
 * The channels domain's configuration and inbound operations, one per file, in registration
 * order: creating a channel, the providers' public webhooks, then the channel, integration and
 * widget-settings resources. The widget's public operations are widget.ts's (one rate limiter per API).
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { createChannelOperation } from './create-channel.js';
import { inboundWebhookOperations } from './inbound-webhooks.js';
import { channelResources } from './resources.js';
import { verifyWhatsappWebhookOperation } from './verify-whatsapp-webhook.js';

export const channelOperations: readonly AnyOperation[] = [
  createChannelOperation,
  ...inboundWebhookOperations,
  verifyWhatsappWebhookOperation,
  ...channelResources.flatMap(resourceOperations),
];
