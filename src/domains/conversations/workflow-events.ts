/**
 * Webhook events of the conversation workflow, emitted in the transaction of the change that
 * causes them (resource `afterWrite` hooks). Payloads are thin, as Standard Webhooks suggests:
 * ids and the fields a receiver routes on; the API has the rest.
 */

import type { Tx } from '../../platform/db/database.js';
import type { WriteChange } from '../../platform/http/resource.js';
import { notifyMessageStored, notifyMessagesStored } from '../channels/widget-stream.js';
import { emitEvent, emitEvents } from '../ops/events.js';
import type { Escalation } from './workflow.js';

type Row = Record<string, unknown>;

const CLOSED = ['resolved', 'closed', 'archived'];

const conversationData = (r: Row) => ({
  id: r.id,
  status: r.status,
  contactId: r.contactId ?? null,
  channelId: r.channelId ?? null,
  assignedUserId: r.assignedUserId ?? null,
});

/** conversation.opened (created, or reopened), conversation.closed (resolved, closed or archived), conversation.assigned. */
export async function conversationEvents(
  tx: Tx,
  { op, tenantId, at, before, after }: WriteChange,
): Promise<void> {
  const data = conversationData(after);
  if (op === 'create') return emitEvent(tx, tenantId, 'conversation.opened', data, { at });
  if (op === 'assign' && before?.assignedUserId !== after.assignedUserId) {
    return emitEvent(
      tx,
      tenantId,
      'conversation.assigned',
      {
        ...data,
        previousAssignedUserId: before?.assignedUserId ?? null,
      },
      { at },
    );
  }
  if (op === 'set-status' && before?.status !== after.status) {
    const wasClosed = CLOSED.includes(String(before?.status));
    const isClosed = CLOSED.includes(String(after.status));
    if (isClosed && !wasClosed) return emitEvent(tx, tenantId, 'conversation.closed', data, { at });
    if (wasClosed && !isClosed) return emitEvent(tx, tenantId, 'conversation.opened', data, { at });
  }
}

/**
 * The one payload of escalation.opened and escalation.updated, whoever opened the escalation (the
 * API, the responder, the token budget, an SLA breach): docs/webhooks.md lists its fields.
 */
export const escalationData = (r: Row) => ({
  id: r.id,
  type: r.type,
  severity: r.severity,
  status: r.status,
  summary: r.summary,
  conversationId: r.conversationId ?? null,
  messageId: r.messageId ?? null,
  accountId: r.accountId ?? null,
});

/** escalation.opened on creation, escalation.updated on every later change (acknowledged, resolved…). */
export async function escalationEvents(tx: Tx, { op, tenantId, at, after }: WriteChange): Promise<void> {
  await emitEvent(
    tx,
    tenantId,
    op === 'create' ? 'escalation.opened' : 'escalation.updated',
    {
      ...escalationData(after),
      ...(op === 'create' ? {} : { change: op }),
    },
    { at },
  );
}

/** approval.requested when an approval is created. */
export async function approvalEvents(tx: Tx, { op, tenantId, at, after }: WriteChange): Promise<void> {
  if (op !== 'create') return;
  await emitEvent(
    tx,
    tenantId,
    'approval.requested',
    {
      id: after.id,
      action: after.action,
      status: after.status,
      conversationId: after.conversationId ?? null,
      messageId: after.messageId ?? null,
      expiresAt: after.expiresAt ?? null,
    },
    { at },
  );
}

/**
 * Every stored message calls this in its transaction (API, intake, outbound): the message.created
 * webhook event, and the notification that pushes it to widget visitors' live streams.
 */
export async function messageCreated(tx: Tx, tenantId: string, message: Row, at: Date): Promise<void> {
  await notifyMessageStored(tx, {
    tenantId,
    conversationId: String(message.conversationId),
    messageId: String(message.id),
  });
  await emitEvent(
    tx,
    tenantId,
    'message.created',
    {
      id: message.id,
      conversationId: message.conversationId,
      role: message.role,
      channelId: message.channelId ?? null,
      isInternal: message.isInternal ?? false,
    },
    { at },
  );
}

/** `messageCreated` for several messages stored together: one notify, one event insert. */
export async function messagesCreated(tx: Tx, tenantId: string, stored: Row[], at: Date): Promise<void> {
  await notifyMessagesStored(
    tx,
    stored.map((m) => ({ tenantId, conversationId: String(m.conversationId), messageId: String(m.id) })),
  );
  await emitEvents(
    tx,
    tenantId,
    stored.map((m) => ({
      type: 'message.created',
      data: {
        id: m.id,
        conversationId: m.conversationId,
        role: m.role,
        channelId: m.channelId ?? null,
        isInternal: m.isInternal ?? false,
      },
    })),
    { at },
  );
}

/** `escalation.opened`, emitted in the transaction that opened the escalation. */
export async function escalationOpened(
  tx: Tx,
  tenantId: string,
  escalation: Escalation,
  at: Date,
): Promise<void> {
  await emitEvent(tx, tenantId, 'escalation.opened', escalationData(escalation), { at });
}
