import { sql } from 'drizzle-orm';
import { index, jsonb, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { emptyJsonObject, emptyTextArray, inValues, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { agents } from '../ai/tables.js';

export const CHANNEL_KINDS = [
  'widget',
  'email',
  'sms',
  'whatsapp',
  'telegram',
  'slack',
  'teams',
  'api',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const CHANNEL_STATUSES = ['active', 'disabled', 'error'] as const;
export const INTEGRATION_TYPES = [
  'slack',
  'teams',
  'zapier',
  'salesforce',
  'hubspot',
  'google_calendar',
  'outlook_calendar',
  'zendesk',
  'intercom',
  'custom',
] as const;
export const INTEGRATION_STATUSES = ['active', 'inactive', 'error'] as const;
/** The widget's pre-chat form: ask no email, ask for one the visitor may skip, or require one. */
export const PRE_CHAT_EMAIL = ['off', 'optional', 'required'] as const;
export type PreChatEmail = (typeof PRE_CHAT_EMAIL)[number];

type Json = Record<string, unknown>;

/**
 * A way messages reach a tenant (seed 000's Slack workspaces, seed 003's SMS/email/Telegram
 * numbers, seed 004's widget and messaging channels). `external_account_id` is the provider
 * account that routes inbound traffic here: Twilio number, WhatsApp phone-number id, Telegram bot
 * id, Slack team id, inbound email address.
 *
 * Routing keys are unique per tenant only (Citus: every unique key includes tenant_id); the
 * platform path that registers a channel must refuse a key another tenant already routes.
 */
export const channels = tenantTable(
  'channels',
  {
    kind: text('kind', { enum: CHANNEL_KINDS }).notNull(),
    name: text('name').notNull(),
    externalAccountId: text('external_account_id'),
    /** Public key a website embeds to load the chat widget (kind = widget only). */
    widgetKey: text('widget_key'),
    /** The agent that answers on this channel unless a conversation names another. */
    agentId: uuid('agent_id'),
    config: jsonb('config').$type<Json>().notNull().default(emptyJsonObject),
    /**
     * Provider credentials (bot tokens, auth tokens, signing secrets). Stored as given for now:
     * encryption at rest is a later issue. Never returned by the API.
     */
    secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default(emptyJsonObject),
    status: text('status', { enum: CHANNEL_STATUSES }).notNull().default('active'),
    lastError: text('last_error'),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('channels_tenant_kind_account_key').on(t.tenantId, t.kind, t.externalAccountId),
    index('channels_routing_idx').on(t.kind, t.externalAccountId),
    uniqueIndex('channels_tenant_widget_key_key').on(t.tenantId, t.widgetKey),
    index('channels_widget_key_idx').on(t.widgetKey).where(sql`${t.widgetKey} is not null`),
    index('channels_tenant_agent_idx').on(t.tenantId, t.agentId),
    tenantRef('channels_agent_fk', t.tenantId, t.agentId, agents),
    inValues('channels_kind_check', t.kind, CHANNEL_KINDS),
    inValues('channels_status_check', t.status, CHANNEL_STATUSES),
  ],
);

/** A connected third-party tool (seed 004's integrations): CRM, calendar, automation. */
export const integrations = tenantTable(
  'integrations',
  {
    type: text('type', { enum: INTEGRATION_TYPES }).notNull(),
    name: text('name').notNull(),
    config: jsonb('config').$type<Json>().notNull().default(emptyJsonObject),
    /** OAuth tokens and API keys; encryption at rest is a later issue. Never returned by the API. */
    secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default(emptyJsonObject),
    status: text('status', { enum: INTEGRATION_STATUSES }).notNull().default('active'),
    lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
    lastError: text('last_error'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('integrations_tenant_type_name_key').on(t.tenantId, t.type, t.name),
    inValues('integrations_type_check', t.type, INTEGRATION_TYPES),
    inValues('integrations_status_check', t.status, INTEGRATION_STATUSES),
  ],
);

/**
 * Chat widget appearance and behaviour (seed 004's widget_settings). One row per agent, plus at
 * most one tenant-wide default with agent_id NULL (NULLS NOT DISTINCT). The embed snippet is
 * derived from the widget channel's key, not stored. The visitor-facing texts are free-form JSON
 * (`behavior.greeting`, …); the pre-chat form's mode is a column because the message endpoint
 * enforces it (channels/visitor-email.ts).
 */
export const widgetSettings = tenantTable(
  'widget_settings',
  {
    agentId: uuid('agent_id'),
    appearance: jsonb('appearance').$type<Json>().notNull().default(emptyJsonObject),
    behavior: jsonb('behavior').$type<Json>().notNull().default(emptyJsonObject),
    launcher: jsonb('launcher').$type<Json>().notNull().default(emptyJsonObject),
    chatWindow: jsonb('chat_window').$type<Json>().notNull().default(emptyJsonObject),
    /** Origins allowed to embed the widget; empty = any. */
    allowedOrigins: text('allowed_origins').array().notNull().default(emptyTextArray),
    /** Ask the visitor's email before the first message of a conversation (docs/widget.md). */
    preChatEmail: text('pre_chat_email', { enum: PRE_CHAT_EMAIL }).notNull().default('off'),
    ...timestamps(),
  },
  (t) => [
    unique('widget_settings_tenant_agent_key').on(t.tenantId, t.agentId).nullsNotDistinct(),
    tenantRef('widget_settings_agent_fk', t.tenantId, t.agentId, agents, 'cascade'),
    inValues('widget_settings_pre_chat_email_check', t.preChatEmail, PRE_CHAT_EMAIL),
  ],
);

export type Channel = typeof channels.$inferSelect;
export type NewChannel = typeof channels.$inferInsert;
export type Integration = typeof integrations.$inferSelect;
export type NewIntegration = typeof integrations.$inferInsert;
export type WidgetSettings = typeof widgetSettings.$inferSelect;
export type NewWidgetSettings = typeof widgetSettings.$inferInsert;
