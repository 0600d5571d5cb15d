/**
 * The chat widget's public API, under `/v1/widget/{widgetKey}`: a website embeds the key, an
 * anonymous visitor gets a visitor token (widget-token.ts), writes (stored through the same
 * intake as every channel) and receives replies live over Server-Sent Events (widget-stream.ts).
 *
 * Guards, in order: the key must name an active widget channel of an active tenant (else 404);
 * a browser Origin must be in the widget settings' `allowed_origins` when that list is not empty
 * (else 403; the same list drives CORS); a stopped tenant (suspended, canceled) answers 403
 * `/problems/tenant-suspended`; per-IP and per-visitor request budgets (429 with
 * Retry-After). Counters are per process (RateLimiter), like the API's.
 */

import { getConnInfo } from '@hono/node-server/conninfo';
import { and, asc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { rows } from '../../platform/db/database.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { AppEnv } from '../../platform/http/context.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { openSecrets } from '../../platform/secrets.js';
import { z } from '../../platform/zod.js';
import { notifyResponder, recordInboundMessage } from '../conversations/intake.js';
import { conversations, messages } from '../conversations/threads.js';
import { contactIdentities } from '../crm/tables.js';
import { assertServing } from '../plans/status.js';
import { registerWidgetConfig } from './widget-config-route.js';
import { greetVisitor } from './widget-notices.js';
import { messageHub } from './widget-stream.js';
import { newVisitorId, signVisitorToken, tokenSecret, verifyVisitorToken } from './widget-token.js';

/** Requests per minute. */
export interface WidgetLimits {
  perIp: number;
  sessionsPerIp: number;
  messagesPerVisitor: number;
}
export const DEFAULT_WIDGET_LIMITS: WidgetLimits = { perIp: 300, sessionsPerIp: 30, messagesPerVisitor: 20 };
/** Seconds between keep-alive comments on an idle stream (proxies close silent connections). */
const HEARTBEAT_SECONDS = 20;
const VISIBLE_ROLES = ['assistant', 'agent', 'system'] as const;

interface Widget {
  tenantId: string;
  channel: { id: string; secrets: Record<string, string> };
  allowedOrigins: string[];
  subscriptionStatus: string;
}

const keyParam = z.object({ widgetKey: z.string().min(1).max(200) });
const conversationParam = keyParam.extend({ id: z.uuid() });
const sessionBody = z.object({
  token: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'A token from before: renewed for the same visitor when still valid.' }),
});
const messageBody = z.object({
  text: z.string().trim().min(1).max(4000),
  displayName: z.string().trim().min(1).max(200).optional(),
});
const session = z.object({ visitorId: z.string(), token: z.string(), expiresAt: z.string() });
const accepted = z.object({
  conversationId: z.uuid(),
  messageId: z.uuid(),
  conversationCreated: z.boolean(),
});
const visitorMessage = z.object({
  id: z.uuid(),
  role: z.string(),
  content: z.string(),
  createdAt: z.string(),
});
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'authorization, content-type, last-event-id',
  'access-control-expose-headers': 'retry-after, x-request-id',
  'access-control-max-age': '600',
};

async function findWidget(api: ApiContext, widgetKey: string): Promise<Widget | null> {
  const found = await withPlatform(api.db, (tx) =>
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
    channel: { id: w!.id, secrets: openSecrets(api.platform.config.secrets, w!.secrets) },
    allowedOrigins: w!.allowed_origins ?? [],
    subscriptionStatus: w!.subscription_status,
  };
}

const originAllowed = (widget: Widget, origin: string | undefined) =>
  widget.allowedOrigins.length === 0 || (origin !== undefined && widget.allowedOrigins.includes(origin));

function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
export function registerWidgetRoutes(
  api: ApiContext,
  options: { limits?: WidgetLimits; limiter?: RateLimiter } = {},
): void {
  const kit = widgetKit(api, options);
  registerPreflight(api);
  registerSessionStart(api, kit);
  registerWidgetConfig(api, (c) => kit.gate(c));
  registerVisitorMessage(api, kit);
  registerConversationRead(api, kit);
  registerMessageStream(api, kit);
}

type WidgetKit = ReturnType<typeof widgetKit>;

