import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  between,
  emptyJsonArray,
  emptyJsonObject,
  emptyTextArray,
  idColumn,
  inValues,
  nonNegative,
  timestamps,
} from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { ESCALATION_TYPES } from '../conversations/values.js';
import { users } from '../identity/tables.js';

export const AGENT_TYPES = ['support', 'sales', 'success', 'concierge', 'general', 'custom'] as const;
export const AGENT_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export const BRAND_VOICE_SCOPES = ['all', 'client_conversations', 'internal_only'] as const;

type Json = Record<string, unknown>;

/**
 * Global: ready-made agent packages offered to every tenant (seed 004's agent_packages), written
 * by platform operators only; tenants read them (GRANT SELECT in migrations) and copy one into an
 * agent.
 */
export const agentTemplates = pgTable(
  'agent_templates',
  {
    id: idColumn().primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    category: text('category'),
    icon: text('icon'),
    agentType: text('agent_type', { enum: AGENT_TYPES }).notNull().default('general'),
    basePrompt: text('base_prompt').notNull(),
    suggestedTools: jsonb('suggested_tools').$type<string[]>().notNull().default(emptyJsonArray),
    /** Defaults copied into agents.model_config / escalation_config when a tenant adopts the template. */
    defaultConfig: jsonb('default_config').$type<Json>().notNull().default(emptyJsonObject),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('agent_templates_slug_key').on(t.slug),
    inValues('agent_templates_agent_type_check', t.agentType, AGENT_TYPES),
  ],
);

/**
 * Brand voice templates (seed 000): tone guidelines and phrase lists an agent's replies follow.
 * At most one default per tenant.
 */
export const brandVoices = tenantTable(
  'brand_voices',
  {
    name: text('name').notNull(),
    description: text('description'),
    toneGuidelines: text('tone_guidelines').notNull(),
    approvedPhrases: text('approved_phrases').array().notNull().default(emptyTextArray),
    forbiddenPhrases: text('forbidden_phrases').array().notNull().default(emptyTextArray),
    responsePatterns: jsonb('response_patterns')
      .$type<Array<{ situation: string; pattern: string }>>()
      .notNull()
      .default(emptyJsonArray),
    isDefault: boolean('is_default').notNull().default(false),
    applicableTo: text('applicable_to', { enum: BRAND_VOICE_SCOPES }).notNull().default('all'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('brand_voices_tenant_name_key').on(t.tenantId, t.name),
    uniqueIndex('brand_voices_one_default_key').on(t.tenantId).where(sql`${t.isDefault}`),
    inValues('brand_voices_applicable_to_check', t.applicableTo, BRAND_VOICE_SCOPES),
  ],
);

/**
 * An AI agent (seed 004's agents) together with its behaviour settings (seed 003's
 * company_ai_config and company_profile.assistant_name). Its system prompt lives in
 * prompt_versions. Quiet hours are wall-clock TIMEs in the tenant's time zone.
 */
export const agents = tenantTable(
  'agents',
  {
    name: text('name').notNull(),
    /** The name the assistant introduces itself with (seed 003: "Mark"). */
    assistantName: text('assistant_name'),
    description: text('description'),
    avatarUrl: text('avatar_url'),
    type: text('type', { enum: AGENT_TYPES }).notNull().default('support'),
    status: text('status', { enum: AGENT_STATUSES }).notNull().default('draft'),
    welcomeMessage: text('welcome_message'),
    modelConfig: jsonb('model_config').$type<Json>().notNull().default(emptyJsonObject),
    toolsConfig: jsonb('tools_config').$type<Json>().notNull().default(emptyJsonObject),
    escalationConfig: jsonb('escalation_config').$type<Json>().notNull().default(emptyJsonObject),
    widgetConfig: jsonb('widget_config').$type<Json>().notNull().default(emptyJsonObject),
    autoReplyEnabled: boolean('auto_reply_enabled').notNull().default(true),
    /** Below this confidence a reply is held for a human (0–1). */
    confidenceThreshold: numeric('confidence_threshold', { precision: 3, scale: 2, mode: 'number' })
      .notNull()
      .default(0.7),
    quietHoursStart: time('quiet_hours_start'),
    quietHoursEnd: time('quiet_hours_end'),
    responseDelaySeconds: integer('response_delay_seconds').notNull().default(0),
    escalationCategories: text('escalation_categories').array().notNull().default(emptyTextArray),
    brandVoiceId: uuid('brand_voice_id'),
    templateId: uuid('template_id').references(() => agentTemplates.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    index('agents_tenant_status_idx').on(t.tenantId, t.status),
    index('agents_template_idx').on(t.templateId),
    index('agents_created_by_idx').on(t.createdBy),
    index('agents_tenant_brand_voice_idx').on(t.tenantId, t.brandVoiceId),
    tenantRef('agents_brand_voice_fk', t.tenantId, t.brandVoiceId, brandVoices),
    inValues('agents_type_check', t.type, AGENT_TYPES),
    inValues('agents_status_check', t.status, AGENT_STATUSES),
    between('agents_confidence_threshold_check', t.confidenceThreshold, 0, 1),
    nonNegative('agents_response_delay_check', t.responseDelaySeconds),
    check('agents_quiet_hours_check', sql`(${t.quietHoursStart} is null) = (${t.quietHoursEnd} is null)`),
    // Escalation categories are escalation types (seed 003's refund/complaint/emergency…).
    check(
      'agents_escalation_categories_check',
      sql`${t.escalationCategories} <@ array[${sql.raw(ESCALATION_TYPES.map((v) => `'${v}'`).join(', '))}]::text[]`,
    ),
  ],
);

/**
 * Versioned system prompts of an agent (seed 003's company_prompts, seed 004's
 * agents.system_prompt). At most one version per agent is published.
 */
export const promptVersions = tenantTable(
  'prompt_versions',
  {
    agentId: uuid('agent_id').notNull(),
    version: integer('version').notNull(),
    content: text('content').notNull(),
    isPublished: boolean('is_published').notNull().default(false),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  (t) => [
    tenantRef('prompt_versions_agent_fk', t.tenantId, t.agentId, agents, 'cascade'),
    uniqueIndex('prompt_versions_agent_version_key').on(t.tenantId, t.agentId, t.version),
    uniqueIndex('prompt_versions_one_published_key').on(t.tenantId, t.agentId).where(sql`${t.isPublished}`),
    check('prompt_versions_version_check', sql`${t.version} > 0`),
    check('prompt_versions_published_at_check', sql`not ${t.isPublished} or ${t.publishedAt} is not null`),
  ],
);

export type AgentTemplate = typeof agentTemplates.$inferSelect;
export type NewAgentTemplate = typeof agentTemplates.$inferInsert;
export type BrandVoice = typeof brandVoices.$inferSelect;
export type NewBrandVoice = typeof brandVoices.$inferInsert;
export type Agent = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;
export type PromptVersion = typeof promptVersions.$inferSelect;
export type NewPromptVersion = typeof promptVersions.$inferInsert;
