/**
 * The chat widget's public API, under `/v1/widget/{widgetKey}`: a website embeds the key, an
 * anonymous visitor gets a visitor token (widget-token.ts), writes (stored through the same
 * intake as every channel) and receives replies live over Server-Sent Events (widget-stream.ts).
 * The guards every request passes are widget-kit.ts's `gate`.
 */
import type { ApiContext } from '../../../platform/http/api-context.js';
import { type AnyOperation, defineOperations } from '../../../platform/http/operation.js';
import type { RateLimiter } from '../../../platform/http/rate-limit.js';
import { createWidgetSessionOperation } from './create-widget-session.js';
import { getWidgetConfigOperation } from './get-widget-config.js';
import { listWidgetMessagesOperation } from './list-widget-messages.js';
import { sendWidgetMessageOperation } from './send-widget-message.js';
import { streamWidgetRepliesOperation } from './stream-widget-replies.js';
import { type WidgetLimits, widgetKit } from './widget-kit.js';
import { registerWidgetPreflight } from './widget-preflight.js';

export { DEFAULT_WIDGET_LIMITS, type WidgetLimits } from './widget-kit.js';

/** The widget's operations, in registration order, sharing one rate limiter (one per API). */
export function widgetOperations(
  options: { limits?: WidgetLimits; limiter?: RateLimiter } = {},
): AnyOperation[] {
  const kit = widgetKit(options);
  return [
    createWidgetSessionOperation(kit),
    getWidgetConfigOperation(kit),
    sendWidgetMessageOperation(kit),
    listWidgetMessagesOperation(kit),
    streamWidgetRepliesOperation(kit),
  ];
}

/** Registers the widget: its CORS preflight, then its operations. */
export function registerWidget(api: ApiContext): void {
  registerWidgetPreflight(api);
  defineOperations(api, widgetOperations());
}
