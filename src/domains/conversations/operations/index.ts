/**
 * The conversations domain's operations, in registration order: conversations (assign,
 * set-status; their unread counts and seen mark), messages (read; created flat or nested under their conversation, never edited),
 * the provider delivery log (read-only), approvals, escalations, and the console's live feed.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { createConversationMessageOperation } from './create-conversation-message.js';
import { createMessageOperation } from './create-message.js';
import { listConversationMessagesOperation } from './list-conversation-messages.js';
import { markConversationSeenOperation } from './mark-seen.js';
import { commsEventResource, conversationResource, messageResource } from './resources.js';
import { streamTenantActivityOperation } from './stream-tenant-activity.js';
import { unreadCountsOperation } from './unread-counts.js';
import { approvalResource, escalationResource } from './workflow-resources.js';

export const conversationsOperations: readonly AnyOperation[] = [
  // Before the resource's GET /conversations/:id, which would take `unread-counts` for an id.
  unreadCountsOperation,
  ...resourceOperations(conversationResource),
  markConversationSeenOperation,
  ...resourceOperations(messageResource),
  createMessageOperation,
  listConversationMessagesOperation,
  createConversationMessageOperation,
  ...resourceOperations(commsEventResource),
  ...resourceOperations(approvalResource),
  ...resourceOperations(escalationResource),
  streamTenantActivityOperation,
];
