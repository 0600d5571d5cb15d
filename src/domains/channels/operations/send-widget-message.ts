/** POST /widget/:widgetKey/messages: the visitor's message, stored and handed to the responder. */
import { withTenant } from '../../../platform/db/tenant.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { notifyResponder, recordInboundMessage } from '../../conversations/intake.js';
import { keepVisitorEmail } from '../visitor-email.js';
import { greetVisitor } from '../widget-notices.js';
import { keyParam, visitorOf, type WidgetKit } from './widget-kit.js';

const messageBody = z.object({
  text: z.string().trim().min(1).max(4000),
  displayName: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(254).optional().openapi({
    description:
      'The visitor’s email from the pre-chat form, kept on their contact (an email already there is kept). Required to open a conversation when the widget’s `preChatEmail` is `required` and the visitor has given none.',
    example: 'ana@example.com',
  }),
});
const accepted = z.object({
  conversationId: z.uuid(),
  messageId: z.uuid(),
  conversationCreated: z.boolean(),
});

export const sendWidgetMessageOperation = (kit: WidgetKit) =>
  operation({
    method: 'post',
    path: '/widget/:widgetKey/messages',
    scope: 'public',
    tag: 'Widget',
    operationId: 'sendWidgetMessage',
    summary: 'Write as the visitor',
    description:
      'Stores the message in the visitor’s open conversation on this widget, or opens one, and hands it to the responder. Authorization: `Bearer <visitor token>`. A message that would open a conversation on a widget whose `preChatEmail` is `required`, from a visitor with no email yet and without `email`, is refused with 422 `/problems/email-required` and nothing is stored.',
    request: { params: keyParam, body: messageBody },
    responses: { 201: { description: 'Stored', schema: accepted } },
    // The guards, the visitor and the visitor's budget come before the body is read.
    load: async ({ c, platform, clock }) => {
      const widget = await kit.gate(c, platform);
      const visitorId = visitorOf(c, widget, clock.now());
      kit.spend(`widget:visitor:${widget.channel.id}:${visitorId}`, kit.limits.messagesPerVisitor);
      return { widget, visitorId };
    },
    handler: async ({ c, body: input, platform, clock, loaded: { widget, visitorId } }) => {
      const result = await withTenant(platform.db, widget.tenantId, async (tx) => {
        const receivedAt = clock.now();
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
        await keepVisitorEmail(tx, widget.tenantId, {
          channelId: widget.channel.id,
          contactId: stored.contactId,
          conversationCreated: stored.conversationCreated,
          email: input.email,
        });
        if (stored.conversationCreated) {
          await greetVisitor(tx, widget.tenantId, {
            conversationId: stored.conversationId,
            channelId: widget.channel.id,
            firstMessageId: stored.messageId,
            receivedAt,
          });
        }
        await notifyResponder(platform.jobs, tx, widget.tenantId, stored.messageId);
        return stored;
      });
      const { conversationId, messageId, conversationCreated } = result;
      return { conversationId, messageId, conversationCreated };
    },
  });
