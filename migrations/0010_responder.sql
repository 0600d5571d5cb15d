CREATE TABLE "reply_holds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"agent_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"message_count" integer DEFAULT 1 NOT NULL,
	"outcome" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reply_holds_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "reply_holds_reason_check" CHECK ("reply_holds"."reason" in ('delay', 'quiet_hours')),
	CONSTRAINT "reply_holds_status_check" CHECK ("reply_holds"."status" in ('pending', 'released', 'cancelled')),
	CONSTRAINT "reply_holds_message_count_check" CHECK ("reply_holds"."message_count" >= 1),
	CONSTRAINT "reply_holds_resolved_check" CHECK (("reply_holds"."status" = 'pending') = ("reply_holds"."resolved_at" is null))
);
--> statement-breakpoint
ALTER TABLE "reply_holds" ADD CONSTRAINT "reply_holds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_holds" ADD CONSTRAINT "reply_holds_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_holds" ADD CONSTRAINT "reply_holds_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_holds" ADD CONSTRAINT "reply_holds_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reply_holds_one_pending_key" ON "reply_holds" USING btree ("tenant_id","conversation_id") WHERE "reply_holds"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "reply_holds_tenant_due_idx" ON "reply_holds" USING btree ("tenant_id","due_at") WHERE "reply_holds"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "reply_holds_tenant_message_idx" ON "reply_holds" USING btree ("tenant_id","message_id");--> statement-breakpoint
CREATE INDEX "reply_holds_tenant_agent_idx" ON "reply_holds" USING btree ("tenant_id","agent_id");