import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  between,
  emptyJsonArray,
  emptyJsonObject,
  emptyTextArray,
  inValues,
  nonNegative,
  timestamps,
} from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { agents, promptVersions } from '../ai/tables.js';
import { CHANNEL_KINDS, channels } from '../channels/tables.js';
import { accounts, contacts } from '../crm/tables.js';

export const CONVERSATION_STATUSES = ['active', 'waiting', 'resolved', 'closed', 'archived'] as const;
/** `assistant` is the AI agent, `agent` a human team member, `user` the contact. */
export const MESSAGE_ROLES = ['user', 'assistant', 'agent', 'system'] as const;
export const MESSAGE_TYPES = ['text', 'image', 'file', 'system_event'] as const;
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;
export const COMMS_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'received',
  'read',
  'failed',
  'undelivered',
] as const;

type Json = Record<string, unknown>;

export type Attachment = { url: string; name?: string; contentType?: string; size?: number };
export type Citation = { sourceId: string; chunkId?: string; title?: string; url?: string; score?: number };

/**
 * A thread with one contact on one channel (seed 004's conversations, seed 002's agent_sessions,
 * seed 000's Slack threads). `external_thread_id` is the provider's thread (Slack thread ts,
 * WhatsApp/Telegram chat id, email thread id).
 */
