/**
 * GET /live: the console's live feed, as Server-Sent Events. One `message` event per message
 * stored in the caller's tenant (any conversation, internal notes included: the caller is a team
 * member) with `{conversationId, messageId}`; the console refetches what it shows. It rides on
 * the widget's NOTIFY fan-out (channels/widget-stream.ts): sent only when the storing transaction
 * commits, on both engines and across processes. After a lost LISTEN connection every stream gets
 * a `resync` event (something may have been missed: refetch everything).
 *
 * Browsers' EventSource cannot send `Authorization`; the console reads the stream with `fetch`.
 */
import { streamSSE } from 'hono/streaming';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { ALL_CONVERSATIONS, messageHub } from '../../channels/widget-stream.js';

const HEARTBEAT_SECONDS = 20;

export const streamTenantActivityOperation = operation({
  method: 'get',
  path: '/live',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Conversations',
  operationId: 'streamTenantActivity',
  summary: 'Live activity of the tenant (Server-Sent Events)',
  description:
    'A `text/event-stream`: `ready`, then a `message` event (`data: {conversationId, messageId}`) for every message stored in the tenant once its transaction commits, and `resync` when events may have been missed.',
  request: { query: z.object({}) },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
  },
  // The stream outlives the request's transaction: it listens on the hub's own connection.
  transaction: false,
  handler: ({ c, principal, platform }) =>
    streamSSE(c, async (stream) => {
      const hub = messageHub(platform.db, platform.logger);
      let writing = Promise.resolve();
      const send = (event: string, data: object) => {
        writing = writing
          .then(() => stream.writeSSE({ event, data: JSON.stringify(data) }))
          .catch(() => undefined);
      };
      const unsubscribe = await hub.subscribe(principal.tenantId, ALL_CONVERSATIONS, (m) => {
        if (m.messageId === '') send('resync', {});
        else send('message', { conversationId: m.conversationId, messageId: m.messageId });
      });
      const closed = Promise.race([new Promise<void>((resolve) => stream.onAbort(resolve)), hub.closed]);
      send('ready', {});
      const heartbeat = setInterval(() => {
        writing = writing
          .then(() => stream.write(': keep-alive\n\n'))
          .then(
            () => undefined,
            () => undefined,
          );
      }, HEARTBEAT_SECONDS * 1000);
      heartbeat.unref();
      await closed;
      clearInterval(heartbeat);
      await unsubscribe();
      await writing;
    }),
});
