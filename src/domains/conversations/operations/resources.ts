/**
 * Conversations, their messages and the provider delivery log as standard resources
 * (resourceOperations). Conversations change status and assignee through their actions; messages
 * are created by create-message.ts and create-conversation-message.ts and never edited; the
 * delivery log is read-only.
 */
import { eq } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import type { ResourceSpec } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { memberships } from '../../identity/tables.js';
import { CONVERSATION_STATUSES, commsEvents, conversations, messages } from '../tables.js';
import { conversationEvents } from '../workflow-events.js';
import { MESSAGE_SERVER_COLUMNS } from './kit.js';

type Status = (typeof CONVERSATION_STATUSES)[number];

/** The status and the timestamps that go with it; reopened, it is neither resolved nor closed. */
function statusChange(row: Record<string, unknown>, status: Status, now: Date) {
  if (status === row.status) return { status };
  switch (status) {
    case 'resolved':
      return { status, resolvedAt: now, closedAt: null };
    case 'closed':
      return { status, closedAt: now };
    case 'archived':
      return { status };
    default:
      return { status, resolvedAt: null, closedAt: null };
  }
}

export const conversationResource: ResourceSpec = {
  name: 'conversations',
  component: 'Conversation',
  tag: 'Conversations',
  table: conversations,
  writeRole: 'agent',
  // Status and its timestamps change through set-status; assignment through assign; the seen
  // mark through POST /conversations/:id/seen (mark-seen.ts).
  readOnly: [
    'status',
    'resolvedAt',
    'closedAt',
    'lastMessageAt',
    'assignedUserId',
    'startedByUserId',
    'agentLastSeenAt',
  ],
  filters: ['status', 'channelId', 'contactId', 'accountId', 'assignedUserId', 'agentId', 'externalThreadId'],
  example: {
    subject: 'Charged twice for the March invoice',
    contactId: '01950000-0000-7000-8000-000000000001',
    channelId: '01950000-0000-7000-8000-000000000002',
    priority: 2,
    tags: ['billing'],
  },
  refs: { contactId: 'contacts', channelId: 'channels' },
  afterWrite: conversationEvents,
  actions: [
    {
      name: 'assign',
      summary: 'Assign the conversation to a team member (or unassign with null)',
      role: 'agent',
      body: z.object({ userId: z.uuid().nullable() }),
      apply: async (_row, body, { tx }) => {
        const userId = body.userId as string | null;
        if (userId) {
          const [member] = await tx
            .select({ id: memberships.id })
            .from(memberships)
            .where(eq(memberships.userId, userId));
          if (!member) {
            throw new AppError('validation_failed', 'the request body is not valid', {
              errors: [{ path: 'userId', message: 'not a member of this tenant' }],
            });
          }
        }
        return { assignedUserId: userId };
      },
    },
    {
      name: 'set-status',
      summary: 'Change the status; resolved and closed record when',
      role: 'agent',
      body: z.object({ status: z.enum(CONVERSATION_STATUSES) }),
      apply: (row, body, { clock }) => statusChange(row, body.status as Status, clock.now()),
    },
  ],
};

/** Messages, read-only here: created by their own operations (one function for both forms). */
export const messageResource: ResourceSpec = {
  name: 'messages',
  component: 'Message',
  tag: 'Conversations',
  table: messages,
  writeRole: 'agent',
  readOnly: [...MESSAGE_SERVER_COLUMNS.filter((c) => c !== 'conversationId')],
  filters: ['conversationId', 'role', 'type', 'authorContactId', 'externalMessageId', 'deliveryStatus'],
  example: {
    conversationId: '01950000-0000-7000-8000-000000000003',
    role: 'agent',
    content: 'I have refunded the duplicate charge; it will show within 5 business days.',
    isInternal: false,
  },
  refs: { conversationId: 'conversations' },
  create: false,
  update: false,
};

/** Communication events (delivery records), read-only. */
export const commsEventResource: ResourceSpec = {
  name: 'comms-events',
  component: 'CommsEvent',
  tag: 'Conversations',
  table: commsEvents,
  writeRole: 'admin',
  create: false,
  update: false,
  remove: false,
  filters: ['channelId', 'channelKind', 'messageId', 'direction', 'status', 'providerMessageId'],
  example: {
    channelKind: 'sms',
    direction: 'outbound',
    fromAddr: '+15550100',
    toAddr: '+15550123',
    bodyPreview: 'Your door code for Friday is 4821.',
    status: 'delivered',
    providerMessageId: 'SM5f1c2d3e4a',
  },
};