export const conversations = tenantTable(
  'conversations',
  {
    agentId: uuid('agent_id'),
    contactId: uuid('contact_id'),
    accountId: uuid('account_id'),
    channelId: uuid('channel_id'),
    assignedUserId: uuid('assigned_user_id'),
    /** The team member who opened the conversation themself (seed 002: a CSM's assistant session). */
    startedByUserId: uuid('started_by_user_id'),
    externalThreadId: text('external_thread_id'),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull().default('active'),
    /** 0 none … 4 urgent. */
    priority: integer('priority').notNull().default(0),
    tags: text('tags').array().notNull().default(emptyTextArray),
    subject: text('subject'),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * When the team last looked at the conversation (POST /conversations/:id/seen, sent by the
     * console when an agent opens it): the contact's messages after it are unread.
     */
    agentLastSeenAt: timestamp('agent_last_seen_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('conversations_agent_fk', t.tenantId, t.agentId, agents),
    tenantRef('conversations_contact_fk', t.tenantId, t.contactId, contacts),
    tenantRef('conversations_account_fk', t.tenantId, t.accountId, accounts),
    tenantRef('conversations_channel_fk', t.tenantId, t.channelId, channels),
    index('conversations_tenant_status_idx').on(t.tenantId, t.status, t.lastMessageAt.desc()),
    index('conversations_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('conversations_tenant_contact_idx').on(t.tenantId, t.contactId),
    index('conversations_tenant_account_idx').on(t.tenantId, t.accountId),
    index('conversations_tenant_agent_idx').on(t.tenantId, t.agentId),
    index('conversations_tenant_thread_idx').on(t.tenantId, t.channelId, t.externalThreadId),
    index('conversations_assigned_user_idx').on(t.assignedUserId),
    index('conversations_started_by_idx').on(t.startedByUserId),
    inValues('conversations_status_check', t.status, CONVERSATION_STATUSES),
    between('conversations_priority_check', t.priority, 0, 4),
  ],
);

/**
 * One message of a conversation. AI replies record what produced them (prompt version, model,
 * citations, confidence, tokens) so every answer can be explained. `is_internal` marks notes and
 * agent reasoning that are never sent on the channel.
 */
export const messages = tenantTable(
  'messages',
  {
    conversationId: uuid('conversation_id').notNull(),
    /** Copied from the conversation so external message ids are unique per channel. */
    channelId: uuid('channel_id'),
    role: text('role', { enum: MESSAGE_ROLES }).notNull(),
    type: text('type', { enum: MESSAGE_TYPES }).notNull().default('text'),
    content: text('content').notNull(),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default(emptyJsonArray),
    isInternal: boolean('is_internal').notNull().default(false),
    authorContactId: uuid('author_contact_id'),
    authorUserId: uuid('author_user_id'),
    externalMessageId: text('external_message_id'),
    deliveryStatus: text('delivery_status', { enum: DELIVERY_STATUSES }),
    citations: jsonb('citations').$type<Citation[]>().notNull().default(emptyJsonArray),
    promptVersionId: uuid('prompt_version_id'),
    model: text('model'),
    confidence: numeric('confidence', { precision: 4, scale: 3, mode: 'number' }),
    tokensIn: integer('tokens_in'),
    tokensOut: integer('tokens_out'),
    requiresApproval: boolean('requires_approval').notNull().default(false),
    toolCalls: jsonb('tool_calls').$type<Json[]>(),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('messages_conversation_fk', t.tenantId, t.conversationId, conversations, 'cascade'),
    tenantRef('messages_channel_fk', t.tenantId, t.channelId, channels),
    tenantRef('messages_author_contact_fk', t.tenantId, t.authorContactId, contacts),
    tenantRef('messages_prompt_version_fk', t.tenantId, t.promptVersionId, promptVersions),
    index('messages_tenant_conversation_idx').on(t.tenantId, t.conversationId, t.createdAt),
    index('messages_tenant_author_contact_idx').on(t.tenantId, t.authorContactId),
    index('messages_tenant_prompt_version_idx').on(t.tenantId, t.promptVersionId),
    index('messages_author_user_idx').on(t.authorUserId),
    uniqueIndex('messages_channel_external_key')
      .on(t.tenantId, t.channelId, t.externalMessageId)
      .where(sql`${t.externalMessageId} is not null`),
    inValues('messages_role_check', t.role, MESSAGE_ROLES),
    inValues('messages_type_check', t.type, MESSAGE_TYPES),
    inValues('messages_delivery_status_check', t.deliveryStatus, DELIVERY_STATUSES),
    between('messages_confidence_check', t.confidence, 0, 1),
    nonNegative('messages_tokens_in_check', t.tokensIn),
    nonNegative('messages_tokens_out_check', t.tokensOut),
  ],
);

/**
 * Provider delivery log (seed 003's comms_events): one row per send attempt or inbound receipt,
 * updated by provider status callbacks. Deleted with its message (it holds a body preview).
 */
export const commsEvents = tenantTable(
  'comms_events',
  {
    channelId: uuid('channel_id'),
    channelKind: text('channel_kind', { enum: CHANNEL_KINDS }).notNull(),
    messageId: uuid('message_id'),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    fromAddr: text('from_addr').notNull(),
    toAddr: text('to_addr').notNull(),
    subject: text('subject'),
    bodyPreview: text('body_preview'),
    status: text('status', { enum: COMMS_STATUSES }).notNull(),
    providerMessageId: text('provider_message_id'),
    providerStatus: text('provider_status'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempt: integer('attempt').notNull().default(1),
    ...timestamps(),
  },
  (t) => [
    tenantRef('comms_events_channel_fk', t.tenantId, t.channelId, channels),
    tenantRef('comms_events_message_fk', t.tenantId, t.messageId, messages, 'cascade'),
    index('comms_events_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('comms_events_tenant_message_idx').on(t.tenantId, t.messageId),
    index('comms_events_tenant_channel_idx').on(t.tenantId, t.channelId, t.createdAt.desc()),
    index('comms_events_tenant_provider_msg_idx').on(t.tenantId, t.providerMessageId),
    inValues('comms_events_channel_kind_check', t.channelKind, CHANNEL_KINDS),
    inValues('comms_events_direction_check', t.direction, DIRECTIONS),
    inValues('comms_events_status_check', t.status, COMMS_STATUSES),
    check('comms_events_attempt_check', sql`${t.attempt} >= 1`),
    check('comms_events_body_preview_check', sql`char_length(${t.bodyPreview}) <= 1000`),
  ],
);

export type Conversation = typeof conversations.$inferSelect;
export type NewConversation = typeof conversations.$inferInsert;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type CommsEvent = typeof commsEvents.$inferSelect;
export type NewCommsEvent = typeof commsEvents.$inferInsert;
