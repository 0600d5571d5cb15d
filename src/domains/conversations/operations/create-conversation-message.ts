/** POST /conversations/:id/messages: add a message to this conversation. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { idParam, insertMessage, lockConversation, messageBody, messageRead } from './kit.js';

export const createConversationMessageOperation = operation({
  method: 'post',
  path: '/conversations/:id/messages',
  scope: 'tenant',
  role: 'agent',
  resource: 'conversations',
  tag: 'Conversations',
  operationId: 'createConversationMessage',
  summary: 'Add a message to this conversation',
  description:
    'Like `POST /v1/messages` with the conversation taken from the path. Send an `Idempotency-Key` header to make retries safe.',
  request: { params: idParam, body: messageBody },
  responses: { 201: { description: 'Created', schema: messageRead } },
  idempotent: true,
  // The conversation is found before the body is read: another tenant's id is a 404 whatever is sent.
  load: async ({ tx, params, principal }) => {
    const conv = await lockConversation(tx, principal.tenantId, params.id);
    if (!conv) throw new AppError('not_found', 'no such conversation');
    return conv;
  },
  handler: (ctx) => insertMessage(ctx, ctx.loaded, ctx.body),
});
