/**
 * What the widget's public operations share: the widget of a key, the guards every widget
 * request passes (key, origin, tenant serving, per-IP budget: `gate`), the visitor of a token and
 * the visitor's conversation. The rate limiter is per registration (one per API), so a kit is
 * made when the operations are (widgetOperations).
 *
 * Guards, in order: the key must name an active widget channel of an active tenant (else 404);
 * a browser Origin must be in the widget settings' `allowed_origins` when that list is not empty
 * (else 403; the same list drives CORS); a stopped tenant (suspended, canceled) answers 403
 * `/problems/tenant-suspended`; per-IP and per-visitor request budgets (429 with
 * Retry-After). Counters are per process (RateLimiter), like the API's.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { rows } from '../../../platform/db/database.js';
import { withPlatform } from '../../../platform/db/tenant.js';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { RateLimiter } from '../../../platform/http/rate-limit.js';
import { parseWith } from '../../../platform/http/validate.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { openSecrets } from '../../../platform/secrets.js';
import { z } from '../../../platform/zod.js';
import { assertServing } from '../../plans/status.js';
import { verifyVisitorToken } from '../widget-token.js';

/** Requests per minute. */
export interface WidgetLimits {
  perIp: number;
  sessionsPerIp: number;
  messagesPerVisitor: number;
}
export const DEFAULT_WIDGET_LIMITS: WidgetLimits = { perIp: 300, sessionsPerIp: 30, messagesPerVisitor: 20 };

export interface Widget {
  tenantId: string;
  channel: { id: string; secrets: Record<string, string> };
  allowedOrigins: string[];
  subscriptionStatus: string;
}

export const keyParam = z.object({ widgetKey: z.string().min(1).max(200) });
export const conversationParam = keyParam.extend({ id: z.uuid() });
export const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

export const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'authorization, content-type, last-event-id',
  'access-control-expose-headers': 'retry-after, x-request-id',
  'access-control-max-age': '600',
};

export async function findWidget(platform: AppPlatform, widgetKey: string): Promise<Widget | null> {
  const found = await withPlatform(platform.db, (tx) =>
    rows<{
      id: string;
      tenant_id: string;
      secrets: Record<string, string>;
      allowed_origins: string[] | null;
      subscription_status: string;
    }>(
      tx,
      sql`SELECT c.id, c.tenant_id, c.secrets, t.subscription_status,
            (SELECT w.allowed_origins FROM widget_settings w
              WHERE w.tenant_id = c.tenant_id AND (w.agent_id = c.agent_id OR w.agent_id IS NULL)
              ORDER BY w.agent_id NULLS LAST LIMIT 1) AS allowed_origins
          FROM channels c JOIN tenants t ON t.id = c.tenant_id AND t.active
          WHERE c.widget_key = ${widgetKey} AND c.kind = 'widget' AND c.status = 'active'
          LIMIT 2`,
    ),
  );
  // Keys are random; one shared by two tenants (only possible by hand) answers nobody.
  if (found.length !== 1) return null;
  const [w] = found;
  return {
    tenantId: w!.tenant_id,
    channel: { id: w!.id, secrets: openSecrets(platform.config.secrets, w!.secrets) },
    allowedOrigins: w!.allowed_origins ?? [],
    subscriptionStatus: w!.subscription_status,
  };
}

export const originAllowed = (widget: Widget, origin: string | undefined) =>
  widget.allowedOrigins.length === 0 || (origin !== undefined && widget.allowedOrigins.includes(origin));

function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The visitor of the bearer token (or `?token=` for EventSource, which cannot send headers). */
export function visitorOf(c: Context<AppEnv>, widget: Widget, now: Date): string {
  const header = c.req.header('authorization');
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : c.req.query('token');
  const visitorId =
    token && verifyVisitorToken(widget.channel.secrets.widgetTokenSecret, widget.channel.id, token, now);
  if (!visitorId)
    throw new AppError('unauthorized', 'a valid visitor token is required: POST …/sessions for one');
  return visitorId;
}

/** The limits and rate limiter of one registration of the widget operations, and its gate. */
export function widgetKit(options: { limits?: WidgetLimits; limiter?: RateLimiter } = {}) {
  const limits = options.limits ?? DEFAULT_WIDGET_LIMITS;
  const limiter = options.limiter ?? new RateLimiter();

  const spend = (key: string, limit: number) => {
    const d = limiter.hit(key, limit);
    if (!d.allowed) {
      throw new AppError('rate_limited', 'too many requests from this visitor or address; retry later', {
        headers: { 'retry-after': String(d.resetSeconds) },
      });
    }
  };

  /** The widget of the key, with the origin checked, CORS headers set and the per-IP budget spent. */
  const gate = async (
    c: Context<AppEnv>,
    platform: AppPlatform,
    extraIpLimit?: { name: string; limit: number },
  ): Promise<Widget> => {
    const { widgetKey } = parseWith(keyParam, { widgetKey: c.req.param('widgetKey') }, 'path');
    const widget = await findWidget(platform, widgetKey);
    if (!widget) throw new AppError('not_found', 'no such widget');
    const origin = c.req.header('origin');
    c.header('vary', 'Origin', { append: true });
    if (!originAllowed(widget, origin)) {
      throw new AppError('forbidden', 'this widget is not allowed on this origin');
    }
    if (origin) {
      c.header('access-control-allow-origin', origin);
      c.header('access-control-expose-headers', CORS_HEADERS['access-control-expose-headers']);
    }
    assertServing(widget.subscriptionStatus);
    const ip = clientIp(c);
    spend(`widget:ip:${ip}`, limits.perIp);
    if (extraIpLimit) spend(`widget:${extraIpLimit.name}:${ip}`, extraIpLimit.limit);
    return widget;
  };

  return { limits, spend, gate };
}
export type WidgetKit = ReturnType<typeof widgetKit>;
