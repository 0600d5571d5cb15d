CREATE TABLE "inbound_signature_nonces" (
	"provider" text NOT NULL,
	"nonce" text NOT NULL,
	"body_sha256" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_signature_nonces_provider_nonce_pk" PRIMARY KEY("provider","nonce")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_counters" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_limit_counters_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
ALTER TABLE "canned_responses" DROP CONSTRAINT "canned_responses_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_assigned_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "conversations" DROP CONSTRAINT "conversations_started_by_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_author_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "approvals" DROP CONSTRAINT "approvals_requested_by_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "escalations" DROP CONSTRAINT "escalations_acknowledged_by_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "escalations" DROP CONSTRAINT "escalations_resolved_by_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_account_manager_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_user_id_users_id_fk";
--> statement-breakpoint
CREATE INDEX "inbound_signature_nonces_seen_idx" ON "inbound_signature_nonces" USING btree ("seen_at");--> statement-breakpoint
-- hand-written
-- Every *_user_id column of a tenant table names a member of the same tenant: a composite
-- reference to memberships (tenant_id, user_id), like every other reference between tenant rows
-- (test/api/member-references.test.ts checks the catalog). By hand because drizzle cannot say
-- ON DELETE SET NULL (column): when a member leaves a tenant, that tenant's rows forget them (as
-- they did when a user was deleted), and personal canned responses go with them. Links to users
-- who are not members of the row's tenant, accepted before, are cleared first.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('accounts', 'account_manager_user_id'),
    ('conversations', 'assigned_user_id'),
    ('conversations', 'started_by_user_id'),
    ('messages', 'author_user_id'),
    ('approvals', 'requested_by_user_id'),
    ('escalations', 'acknowledged_by_user_id'),
    ('escalations', 'resolved_by_user_id'),
    ('usage_events', 'user_id')
  ) AS v(tbl, col) LOOP
    EXECUTE format(
      'UPDATE public.%1$I t SET %2$I = NULL WHERE %2$I IS NOT NULL AND NOT EXISTS '
      '(SELECT 1 FROM public.memberships m WHERE m.tenant_id = t.tenant_id AND m.user_id = t.%2$I)',
      r.tbl, r.col);
    EXECUTE format(
      'ALTER TABLE public.%1$I ADD CONSTRAINT %3$I FOREIGN KEY (tenant_id, %2$I) '
      'REFERENCES public.memberships (tenant_id, user_id) ON DELETE SET NULL (%2$I)',
      r.tbl, r.col, r.tbl || '_' || r.col || '_member_fk');
  END LOOP;
END $$;
-- A personal reply of a non-member becomes a team reply of its tenant (its rows stay where they are).
UPDATE canned_responses c SET user_id = NULL, is_team = true
WHERE user_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = c.tenant_id AND m.user_id = c.user_id);
ALTER TABLE canned_responses ADD CONSTRAINT canned_responses_user_id_member_fk
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE;