/** What every widget operation shares: its limits, the rate limiter, the gate and the visitor's conversation. */
function widgetKit(api: ApiContext, options: { limits?: WidgetLimits; limiter?: RateLimiter }) {
  const limits = options.limits ?? DEFAULT_WIDGET_LIMITS;
  const limiter = options.limiter ?? new RateLimiter();
  const { db } = api;

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
    extraIpLimit?: { name: string; limit: number },
  ): Promise<Widget> => {
    const { widgetKey } = parseWith(keyParam, { widgetKey: c.req.param('widgetKey') }, 'path');
    const widget = await findWidget(api, widgetKey);
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

  /** The visitor of the bearer token (or `?token=` for EventSource, which cannot send headers). */
  const visitorOf = (c: Context<AppEnv>, widget: Widget): string => {
    const header = c.req.header('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : c.req.query('token');
    const visitorId =
      token &&
      verifyVisitorToken(
        widget.channel.secrets.widgetTokenSecret,
        widget.channel.id,
        token,
        api.platform.clock.now(),
      );
    if (!visitorId)
      throw new AppError('unauthorized', 'a valid visitor token is required: POST …/sessions for one');
    return visitorId;
  };

  /** A conversation of this visitor on this widget, or 404 (another visitor's, another tenant's). */
  const ownConversation = async (widget: Widget, visitorId: string, conversationId: string) => {
    const [found] = await withTenant(db, widget.tenantId, (tx) =>
      tx
        .select({ id: conversations.id })
        .from(conversations)
        .innerJoin(contactIdentities, eq(contactIdentities.contactId, conversations.contactId))
        .where(
          and(
            eq(conversations.id, conversationId),
            eq(conversations.channelId, widget.channel.id),
            eq(contactIdentities.channelId, widget.channel.id),
            eq(contactIdentities.externalUserId, visitorId),
          ),
        ),
    );
    if (!found) throw new AppError('not_found', 'no such conversation');
  };

  /** Visible messages of a conversation after `afterId` (ids are time-ordered UUIDv7). */
  const messagesAfter = (
    widget: Widget,
    conversationId: string,
    afterId: string | null,
    roles?: readonly string[],
  ) =>
    withTenant(db, widget.tenantId, (tx) =>
      tx
        .select({
          id: messages.id,
          role: messages.role,
          content: messages.content,
          createdAt: messages.createdAt,
        })
        .from(messages)
        .where(
          and(
            eq(messages.conversationId, conversationId),
            eq(messages.isInternal, false),
            ne(messages.type, 'system_event'),
            ...(afterId ? [gt(messages.id, afterId)] : []),
            ...(roles ? [inArray(messages.role, roles as never)] : []),
          ),
        )
        .orderBy(asc(messages.id))
        .limit(200),
    );

  return { limits, spend, gate, visitorOf, ownConversation, messagesAfter };
}

/** POST /widget/:widgetKey/sessions: a visitor session for a widget. */
function registerSessionStart(api: ApiContext, kit: WidgetKit): void {
  const { db } = api;
  const { limits, gate } = kit;

  route(api, {
    method: 'post',
    path: '/widget/:widgetKey/sessions',
    role: 'public',
    tag: 'Widget',
    operationId: 'createWidgetSession',
    summary: 'Get a visitor token',
    description:
      'An anonymous visitor of a website that embeds the widget gets a signed visitor token (30 days). Send a previous token to renew it for the same visitor.',
    request: { params: keyParam, body: json(sessionBody) },
    responses: { 201: { description: 'A visitor token', ...json(session) } },
    handler: async (c) => {
      const widget = await gate(c, { name: 'sessions', limit: limits.sessionsPerIp });
      const body = (c.req.header('content-length') ?? '0') === '0' ? {} : await jsonBody(c, sessionBody);
      const now = api.platform.clock.now();
      const secret = await withTenant(db, widget.tenantId, (tx) =>
        tokenSecret(tx, widget.channel, api.platform.config.secrets),
      );
      const previous = body.token ? verifyVisitorToken(secret, widget.channel.id, body.token, now) : null;
      const visitorId = previous ?? newVisitorId();
      const { token, expiresAt } = signVisitorToken(secret, widget.channel.id, visitorId, now);
      return c.json({ visitorId, token, expiresAt: expiresAt.toISOString() }, 201);
    },
  });
}

/** POST /widget/:widgetKey/messages: a visitor's message. */
function registerVisitorMessage(api: ApiContext, kit: WidgetKit): void {
  const { db } = api;
  const { limits, spend, gate, visitorOf } = kit;

  route(api, {
    method: 'post',
    path: '/widget/:widgetKey/messages',
    role: 'public',
    tag: 'Widget',
    operationId: 'sendWidgetMessage',
    summary: 'Write as the visitor',
    description:
      'Stores the message in the visitor’s open conversation on this widget, or opens one, and hands it to the responder. Authorization: `Bearer <visitor token>`.',
    request: { params: keyParam, body: json(messageBody) },
    responses: { 201: { description: 'Stored', ...json(accepted) } },
    handler: async (c) => {
      const widget = await gate(c);
      const visitorId = visitorOf(c, widget);
      spend(`widget:visitor:${widget.channel.id}:${visitorId}`, limits.messagesPerVisitor);
      const input = await jsonBody(c, messageBody);
      const result = await withTenant(db, widget.tenantId, async (tx) => {
        const receivedAt = api.platform.clock.now();
        const stored = await recordInboundMessage(tx, widget.tenantId, {
          channelId: widget.channel.id,
          identity: {
            kind: 'widget',
            value: visitorId,
            ...(input.displayName ? { displayName: input.displayName } : {}),
          },
          text: input.text,
          receivedAt,
          metadata: { origin: c.req.header('origin') ?? null },
        });
        if (stored.conversationCreated) {
          await greetVisitor(tx, widget.tenantId, {
            conversationId: stored.conversationId,
            channelId: widget.channel.id,
            firstMessageId: stored.messageId,
            receivedAt,
          });
        }
        await notifyResponder(api.platform.jobs, tx, widget.tenantId, stored.messageId);
        return stored;
      });
      const { conversationId, messageId, conversationCreated } = result;
      return c.json({ conversationId, messageId, conversationCreated }, 201);
    },
  });
}

/** GET /widget/:widgetKey/conversations/:id/messages: the visitor's conversation so far. */
function registerConversationRead(api: ApiContext, kit: WidgetKit): void {
  const { gate, visitorOf, ownConversation, messagesAfter } = kit;

  route(api, {
    method: 'get',
    path: '/widget/:widgetKey/conversations/:id/messages',
    role: 'public',
    tag: 'Widget',
    operationId: 'listWidgetMessages',
    summary: 'The visitor’s conversation so far',
    description:
      'Messages in order, internal notes excluded (at most 200). Authorization: `Bearer <visitor token>`.',
    request: { params: conversationParam },
    responses: { 200: { description: 'Messages', ...json(z.object({ data: z.array(visitorMessage) })) } },
    handler: async (c) => {
      const widget = await gate(c);
      const visitorId = visitorOf(c, widget);
      const { id } = parseWith(conversationParam, c.req.param(), 'path');
      await ownConversation(widget, visitorId, id);
      return c.json({ data: await messagesAfter(widget, id, null) });
    },
  });
}

/** GET /widget/:widgetKey/conversations/:id/stream: new messages as server-sent events. */
function registerMessageStream(api: ApiContext, kit: WidgetKit): void {
  const { db } = api;
  const { gate, visitorOf, ownConversation, messagesAfter } = kit;

  route(api, {
    method: 'get',
    path: '/widget/:widgetKey/conversations/:id/stream',
    role: 'public',
    tag: 'Widget',
    operationId: 'streamWidgetReplies',
    summary: 'Replies, live (Server-Sent Events)',
    description:
      'A `text/event-stream` of `message` events (data: a message as in the list), one per reply stored after the stream opened, or after `Last-Event-ID` when reconnecting. The visitor token goes in `Authorization` or, for EventSource, in `?token=`.',
    request: { params: conversationParam },
    responses: {
      200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    },
    handler: async (c) => {
      const widget = await gate(c);
      const visitorId = visitorOf(c, widget);
      const { id } = parseWith(conversationParam, c.req.param(), 'path');
      await ownConversation(widget, visitorId, id);
      const lastEventId = c.req.header('last-event-id');
      let cursor: string | null = z.uuid().safeParse(lastEventId).success ? lastEventId! : null;
      if (!cursor) {
        const [latest] = await withTenant(db, widget.tenantId, (tx) =>
          tx
            .select({ id: sql<string>`max(${messages.id}::text)` })
            .from(messages)
            .where(eq(messages.conversationId, id)),
        );
        cursor = latest?.id ?? null;
      }
      return streamSSE(c, async (stream) => {
        // Wake-ups are serialised: each reads what is new since the last event it wrote.
        let pending = Promise.resolve();
        const flush = () => {
          pending = pending
            .then(async () => {
              for (const m of await messagesAfter(widget, id, cursor, VISIBLE_ROLES)) {
                await stream.writeSSE({ event: 'message', id: m.id, data: JSON.stringify(m) });
                cursor = m.id;
              }
            })
            .catch((error) => api.platform.logger.warn({ err: error }, 'widget stream read failed'));
          return pending;
        };
        const hub = messageHub(db, api.platform.logger);
        const unsubscribe = await hub.subscribe(widget.tenantId, id, () => void flush());
        // The visitor left, or the server shuts down (the visitor's EventSource reconnects).
        const closed = Promise.race([new Promise<void>((resolve) => stream.onAbort(resolve)), hub.closed]);
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ conversationId: id }) });
        // Replies stored between the cursor and the subscription.
        await flush();
        // The keep-alive also re-reads, so a message stored by a path that did not notify still
        // arrives (late) rather than never.
        const heartbeat = setInterval(() => {
          void stream.write(': keep-alive\n\n').then(flush);
        }, HEARTBEAT_SECONDS * 1000);
        heartbeat.unref();
        await closed;
        clearInterval(heartbeat);
        await unsubscribe();
        await pending;
      });
    },
  });
}

/** The CORS preflight of every widget path: allowed origins only. */
function registerPreflight(api: ApiContext): void {
  api.router.options('/widget/:widgetKey/*', async (c) => {
    const { widgetKey } = parseWith(keyParam, { widgetKey: c.req.param('widgetKey') }, 'path');
    const widget = await findWidget(api, widgetKey);
    const origin = c.req.header('origin');
    if (!widget || !origin || !originAllowed(widget, origin)) return c.body(null, 204, { vary: 'Origin' });
    return c.body(null, 204, { ...CORS_HEADERS, 'access-control-allow-origin': origin, vary: 'Origin' });
  });
}
