/** GET /widget/:widgetKey/conversations/:id/messages: the visitor's conversation so far. */
import { operation } from '../../../platform/http/operation.js';
import { parseWith } from '../../../platform/http/validate.js';
import { z } from '../../../platform/zod.js';
import { messagesAfter, ownConversation, visitorMessage } from './widget-conversation.js';
import { conversationParam, visitorOf, type WidgetKit } from './widget-kit.js';

export const listWidgetMessagesOperation = (kit: WidgetKit) =>
  operation({
    method: 'get',
    path: '/widget/:widgetKey/conversations/:id/messages',
    scope: 'public',
    tag: 'Widget',
    operationId: 'listWidgetMessages',
    summary: 'The visitor’s conversation so far',
    description:
      'Messages in order, internal notes excluded (at most 200). Authorization: `Bearer <visitor token>`.',
    // The widget's guards come first (404, 403, 429), then the conversation id is checked: read below.
    openapiRequest: { params: conversationParam },
    responses: { 200: { description: 'Messages', schema: z.object({ data: z.array(visitorMessage) }) } },
    handler: async ({ c, platform, clock }) => {
      const widget = await kit.gate(c, platform);
      const visitorId = visitorOf(c, widget, clock.now());
      const { id } = parseWith(conversationParam, c.req.param(), 'path');
      await ownConversation(platform, widget, visitorId, id);
      return { data: await messagesAfter(platform, widget, id, null) };
    },
  });
