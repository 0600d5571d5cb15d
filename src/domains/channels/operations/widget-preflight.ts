/** The CORS preflight of every widget path (not an operation: OPTIONS is not documented): allowed origins only. */
import type { ApiContext } from '../../../platform/http/api-context.js';
import { parseWith } from '../../../platform/http/validate.js';
import { CORS_HEADERS, findWidget, keyParam, originAllowed } from './widget-kit.js';

export function registerWidgetPreflight(api: ApiContext): void {
  api.router.options('/widget/:widgetKey/*', async (c) => {
    const { widgetKey } = parseWith(keyParam, { widgetKey: c.req.param('widgetKey') }, 'path');
    const widget = await findWidget(api.platform, widgetKey);
    const origin = c.req.header('origin');
    if (!widget || !origin || !originAllowed(widget, origin)) return c.body(null, 204, { vary: 'Origin' });
    return c.body(null, 204, { ...CORS_HEADERS, 'access-control-allow-origin': origin, vary: 'Origin' });
  });
}
