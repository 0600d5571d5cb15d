CREATE TABLE "scheduled_messages" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"reservation_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"channel_kind" text,
	"conversation_id" uuid,
	"message_id" uuid,
	"attempts" integer DEFAULT 1 NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheduled_messages_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "scheduled_messages_rule_check" CHECK ("scheduled_messages"."rule" in ('T_MINUS_3', 'T_MINUS_1', 'DAY_OF')),
	CONSTRAINT "scheduled_messages_status_check" CHECK ("scheduled_messages"."status" in ('claimed', 'sent', 'failed', 'skipped')),
	CONSTRAINT "scheduled_messages_channel_kind_check" CHECK ("scheduled_messages"."channel_kind" in ('widget', 'email', 'sms', 'whatsapp', 'telegram', 'slack', 'teams', 'api')),
	CONSTRAINT "scheduled_messages_attempts_check" CHECK ("scheduled_messages"."attempts" >= 1),
	CONSTRAINT "scheduled_messages_sent_check" CHECK (("scheduled_messages"."status" = 'sent') = ("scheduled_messages"."sent_at" is not null and "scheduled_messages"."message_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_reservation_fk" FOREIGN KEY ("tenant_id","reservation_id") REFERENCES "public"."reservations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scheduled_messages_reservation_rule_key" ON "scheduled_messages" USING btree ("tenant_id","reservation_id","rule");--> statement-breakpoint
CREATE INDEX "scheduled_messages_tenant_status_idx" ON "scheduled_messages" USING btree ("tenant_id","status","claimed_at");