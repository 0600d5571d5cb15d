/** GET /widget/:widgetKey/conversations/:id/stream: new replies as Server-Sent Events. */
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { operation } from '../../../platform/http/operation.js';
import { parseWith } from '../../../platform/http/validate.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { z } from '../../../platform/zod.js';
import { messages } from '../../conversations/threads.js';
import { messageHub } from '../widget-stream.js';
import { messagesAfter, ownConversation } from './widget-conversation.js';
import { conversationParam, visitorOf, type Widget, type WidgetKit } from './widget-kit.js';

/** Seconds between keep-alive comments on an idle stream (proxies close silent connections). */
const HEARTBEAT_SECONDS = 20;
const VISIBLE_ROLES = ['assistant', 'agent', 'system'] as const;

/** The stream of replies after `cursor`, until the visitor leaves or the server shuts down. */
function replies(c: Context<AppEnv>, platform: AppPlatform, widget: Widget, id: string, from: string | null) {
  let cursor = from;
  return streamSSE(c, async (stream) => {
    // Wake-ups are serialised: each reads what is new since the last event it wrote.
    let pending = Promise.resolve();
    const flush = () => {
      pending = pending
        .then(async () => {
          for (const m of await messagesAfter(platform, widget, id, cursor, VISIBLE_ROLES)) {
            await stream.writeSSE({ event: 'message', id: m.id, data: JSON.stringify(m) });
            cursor = m.id;
          }
        })
        .catch((error) => platform.logger.warn({ err: error }, 'widget stream read failed'));
      return pending;
    };
    const hub = messageHub(platform.db, platform.logger);
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
}

export const streamWidgetRepliesOperation = (kit: WidgetKit) =>
  operation({
    method: 'get',
    path: '/widget/:widgetKey/conversations/:id/stream',
    scope: 'public',
    tag: 'Widget',
    operationId: 'streamWidgetReplies',
    summary: 'Replies, live (Server-Sent Events)',
    description:
      'A `text/event-stream` of `message` events (data: a message as in the list), one per reply stored after the stream opened, or after `Last-Event-ID` when reconnecting. The visitor token goes in `Authorization` or, for EventSource, in `?token=`.',
    // The widget's guards come first (404, 403, 429), then the conversation id is checked: read below.
    openapiRequest: { params: conversationParam },
    responses: {
      200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    },
    handler: async ({ c, platform, clock }) => {
      const widget = await kit.gate(c, platform);
      const visitorId = visitorOf(c, widget, clock.now());
      const { id } = parseWith(conversationParam, c.req.param(), 'path');
      await ownConversation(platform, widget, visitorId, id);
      const lastEventId = c.req.header('last-event-id');
      let cursor: string | null = z.uuid().safeParse(lastEventId).success ? lastEventId! : null;
      if (!cursor) {
        const [latest] = await withTenant(platform.db, widget.tenantId, (tx) =>
          tx
            .select({ id: sql<string>`max(${messages.id}::text)` })
            .from(messages)
            .where(eq(messages.conversationId, id)),
        );
        cursor = latest?.id ?? null;
      }
      return replies(c, platform, widget, id, cursor);
    },
  });
