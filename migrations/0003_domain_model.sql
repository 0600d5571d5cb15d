CREATE TABLE "agent_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"category" text,
	"icon" text,
	"agent_type" text DEFAULT 'general' NOT NULL,
	"base_prompt" text NOT NULL,
	"suggested_tools" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"default_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_templates_agent_type_check" CHECK ("agent_templates"."agent_type" in ('support', 'sales', 'success', 'concierge', 'general', 'custom'))
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"assistant_name" text,
	"description" text,
	"avatar_url" text,
	"type" text DEFAULT 'support' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"welcome_message" text,
	"model_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tools_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"escalation_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"widget_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"auto_reply_enabled" boolean DEFAULT true NOT NULL,
	"confidence_threshold" numeric(3, 2) DEFAULT 0.7 NOT NULL,
	"quiet_hours_start" time,
	"quiet_hours_end" time,
	"response_delay_seconds" integer DEFAULT 0 NOT NULL,
	"escalation_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"brand_voice_id" uuid,
	"template_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agents_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "agents_type_check" CHECK ("agents"."type" in ('support', 'sales', 'success', 'concierge', 'general', 'custom')),
	CONSTRAINT "agents_status_check" CHECK ("agents"."status" in ('draft', 'active', 'paused', 'archived')),
	CONSTRAINT "agents_confidence_threshold_check" CHECK ("agents"."confidence_threshold" between 0 and 1),
	CONSTRAINT "agents_response_delay_check" CHECK ("agents"."response_delay_seconds" >= 0),
	CONSTRAINT "agents_quiet_hours_check" CHECK (("agents"."quiet_hours_start" is null) = ("agents"."quiet_hours_end" is null))
);
--> statement-breakpoint
CREATE TABLE "brand_voices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"tone_guidelines" text NOT NULL,
	"approved_phrases" text[] DEFAULT '{}'::text[] NOT NULL,
	"forbidden_phrases" text[] DEFAULT '{}'::text[] NOT NULL,
	"response_patterns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"applicable_to" text DEFAULT 'all' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "brand_voices_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "brand_voices_applicable_to_check" CHECK ("brand_voices"."applicable_to" in ('all', 'client_conversations', 'internal_only'))
);
--> statement-breakpoint
CREATE TABLE "prompt_versions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" text NOT NULL,
	"is_published" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"notes" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prompt_versions_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "prompt_versions_version_check" CHECK ("prompt_versions"."version" > 0),
	CONSTRAINT "prompt_versions_published_at_check" CHECK (not "prompt_versions"."is_published" or "prompt_versions"."published_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "conversation_metrics" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"agent_id" uuid,
	"resolution_type" text,
	"messages_count" integer DEFAULT 0 NOT NULL,
	"ai_messages_count" integer DEFAULT 0 NOT NULL,
	"human_messages_count" integer DEFAULT 0 NOT NULL,
	"contact_messages_count" integer DEFAULT 0 NOT NULL,
	"first_response_seconds" integer,
	"response_time_avg_seconds" integer,
	"resolution_seconds" integer,
	"duration_seconds" integer,
	"satisfaction_score" integer,
	"escalated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_metrics_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "conversation_metrics_resolution_type_check" CHECK ("conversation_metrics"."resolution_type" in ('ai', 'human', 'abandoned')),
	CONSTRAINT "conversation_metrics_satisfaction_check" CHECK ("conversation_metrics"."satisfaction_score" between 1 and 5),
	CONSTRAINT "conversation_metrics_counts_check" CHECK (least("conversation_metrics"."messages_count", "conversation_metrics"."ai_messages_count", "conversation_metrics"."human_messages_count", "conversation_metrics"."contact_messages_count") >= 0),
	CONSTRAINT "conversation_metrics_durations_check" CHECK (least("conversation_metrics"."first_response_seconds", "conversation_metrics"."response_time_avg_seconds", "conversation_metrics"."resolution_seconds", "conversation_metrics"."duration_seconds") >= 0)
);
--> statement-breakpoint
CREATE TABLE "daily_metrics" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"date" date NOT NULL,
	"conversations_total" integer DEFAULT 0 NOT NULL,
	"conversations_resolved" integer DEFAULT 0 NOT NULL,
	"conversations_escalated" integer DEFAULT 0 NOT NULL,
	"messages_total" integer DEFAULT 0 NOT NULL,
	"avg_response_seconds" integer,
	"avg_satisfaction" numeric(3, 2),
	"tokens_total" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_metrics_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "daily_metrics_counts_check" CHECK (least("daily_metrics"."conversations_total", "daily_metrics"."conversations_resolved", "daily_metrics"."conversations_escalated", "daily_metrics"."messages_total") >= 0),
	CONSTRAINT "daily_metrics_avg_response_check" CHECK ("daily_metrics"."avg_response_seconds" >= 0),
	CONSTRAINT "daily_metrics_avg_satisfaction_check" CHECK ("daily_metrics"."avg_satisfaction" between 1 and 5),
	CONSTRAINT "daily_metrics_tokens_check" CHECK ("daily_metrics"."tokens_total" >= 0),
	CONSTRAINT "daily_metrics_cost_check" CHECK ("daily_metrics"."cost_micros" >= 0)
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"external_account_id" text,
	"widget_key" text,
	"agent_id" uuid,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"last_error" text,
	"last_inbound_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "channels_kind_check" CHECK ("channels"."kind" in ('widget', 'email', 'sms', 'whatsapp', 'telegram', 'slack', 'teams', 'api')),
	CONSTRAINT "channels_status_check" CHECK ("channels"."status" in ('active', 'disabled', 'error'))
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "integrations_type_check" CHECK ("integrations"."type" in ('slack', 'teams', 'zapier', 'salesforce', 'hubspot', 'google_calendar', 'outlook_calendar', 'zendesk', 'intercom', 'custom')),
	CONSTRAINT "integrations_status_check" CHECK ("integrations"."status" in ('active', 'inactive', 'error'))
);
--> statement-breakpoint
CREATE TABLE "widget_settings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"agent_id" uuid,
	"appearance" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"behavior" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"launcher" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"chat_window" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "widget_settings_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "widget_settings_tenant_agent_key" UNIQUE NULLS NOT DISTINCT("tenant_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"assessment_type" text DEFAULT 'industry4' NOT NULL,
	"results_disclosure" text DEFAULT 'full' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"created_by" uuid,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "campaigns_results_disclosure_check" CHECK ("campaigns"."results_disclosure" in ('full', 'summary', 'none')),
	CONSTRAINT "campaigns_status_check" CHECK ("campaigns"."status" in ('draft', 'active', 'closed', 'archived')),
	CONSTRAINT "campaigns_dates_check" CHECK ("campaigns"."ends_at" >= "campaigns"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid,
	"name" text,
	"email" text NOT NULL,
	"client_status" text DEFAULT 'registered' NOT NULL,
	"assessment_results" jsonb,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participants_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "participants_client_status_check" CHECK ("participants"."client_status" in ('registered', 'started', 'completed', 'contacted', 'converted', 'archived')),
	CONSTRAINT "participants_dates_check" CHECK ("participants"."completed_at" >= "participants"."started_at")
);
--> statement-breakpoint
CREATE TABLE "canned_responses" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"content" text NOT NULL,
	"category" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_team" boolean DEFAULT true NOT NULL,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "canned_responses_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "canned_responses_usage_count_check" CHECK ("canned_responses"."usage_count" >= 0),
	CONSTRAINT "canned_responses_shortcut_check" CHECK ("canned_responses"."shortcut" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "canned_responses_owner_check" CHECK ("canned_responses"."is_team" or "canned_responses"."user_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "message_templates" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"channel" text NOT NULL,
	"trigger" text NOT NULL,
	"name" text,
	"subject" text,
	"body" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_templates_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "message_templates_channel_check" CHECK ("message_templates"."channel" in ('widget', 'email', 'sms', 'whatsapp', 'telegram', 'slack', 'teams', 'api')),
	CONSTRAINT "message_templates_trigger_check" CHECK ("message_templates"."trigger" in ('T_MINUS_3', 'T_MINUS_1', 'DAY_OF', 'BOOKING_CONFIRMED', 'CHECK_OUT', 'POST_STAY', 'WELCOME', 'FOLLOW_UP', 'MANUAL')),
	CONSTRAINT "message_templates_version_check" CHECK ("message_templates"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "comms_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"channel_id" uuid,
	"channel_kind" text NOT NULL,
	"message_id" uuid,
	"direction" text NOT NULL,
	"from_addr" text NOT NULL,
	"to_addr" text NOT NULL,
	"subject" text,
	"body_preview" text,
	"status" text NOT NULL,
	"provider_message_id" text,
	"provider_status" text,
	"error_code" text,
	"error_message" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comms_events_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comms_events_channel_kind_check" CHECK ("comms_events"."channel_kind" in ('widget', 'email', 'sms', 'whatsapp', 'telegram', 'slack', 'teams', 'api')),
	CONSTRAINT "comms_events_direction_check" CHECK ("comms_events"."direction" in ('inbound', 'outbound')),
	CONSTRAINT "comms_events_status_check" CHECK ("comms_events"."status" in ('queued', 'sent', 'delivered', 'received', 'read', 'failed', 'undelivered')),
	CONSTRAINT "comms_events_attempt_check" CHECK ("comms_events"."attempt" >= 1),
	CONSTRAINT "comms_events_body_preview_check" CHECK (char_length("comms_events"."body_preview") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"agent_id" uuid,
	"contact_id" uuid,
	"account_id" uuid,
	"channel_id" uuid,
	"assigned_user_id" uuid,
	"started_by_user_id" uuid,
	"external_thread_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text,
	"last_message_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "conversations_status_check" CHECK ("conversations"."status" in ('active', 'waiting', 'resolved', 'closed', 'archived')),
	CONSTRAINT "conversations_priority_check" CHECK ("conversations"."priority" between 0 and 4)
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"channel_id" uuid,
	"role" text NOT NULL,
	"type" text DEFAULT 'text' NOT NULL,
	"content" text NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_internal" boolean DEFAULT false NOT NULL,
	"author_contact_id" uuid,
	"author_user_id" uuid,
	"external_message_id" text,
	"delivery_status" text,
	"citations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"prompt_version_id" uuid,
	"model" text,
	"confidence" numeric(4, 3),
	"tokens_in" integer,
	"tokens_out" integer,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"tool_calls" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "messages_role_check" CHECK ("messages"."role" in ('user', 'assistant', 'agent', 'system')),
	CONSTRAINT "messages_type_check" CHECK ("messages"."type" in ('text', 'image', 'file', 'system_event')),
	CONSTRAINT "messages_delivery_status_check" CHECK ("messages"."delivery_status" in ('queued', 'sent', 'delivered', 'read', 'failed')),
	CONSTRAINT "messages_confidence_check" CHECK ("messages"."confidence" between 0 and 1),
	CONSTRAINT "messages_tokens_in_check" CHECK ("messages"."tokens_in" >= 0),
	CONSTRAINT "messages_tokens_out_check" CHECK ("messages"."tokens_out" >= 0)
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"agent_id" uuid,
	"requested_by_user_id" uuid,
	"action" text NOT NULL,
	"details" text,
	"draft_content" text,
	"edited_content" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"comment" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approvals_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "approvals_status_check" CHECK ("approvals"."status" in ('pending', 'approved', 'rejected', 'expired', 'edited')),
	CONSTRAINT "approvals_resolved_check" CHECK (("approvals"."status" = 'pending') = ("approvals"."resolved_at" is null)),
	CONSTRAINT "approvals_edited_check" CHECK ("approvals"."status" <> 'edited' or "approvals"."edited_content" is not null)
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"severity" text NOT NULL,
	"summary" text NOT NULL,
	"suggested_action" text,
	"sentiment" jsonb,
	"status" text DEFAULT 'open' NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"account_id" uuid,
	"channel_id" uuid,
	"external_channel_id" text,
	"external_message_ts" text,
	"acknowledged_by_user_id" uuid,
	"acknowledged_by_external" text,
	"acknowledged_at" timestamp with time zone,
	"resolved_by_user_id" uuid,
	"resolved_by_external" text,
	"resolved_at" timestamp with time zone,
	"resolution_notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "escalations_type_check" CHECK ("escalations"."type" in ('tension', 'sla_breach', 'churn_risk', 'emergency', 'refund', 'complaint', 'booking_change', 'other')),
	CONSTRAINT "escalations_severity_check" CHECK ("escalations"."severity" in ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "escalations_status_check" CHECK ("escalations"."status" in ('open', 'acknowledged', 'resolved', 'false_positive')),
	CONSTRAINT "escalations_acknowledged_check" CHECK (("escalations"."status" = 'open') = ("escalations"."acknowledged_at" is null)),
	CONSTRAINT "escalations_resolved_check" CHECK (("escalations"."status" in ('resolved', 'false_positive')) = ("escalations"."resolved_at" is not null)),
	CONSTRAINT "escalations_resolved_order_check" CHECK ("escalations"."resolved_at" is null or "escalations"."resolved_at" >= "escalations"."acknowledged_at")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"domain" text,
	"industry" text,
	"arr_cents" bigint,
	"lifetime_value_cents" bigint,
	"stage" text DEFAULT 'prospect' NOT NULL,
	"relationship_status" text DEFAULT 'active' NOT NULL,
	"health_score" integer,
	"account_manager_user_id" uuid,
	"account_manager_external" text,
	"services_provided" text[] DEFAULT '{}'::text[] NOT NULL,
	"contract_details" text,
	"start_date" date,
	"renewal_date" date,
	"salesforce_id" text,
	"hubspot_id" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "accounts_arr_check" CHECK ("accounts"."arr_cents" >= 0),
	CONSTRAINT "accounts_lifetime_value_check" CHECK ("accounts"."lifetime_value_cents" >= 0),
	CONSTRAINT "accounts_stage_check" CHECK ("accounts"."stage" in ('prospect', 'onboarding', 'active', 'renewal', 'churned')),
	CONSTRAINT "accounts_relationship_status_check" CHECK ("accounts"."relationship_status" in ('active', 'at_risk', 'churned')),
	CONSTRAINT "accounts_health_score_check" CHECK ("accounts"."health_score" between 0 and 100),
	CONSTRAINT "accounts_contract_details_check" CHECK (char_length("accounts"."contract_details") <= 2000),
	CONSTRAINT "accounts_dates_check" CHECK ("accounts"."renewal_date" is null or "accounts"."start_date" is null or "accounts"."renewal_date" >= "accounts"."start_date")
);
--> statement-breakpoint
CREATE TABLE "contact_identities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"external_user_id" text NOT NULL,
	"external_user_name" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_identities_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid,
	"name" text,
	"email" text,
	"phone" text,
	"role" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"sentiment" text,
	"linkedin_url" text,
	"avatar_url" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"external_id" text,
	"notes" text,
	"first_seen_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "contacts_sentiment_check" CHECK ("contacts"."sentiment" in ('positive', 'neutral', 'negative', 'mixed'))
);
--> statement-breakpoint
CREATE TABLE "properties" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"timezone" text,
	"external_id" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "properties_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "property_settings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"auto_reply_enabled" boolean DEFAULT true NOT NULL,
	"sms_enabled" boolean DEFAULT true NOT NULL,
	"email_enabled" boolean DEFAULT true NOT NULL,
	"schedule_t3_time" time DEFAULT '10:00' NOT NULL,
	"schedule_t1_time" time DEFAULT '10:00' NOT NULL,
	"schedule_day_of_time" time DEFAULT '14:00' NOT NULL,
	"checkin_time" time DEFAULT '15:00' NOT NULL,
	"checkout_time" time DEFAULT '10:00' NOT NULL,
	"early_checkin_policy" text,
	"late_checkout_policy" text,
	"parking_info" text,
	"pet_policy" text,
	"smoking_policy" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "property_settings_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"contact_id" uuid,
	"guest_name" text NOT NULL,
	"guest_email" text,
	"guest_phone" text,
	"preferred_channel" text,
	"check_in" date NOT NULL,
	"check_out" date NOT NULL,
	"status" text DEFAULT 'confirmed' NOT NULL,
	"external_booking_id" text,
	"number_of_guests" integer,
	"notes" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reservations_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "reservations_status_check" CHECK ("reservations"."status" in ('inquiry', 'confirmed', 'checked_in', 'checked_out', 'cancelled')),
	CONSTRAINT "reservations_preferred_channel_check" CHECK ("reservations"."preferred_channel" in ('widget', 'email', 'sms', 'whatsapp', 'telegram', 'slack', 'teams', 'api')),
	CONSTRAINT "reservations_dates_check" CHECK ("reservations"."check_out" > "reservations"."check_in"),
	CONSTRAINT "reservations_guests_check" CHECK ("reservations"."number_of_guests" > 0)
);
--> statement-breakpoint
CREATE TABLE "faq_categories" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text,
	"display_order" integer DEFAULT 0 NOT NULL,
	"example_questions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_categories_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "faq_categories_slug_format_check" CHECK ("faq_categories"."slug" ~ '^[a-z0-9][a-z0-9_-]*$')
);
--> statement-breakpoint
CREATE TABLE "faq_items" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"display_order" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_items_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_chunks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"content" text NOT NULL,
	"embedding" vector,
	"embedding_model" text,
	"embedding_dim" integer,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "knowledge_chunks"."content")) STORED NOT NULL,
	"position" integer NOT NULL,
	"heading_path" text[] DEFAULT '{}'::text[] NOT NULL,
	"start_offset" integer,
	"end_offset" integer,
	"token_count" integer,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_chunks_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "knowledge_chunks_position_check" CHECK ("knowledge_chunks"."position" >= 0),
	CONSTRAINT "knowledge_chunks_start_offset_check" CHECK ("knowledge_chunks"."start_offset" >= 0),
	CONSTRAINT "knowledge_chunks_token_count_check" CHECK ("knowledge_chunks"."token_count" >= 0),
	CONSTRAINT "knowledge_chunks_offsets_check" CHECK ("knowledge_chunks"."end_offset" >= "knowledge_chunks"."start_offset"),
	CONSTRAINT "knowledge_chunks_embedding_meta_check" CHECK (("knowledge_chunks"."embedding" is null) = ("knowledge_chunks"."embedding_model" is null) and ("knowledge_chunks"."embedding" is null) = ("knowledge_chunks"."embedding_dim" is null)),
	CONSTRAINT "knowledge_chunks_embedding_dim_check" CHECK ("knowledge_chunks"."embedding_dim" > 0 and vector_dims("knowledge_chunks"."embedding") = "knowledge_chunks"."embedding_dim")
);
--> statement-breakpoint
CREATE TABLE "knowledge_sources" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"title" text NOT NULL,
	"content" text,
	"content_hash" text,
	"url" text,
	"file_name" text,
	"file_path" text,
	"file_type" text,
	"file_size" bigint,
	"agent_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"category" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"view_count" integer DEFAULT 0 NOT NULL,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"last_reviewed_at" timestamp with time zone,
	"progress" integer DEFAULT 0 NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"processed_at" timestamp with time zone,
	"created_by" uuid,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "knowledge_sources_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "knowledge_sources_kind_check" CHECK ("knowledge_sources"."kind" in ('file', 'url', 'text', 'article', 'faq')),
	CONSTRAINT "knowledge_sources_status_check" CHECK ("knowledge_sources"."status" in ('queued', 'processing', 'ready', 'failed')),
	CONSTRAINT "knowledge_sources_progress_check" CHECK ("knowledge_sources"."progress" between 0 and 100),
	CONSTRAINT "knowledge_sources_chunk_count_check" CHECK ("knowledge_sources"."chunk_count" >= 0),
	CONSTRAINT "knowledge_sources_file_size_check" CHECK ("knowledge_sources"."file_size" >= 0),
	CONSTRAINT "knowledge_sources_view_count_check" CHECK ("knowledge_sources"."view_count" >= 0),
	CONSTRAINT "knowledge_sources_helpful_count_check" CHECK ("knowledge_sources"."helpful_count" >= 0),
	CONSTRAINT "knowledge_sources_error_check" CHECK ("knowledge_sources"."status" = 'failed' or "knowledge_sources"."error" is null)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" uuid,
	"account_id" uuid,
	"old_values" jsonb,
	"new_values" jsonb,
	"ip" text,
	"user_agent" text,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "audit_log_actor_type_check" CHECK ("audit_log"."actor_type" in ('user', 'api_key', 'system')),
	CONSTRAINT "audit_log_actor_check" CHECK ("audit_log"."actor_type" = 'system' or "audit_log"."actor_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text DEFAULT 'in_flight' NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"locked_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "idempotency_keys_status_check" CHECK ("idempotency_keys"."status" in ('in_flight', 'completed')),
	CONSTRAINT "idempotency_keys_key_check" CHECK (char_length("idempotency_keys"."key") between 1 and 255),
	CONSTRAINT "idempotency_keys_completed_check" CHECK ("idempotency_keys"."status" <> 'completed' or "idempotency_keys"."response_status" is not null)
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid,
	"event_type" text NOT NULL,
	"event_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"model" text,
	"tokens_input" integer DEFAULT 0 NOT NULL,
	"tokens_output" integer DEFAULT 0 NOT NULL,
	"tokens_total" integer DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"conversation_id" uuid,
	"agent_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_events_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "usage_events_event_type_check" CHECK ("usage_events"."event_type" ~ '^[a-z][a-z0-9_]*([.][a-z0-9_]+)*$'),
	CONSTRAINT "usage_events_tokens_input_check" CHECK ("usage_events"."tokens_input" >= 0),
	CONSTRAINT "usage_events_tokens_output_check" CHECK ("usage_events"."tokens_output" >= 0),
	CONSTRAINT "usage_events_tokens_total_check" CHECK ("usage_events"."tokens_total" >= 0),
	CONSTRAINT "usage_events_cost_check" CHECK ("usage_events"."cost_micros" >= 0)
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"routed_tenant_id" uuid,
	"status" text DEFAULT 'received' NOT NULL,
	"error" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_events_status_check" CHECK ("inbound_events"."status" in ('received', 'processed', 'ignored', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"event_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"response_status" integer,
	"response_body" text,
	"error" text,
	"duration_ms" integer,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("webhook_deliveries"."status" in ('pending', 'in_flight', 'succeeded', 'failed', 'abandoned')),
	CONSTRAINT "webhook_deliveries_attempt_check" CHECK ("webhook_deliveries"."attempt" >= 0),
	CONSTRAINT "webhook_deliveries_duration_check" CHECK ("webhook_deliveries"."duration_ms" >= 0),
	CONSTRAINT "webhook_deliveries_response_status_check" CHECK ("webhook_deliveries"."response_status" between 100 and 599),
	CONSTRAINT "webhook_deliveries_response_body_check" CHECK (char_length("webhook_deliveries"."response_body") <= 4096),
	CONSTRAINT "webhook_deliveries_delivered_check" CHECK (("webhook_deliveries"."status" = 'succeeded') = ("webhook_deliveries"."delivered_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"events" text[] DEFAULT '{}'::text[] NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"secret_rotated_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"disabled_reason" text,
	"failure_count" integer DEFAULT 0 NOT NULL,
	"last_triggered_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "webhook_endpoints_status_check" CHECK ("webhook_endpoints"."status" in ('active', 'disabled')),
	CONSTRAINT "webhook_endpoints_failure_count_check" CHECK ("webhook_endpoints"."failure_count" >= 0),
	CONSTRAINT "webhook_endpoints_url_check" CHECK ("webhook_endpoints"."url" ~ '^https?://'),
	CONSTRAINT "webhook_endpoints_disabled_check" CHECK ("webhook_endpoints"."status" = 'disabled' or "webhook_endpoints"."disabled_reason" is null)
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid,
	"file_url" text,
	"file_name" text,
	"raw_text" text,
	"company_name" text,
	"arr_cents" bigint,
	"contract_term" text,
	"start_date" date,
	"end_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	"parsed_data" jsonb,
	"pricing_terms" jsonb,
	"technical_requirements" jsonb,
	"missing_info" jsonb,
	"next_steps" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contracts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "contracts_status_check" CHECK ("contracts"."status" in ('draft', 'pending', 'active', 'expired', 'terminated')),
	CONSTRAINT "contracts_arr_check" CHECK ("contracts"."arr_cents" >= 0),
	CONSTRAINT "contracts_dates_check" CHECK ("contracts"."end_date" >= "contracts"."start_date")
);
--> statement-breakpoint
CREATE TABLE "entitlements" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"quantity" integer,
	"unit" text,
	"price_cents" bigint,
	"category" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entitlements_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "entitlements_quantity_check" CHECK ("entitlements"."quantity" >= 0),
	CONSTRAINT "entitlements_price_check" CHECK ("entitlements"."price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "insights" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid,
	"meeting_id" uuid,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"content" text NOT NULL,
	"importance" text DEFAULT 'medium' NOT NULL,
	"owner" text,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insights_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "insights_source_check" CHECK ("insights"."source" in ('meeting', 'email', 'crm', 'agent', 'conversation', 'manual')),
	CONSTRAINT "insights_type_check" CHECK ("insights"."type" in ('decision', 'action_item', 'concern', 'quote', 'sentiment')),
	CONSTRAINT "insights_importance_check" CHECK ("insights"."importance" in ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "insights_status_check" CHECK ("insights"."status" in ('open', 'in_progress', 'done', 'dismissed'))
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid,
	"conversation_id" uuid,
	"title" text NOT NULL,
	"description" text,
	"scheduled_at" timestamp with time zone,
	"duration_minutes" integer,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"meeting_url" text,
	"calendar_event_id" text,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agenda" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "meetings_status_check" CHECK ("meetings"."status" in ('scheduled', 'in_progress', 'completed', 'cancelled', 'no_show')),
	CONSTRAINT "meetings_duration_check" CHECK ("meetings"."duration_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "transcripts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"content" text NOT NULL,
	"duration_seconds" integer,
	"speakers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"word_count" integer,
	"language" text DEFAULT 'en' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transcripts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "transcripts_duration_check" CHECK ("transcripts"."duration_seconds" >= 0),
	CONSTRAINT "transcripts_word_count_check" CHECK ("transcripts"."word_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "training_modules" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"content" text,
	"duration_minutes" integer,
	"level" text DEFAULT 'beginner' NOT NULL,
	"category" text,
	"prerequisites" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_modules_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "training_modules_level_check" CHECK ("training_modules"."level" in ('beginner', 'intermediate', 'advanced')),
	CONSTRAINT "training_modules_duration_check" CHECK ("training_modules"."duration_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "training_progress" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"contact_id" uuid,
	"module_id" uuid NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"score" integer,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_progress_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "training_progress_account_contact_module_key" UNIQUE NULLS NOT DISTINCT("tenant_id","account_id","contact_id","module_id"),
	CONSTRAINT "training_progress_status_check" CHECK ("training_progress"."status" in ('not_started', 'in_progress', 'completed')),
	CONSTRAINT "training_progress_progress_check" CHECK ("training_progress"."progress" between 0 and 100),
	CONSTRAINT "training_progress_score_check" CHECK ("training_progress"."score" >= 0),
	CONSTRAINT "training_progress_completed_check" CHECK ("training_progress"."status" <> 'completed' or "training_progress"."completed_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_template_id_agent_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."agent_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_brand_voice_fk" FOREIGN KEY ("tenant_id","brand_voice_id") REFERENCES "public"."brand_voices"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brand_voices" ADD CONSTRAINT "brand_voices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_versions" ADD CONSTRAINT "prompt_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_versions" ADD CONSTRAINT "prompt_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_versions" ADD CONSTRAINT "prompt_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_versions" ADD CONSTRAINT "prompt_versions_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_metrics" ADD CONSTRAINT "conversation_metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_metrics" ADD CONSTRAINT "conversation_metrics_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_metrics" ADD CONSTRAINT "conversation_metrics_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD CONSTRAINT "daily_metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "widget_settings" ADD CONSTRAINT "widget_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "widget_settings" ADD CONSTRAINT "widget_settings_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_campaign_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaigns"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comms_events" ADD CONSTRAINT "comms_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comms_events" ADD CONSTRAINT "comms_events_channel_fk" FOREIGN KEY ("tenant_id","channel_id") REFERENCES "public"."channels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comms_events" ADD CONSTRAINT "comms_events_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assigned_user_id_users_id_fk" FOREIGN KEY ("assigned_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_started_by_user_id_users_id_fk" FOREIGN KEY ("started_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_channel_fk" FOREIGN KEY ("tenant_id","channel_id") REFERENCES "public"."channels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_fk" FOREIGN KEY ("tenant_id","channel_id") REFERENCES "public"."channels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_contact_fk" FOREIGN KEY ("tenant_id","author_contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_prompt_version_fk" FOREIGN KEY ("tenant_id","prompt_version_id") REFERENCES "public"."prompt_versions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_acknowledged_by_user_id_users_id_fk" FOREIGN KEY ("acknowledged_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_channel_fk" FOREIGN KEY ("tenant_id","channel_id") REFERENCES "public"."channels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_account_manager_user_id_users_id_fk" FOREIGN KEY ("account_manager_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD CONSTRAINT "contact_identities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD CONSTRAINT "contact_identities_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD CONSTRAINT "contact_identities_channel_fk" FOREIGN KEY ("tenant_id","channel_id") REFERENCES "public"."channels"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_settings" ADD CONSTRAINT "property_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_settings" ADD CONSTRAINT "property_settings_property_fk" FOREIGN KEY ("tenant_id","property_id") REFERENCES "public"."properties"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_property_fk" FOREIGN KEY ("tenant_id","property_id") REFERENCES "public"."properties"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_categories" ADD CONSTRAINT "faq_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_items" ADD CONSTRAINT "faq_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_items" ADD CONSTRAINT "faq_items_category_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."faq_categories"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_source_fk" FOREIGN KEY ("tenant_id","source_id") REFERENCES "public"."knowledge_sources"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD CONSTRAINT "knowledge_sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD CONSTRAINT "knowledge_sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_sources" ADD CONSTRAINT "knowledge_sources_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fk" FOREIGN KEY ("tenant_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_contract_fk" FOREIGN KEY ("tenant_id","contract_id") REFERENCES "public"."contracts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights" ADD CONSTRAINT "insights_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights" ADD CONSTRAINT "insights_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights" ADD CONSTRAINT "insights_meeting_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."meetings"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcripts" ADD CONSTRAINT "transcripts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcripts" ADD CONSTRAINT "transcripts_meeting_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."meetings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_modules" ADD CONSTRAINT "training_modules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_progress" ADD CONSTRAINT "training_progress_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_progress" ADD CONSTRAINT "training_progress_account_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_progress" ADD CONSTRAINT "training_progress_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_progress" ADD CONSTRAINT "training_progress_module_fk" FOREIGN KEY ("tenant_id","module_id") REFERENCES "public"."training_modules"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_templates_slug_key" ON "agent_templates" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "agents_tenant_status_idx" ON "agents" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "agents_template_idx" ON "agents" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "agents_created_by_idx" ON "agents" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "agents_tenant_brand_voice_idx" ON "agents" USING btree ("tenant_id","brand_voice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "brand_voices_tenant_name_key" ON "brand_voices" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "brand_voices_one_default_key" ON "brand_voices" USING btree ("tenant_id") WHERE "brand_voices"."is_default";--> statement-breakpoint
CREATE UNIQUE INDEX "prompt_versions_agent_version_key" ON "prompt_versions" USING btree ("tenant_id","agent_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "prompt_versions_one_published_key" ON "prompt_versions" USING btree ("tenant_id","agent_id") WHERE "prompt_versions"."is_published";--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_metrics_conversation_key" ON "conversation_metrics" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "conversation_metrics_tenant_agent_idx" ON "conversation_metrics" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE INDEX "conversation_metrics_tenant_created_idx" ON "conversation_metrics" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "daily_metrics_tenant_date_key" ON "daily_metrics" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_tenant_kind_account_key" ON "channels" USING btree ("tenant_id","kind","external_account_id");--> statement-breakpoint
CREATE INDEX "channels_routing_idx" ON "channels" USING btree ("kind","external_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_tenant_widget_key_key" ON "channels" USING btree ("tenant_id","widget_key");--> statement-breakpoint
CREATE INDEX "channels_widget_key_idx" ON "channels" USING btree ("widget_key") WHERE "channels"."widget_key" is not null;--> statement-breakpoint
CREATE INDEX "channels_tenant_agent_idx" ON "channels" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_tenant_type_name_key" ON "integrations" USING btree ("tenant_id","type","name");--> statement-breakpoint
CREATE INDEX "campaigns_tenant_status_idx" ON "campaigns" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "campaigns_created_by_idx" ON "campaigns" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "participants_campaign_email_key" ON "participants" USING btree ("tenant_id","campaign_id",lower("email"));--> statement-breakpoint
CREATE INDEX "participants_tenant_status_idx" ON "participants" USING btree ("tenant_id","client_status");--> statement-breakpoint
CREATE INDEX "participants_tenant_contact_idx" ON "participants" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "participants_tenant_email_idx" ON "participants" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "canned_responses_tenant_shortcut_key" ON "canned_responses" USING btree ("tenant_id","shortcut");--> statement-breakpoint
CREATE INDEX "canned_responses_tenant_category_idx" ON "canned_responses" USING btree ("tenant_id","category");--> statement-breakpoint
CREATE INDEX "canned_responses_user_idx" ON "canned_responses" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "message_templates_channel_trigger_key" ON "message_templates" USING btree ("tenant_id","channel","trigger");--> statement-breakpoint
CREATE INDEX "comms_events_tenant_created_idx" ON "comms_events" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "comms_events_tenant_message_idx" ON "comms_events" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE INDEX "comms_events_tenant_channel_idx" ON "comms_events" USING btree ("tenant_id","channel_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "comms_events_tenant_provider_msg_idx" ON "comms_events" USING btree ("tenant_id","provider_message_id");--> statement-breakpoint
CREATE INDEX "conversations_tenant_status_idx" ON "conversations" USING btree ("tenant_id","status","last_message_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_tenant_created_idx" ON "conversations" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_tenant_contact_idx" ON "conversations" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "conversations_tenant_account_idx" ON "conversations" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "conversations_tenant_agent_idx" ON "conversations" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE INDEX "conversations_tenant_thread_idx" ON "conversations" USING btree ("tenant_id","channel_id","external_thread_id");--> statement-breakpoint
CREATE INDEX "conversations_assigned_user_idx" ON "conversations" USING btree ("assigned_user_id");--> statement-breakpoint
CREATE INDEX "conversations_started_by_idx" ON "conversations" USING btree ("started_by_user_id");--> statement-breakpoint
CREATE INDEX "messages_tenant_conversation_idx" ON "messages" USING btree ("tenant_id","conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_tenant_author_contact_idx" ON "messages" USING btree ("tenant_id","author_contact_id");--> statement-breakpoint
CREATE INDEX "messages_tenant_prompt_version_idx" ON "messages" USING btree ("tenant_id","prompt_version_id");--> statement-breakpoint
CREATE INDEX "messages_author_user_idx" ON "messages" USING btree ("author_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_channel_external_key" ON "messages" USING btree ("tenant_id","channel_id","external_message_id") WHERE "messages"."external_message_id" is not null;--> statement-breakpoint
CREATE INDEX "approvals_tenant_status_idx" ON "approvals" USING btree ("tenant_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "approvals_tenant_conversation_idx" ON "approvals" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "approvals_tenant_message_idx" ON "approvals" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE INDEX "approvals_tenant_agent_idx" ON "approvals" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE INDEX "approvals_pending_expiry_idx" ON "approvals" USING btree ("expires_at") WHERE "approvals"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "escalations_tenant_status_idx" ON "escalations" USING btree ("tenant_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "escalations_tenant_severity_idx" ON "escalations" USING btree ("tenant_id","severity");--> statement-breakpoint
CREATE INDEX "escalations_tenant_created_idx" ON "escalations" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "escalations_tenant_account_idx" ON "escalations" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "escalations_tenant_conversation_idx" ON "escalations" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "escalations_tenant_message_idx" ON "escalations" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE INDEX "escalations_tenant_channel_idx" ON "escalations" USING btree ("tenant_id","channel_id");--> statement-breakpoint
CREATE INDEX "escalations_tenant_external_msg_idx" ON "escalations" USING btree ("tenant_id","external_channel_id","external_message_ts");--> statement-breakpoint
CREATE INDEX "escalations_ack_user_idx" ON "escalations" USING btree ("acknowledged_by_user_id");--> statement-breakpoint
CREATE INDEX "escalations_resolved_user_idx" ON "escalations" USING btree ("resolved_by_user_id");--> statement-breakpoint
CREATE INDEX "accounts_tenant_name_idx" ON "accounts" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "accounts_tenant_domain_idx" ON "accounts" USING btree ("tenant_id",lower("domain"));--> statement-breakpoint
CREATE INDEX "accounts_tenant_stage_idx" ON "accounts" USING btree ("tenant_id","stage");--> statement-breakpoint
CREATE INDEX "accounts_tenant_relationship_idx" ON "accounts" USING btree ("tenant_id","relationship_status");--> statement-breakpoint
CREATE INDEX "accounts_tenant_renewal_idx" ON "accounts" USING btree ("tenant_id","renewal_date");--> statement-breakpoint
CREATE INDEX "accounts_manager_idx" ON "accounts" USING btree ("account_manager_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_tenant_salesforce_key" ON "accounts" USING btree ("tenant_id","salesforce_id") WHERE "accounts"."salesforce_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_tenant_hubspot_key" ON "accounts" USING btree ("tenant_id","hubspot_id") WHERE "accounts"."hubspot_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_identities_channel_user_key" ON "contact_identities" USING btree ("tenant_id","channel_id","external_user_id");--> statement-breakpoint
CREATE INDEX "contact_identities_tenant_contact_idx" ON "contact_identities" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_account_idx" ON "contacts" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "contacts_tenant_email_idx" ON "contacts" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "contacts_tenant_phone_idx" ON "contacts" USING btree ("tenant_id","phone");--> statement-breakpoint
CREATE INDEX "contacts_tenant_last_seen_idx" ON "contacts" USING btree ("tenant_id","last_seen_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_tenant_external_key" ON "contacts" USING btree ("tenant_id","external_id") WHERE "contacts"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "properties_tenant_name_idx" ON "properties" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "properties_tenant_external_key" ON "properties" USING btree ("tenant_id","external_id") WHERE "properties"."external_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "property_settings_property_key" ON "property_settings" USING btree ("tenant_id","property_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reservations_tenant_external_key" ON "reservations" USING btree ("tenant_id","external_booking_id") WHERE "reservations"."external_booking_id" is not null;--> statement-breakpoint
CREATE INDEX "reservations_tenant_check_in_idx" ON "reservations" USING btree ("tenant_id","check_in");--> statement-breakpoint
CREATE INDEX "reservations_tenant_property_idx" ON "reservations" USING btree ("tenant_id","property_id","check_in");--> statement-breakpoint
CREATE INDEX "reservations_tenant_contact_idx" ON "reservations" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "reservations_tenant_status_idx" ON "reservations" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "faq_categories_tenant_slug_key" ON "faq_categories" USING btree ("tenant_id","slug");--> statement-breakpoint
CREATE INDEX "faq_categories_tenant_order_idx" ON "faq_categories" USING btree ("tenant_id","display_order");--> statement-breakpoint
CREATE INDEX "faq_items_tenant_category_idx" ON "faq_items" USING btree ("tenant_id","category_id","display_order");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_chunks_source_position_key" ON "knowledge_chunks" USING btree ("tenant_id","source_id","position");--> statement-breakpoint
CREATE INDEX "knowledge_chunks_tsv_idx" ON "knowledge_chunks" USING gin ("tsv");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_sources_tenant_hash_key" ON "knowledge_sources" USING btree ("tenant_id","content_hash");--> statement-breakpoint
CREATE INDEX "knowledge_sources_tenant_status_idx" ON "knowledge_sources" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "knowledge_sources_tenant_created_idx" ON "knowledge_sources" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "knowledge_sources_tenant_agent_idx" ON "knowledge_sources" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE INDEX "knowledge_sources_tenant_category_idx" ON "knowledge_sources" USING btree ("tenant_id","category");--> statement-breakpoint
CREATE INDEX "knowledge_sources_tags_idx" ON "knowledge_sources" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "knowledge_sources_created_by_idx" ON "knowledge_sources" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "audit_log_tenant_created_idx" ON "audit_log" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_tenant_resource_idx" ON "audit_log" USING btree ("tenant_id","resource_type","resource_id");--> statement-breakpoint
CREATE INDEX "audit_log_tenant_actor_idx" ON "audit_log" USING btree ("tenant_id","actor_id");--> statement-breakpoint
CREATE INDEX "audit_log_tenant_account_idx" ON "audit_log" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_tenant_key_key" ON "idempotency_keys" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "usage_events_tenant_created_idx" ON "usage_events" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "usage_events_tenant_type_idx" ON "usage_events" USING btree ("tenant_id","event_type","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "usage_events_tenant_conversation_idx" ON "usage_events" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "usage_events_user_idx" ON "usage_events" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_events_provider_event_key" ON "inbound_events" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "inbound_events_routed_tenant_idx" ON "inbound_events" USING btree ("routed_tenant_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_events_received_idx" ON "inbound_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_key" ON "webhook_deliveries" USING btree ("tenant_id","endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant_endpoint_idx" ON "webhook_deliveries" USING btree ("tenant_id","endpoint_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant_status_idx" ON "webhook_deliveries" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" in ('pending', 'failed');--> statement-breakpoint
CREATE INDEX "webhook_endpoints_tenant_status_idx" ON "webhook_endpoints" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_events_idx" ON "webhook_endpoints" USING gin ("events");--> statement-breakpoint
CREATE INDEX "contracts_tenant_account_idx" ON "contracts" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "contracts_tenant_status_idx" ON "contracts" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "contracts_tenant_end_date_idx" ON "contracts" USING btree ("tenant_id","end_date");--> statement-breakpoint
CREATE INDEX "entitlements_tenant_contract_idx" ON "entitlements" USING btree ("tenant_id","contract_id");--> statement-breakpoint
CREATE INDEX "insights_tenant_account_type_idx" ON "insights" USING btree ("tenant_id","account_id","type");--> statement-breakpoint
CREATE INDEX "insights_tenant_meeting_idx" ON "insights" USING btree ("tenant_id","meeting_id");--> statement-breakpoint
CREATE INDEX "insights_tenant_status_idx" ON "insights" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "meetings_tenant_account_idx" ON "meetings" USING btree ("tenant_id","account_id","scheduled_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "meetings_tenant_scheduled_idx" ON "meetings" USING btree ("tenant_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "meetings_tenant_conversation_idx" ON "meetings" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_tenant_calendar_event_key" ON "meetings" USING btree ("tenant_id","calendar_event_id") WHERE "meetings"."calendar_event_id" is not null;--> statement-breakpoint
CREATE INDEX "transcripts_tenant_meeting_idx" ON "transcripts" USING btree ("tenant_id","meeting_id");--> statement-breakpoint
CREATE INDEX "training_modules_tenant_category_idx" ON "training_modules" USING btree ("tenant_id","category");--> statement-breakpoint
CREATE INDEX "training_modules_tenant_active_idx" ON "training_modules" USING btree ("tenant_id","is_active");--> statement-breakpoint
CREATE INDEX "training_progress_tenant_contact_idx" ON "training_progress" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "training_progress_tenant_module_idx" ON "training_progress" USING btree ("tenant_id","module_id");