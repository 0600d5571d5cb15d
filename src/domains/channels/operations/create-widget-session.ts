/** POST /widget/:widgetKey/sessions: a visitor token for a widget (renewed for a previous visitor). */
import { withTenant } from '../../../platform/db/tenant.js';
import { operation } from '../../../platform/http/operation.js';
import { jsonBody } from '../../../platform/http/validate.js';
import { z } from '../../../platform/zod.js';
import { newVisitorId, signVisitorToken, tokenSecret, verifyVisitorToken } from '../widget-token.js';
import { json, keyParam, type WidgetKit } from './widget-kit.js';

const sessionBody = z.object({
  token: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'A token from before: renewed for the same visitor when still valid.' }),
});
const session = z.object({ visitorId: z.string(), token: z.string(), expiresAt: z.string() });

export const createWidgetSessionOperation = (kit: WidgetKit) =>
  operation({
    method: 'post',
    path: '/widget/:widgetKey/sessions',
    scope: 'public',
    tag: 'Widget',
    operationId: 'createWidgetSession',
    summary: 'Get a visitor token',
    description:
      'An anonymous visitor of a website that embeds the widget gets a signed visitor token (30 days). Send a previous token to renew it for the same visitor.',
    // Documented as before (a body), read below: a request without Content-Length is an empty body.
    openapiRequest: { params: keyParam, body: { required: true, ...json(sessionBody) } },
    responses: { 201: { description: 'A visitor token', schema: session } },
    load: ({ c, platform }) => kit.gate(c, platform, { name: 'sessions', limit: kit.limits.sessionsPerIp }),
    handler: async ({ c, platform, clock, loaded: widget }) => {
      const body = (c.req.header('content-length') ?? '0') === '0' ? {} : await jsonBody(c, sessionBody);
      const now = clock.now();
      const secret = await withTenant(platform.db, widget.tenantId, (tx) =>
        tokenSecret(tx, widget.channel, platform.config.secrets),
      );
      const previous = body.token ? verifyVisitorToken(secret, widget.channel.id, body.token, now) : null;
      const visitorId = previous ?? newVisitorId();
      const { token, expiresAt } = signVisitorToken(secret, widget.channel.id, visitorId, now);
      return { visitorId, token, expiresAt: expiresAt.toISOString() };
    },
  });
