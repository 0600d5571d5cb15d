/** POST /messages: add a message to the conversation the body names. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { flatMessageBody, insertMessage, lockConversation, messageRead } from './kit.js';

export const createMessageOperation = operation({
  method: 'post',
  path: '/messages',
  scope: 'tenant',
  role: 'agent',
  resource: 'messages',
  collection: true,
  tag: 'Conversations',
  operationId: 'createMessage',
  summary: 'Add a message to a conversation',
  description:
    'The channel comes from the conversation; a team member’s message (`role: agent`) records the calling user as its author. Send an `Idempotency-Key` header to make retries safe.',
  request: { body: flatMessageBody },
  responses: { 201: { description: 'Created', schema: messageRead } },
  idempotent: true,
  handler: async (ctx) => {
    const { conversationId, ...input } = ctx.body;
    const conv = await lockConversation(ctx.tx, ctx.principal.tenantId, conversationId as string);
    if (!conv) {
      throw new AppError('validation_failed', 'the request body is not valid', {
        errors: [{ path: 'conversationId', message: 'no such conversation' }],
      });
    }
    return insertMessage(ctx, conv, input);
  },
});
