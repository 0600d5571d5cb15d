CREATE TABLE "quota_counters" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"resource" text NOT NULL,
	"period" text DEFAULT '' NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_counters_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "quota_counters_used_check" CHECK ("quota_counters"."used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "usage_notices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_notices_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "usage_notices_period_check" CHECK ("usage_notices"."period" ~ '^[0-9]{4}-[0-9]{2}$')
);
--> statement-breakpoint
ALTER TABLE "agents" DROP CONSTRAINT "agents_escalation_categories_check";--> statement-breakpoint
ALTER TABLE "escalations" DROP CONSTRAINT "escalations_type_check";--> statement-breakpoint
ALTER TABLE "tenants" DROP CONSTRAINT "tenants_subscription_status_check";--> statement-breakpoint
ALTER TABLE "quota_counters" ADD CONSTRAINT "quota_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_notices" ADD CONSTRAINT "usage_notices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quota_counters_tenant_resource_period_key" ON "quota_counters" USING btree ("tenant_id","resource","period");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_notices_tenant_kind_period_key" ON "usage_notices" USING btree ("tenant_id","kind","period");--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_escalation_categories_check" CHECK ("agents"."escalation_categories" <@ array['tension', 'sla_breach', 'churn_risk', 'emergency', 'refund', 'complaint', 'booking_change', 'usage_limit', 'other']::text[]);--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_type_check" CHECK ("escalations"."type" in ('tension', 'sla_breach', 'churn_risk', 'emergency', 'refund', 'complaint', 'booking_change', 'usage_limit', 'other'));--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_subscription_status_check" CHECK ("tenants"."subscription_status" in ('trialing', 'active', 'past_due', 'canceled', 'paused', 'suspended'));--> statement-breakpoint
-- hand-written
-- Quotas, enforced where the row is created (docs/plans.md). One BEFORE INSERT trigger per
-- limited table calls frontdesk_enforce_quota(<limit name>). It locks the tenant's counter row for
-- that limit (and month) FOR UPDATE, then counts, so two creations at the limit serialise on the
-- lock and exactly one succeeds, whichever path (API, CLI, jobs, seeds) inserts the row.
-- Monthly limits keep their count in the counter row (a deleted conversation stays counted); the
-- others count the live rows (their counter row keeps the count as of the last creation). A plan
-- without the limit means no limit. Over the limit it raises SQLSTATE FDQ01 with a JSON DETAIL
-- {limit, allowed, used, plan, period}, which the HTTP layer turns into /problems/quota-exceeded.
CREATE OR REPLACE FUNCTION frontdesk_quota_period(tz text, at timestamptz) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog
AS $$ SELECT to_char(at AT TIME ZONE coalesce(tz, 'UTC'), 'YYYY-MM') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION frontdesk_enforce_quota() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
DECLARE
  lim constant text := TG_ARGV[0];
  monthly constant boolean := TG_ARGV[0] LIKE 'monthly%';
  cap bigint;
  plan_slug text;
  tz text;
  bucket text := '';
  counted bigint;
BEGIN
  -- (nested: plpgsql does not short-circuit, and only invitations have a status here)
  IF TG_TABLE_NAME = 'invitations' THEN
    IF NEW.status <> 'pending' THEN
      RETURN NEW;
    END IF;
  END IF;
  SELECT (p.limits ->> lim)::bigint, p.slug, t.timezone INTO cap, plan_slug, tz
    FROM tenants t LEFT JOIN plans p ON p.id = t.plan_id
   WHERE t.id = NEW.tenant_id;
  -- Unlimited and not metered by month: nothing to lock or count.
  IF cap IS NULL AND NOT monthly THEN
    RETURN NEW;
  END IF;
  IF monthly THEN
    bucket := frontdesk_quota_period(tz, coalesce(NEW.created_at, now()));
  END IF;
  INSERT INTO quota_counters (tenant_id, id, resource, period)
    VALUES (NEW.tenant_id, gen_random_uuid(), lim, bucket)
    ON CONFLICT (tenant_id, resource, period) DO NOTHING;
  SELECT q.used INTO counted FROM quota_counters q
   WHERE q.tenant_id = NEW.tenant_id AND q.resource = lim AND q.period = bucket
   FOR UPDATE;
  IF NOT monthly THEN
    counted := CASE lim
      WHEN 'agents' THEN (SELECT count(*) FROM agents a WHERE a.tenant_id = NEW.tenant_id)
      WHEN 'knowledgeSources' THEN
        (SELECT count(*) FROM knowledge_sources k WHERE k.tenant_id = NEW.tenant_id)
      WHEN 'seats' THEN
        (SELECT count(*) FROM memberships m WHERE m.tenant_id = NEW.tenant_id)
        + (SELECT count(*) FROM invitations i
            WHERE i.tenant_id = NEW.tenant_id AND i.status = 'pending' AND i.expires_at > now())
    END;
  END IF;
  IF cap IS NOT NULL AND counted >= cap THEN
    RAISE EXCEPTION 'quota exceeded: % (% of %)', lim, counted, cap
      USING ERRCODE = 'FDQ01',
            DETAIL = json_build_object('limit', lim, 'allowed', cap, 'used', counted,
                                       'plan', plan_slug, 'period', nullif(bucket, ''))::text;
  END IF;
  -- Written for every limit, so that a REPEATABLE READ transaction that counted on an old
  -- snapshot fails to serialise instead of slipping past the limit.
  UPDATE quota_counters q SET used = counted + 1
   WHERE q.tenant_id = NEW.tenant_id AND q.resource = lim AND q.period = bucket;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER enforce_quota BEFORE INSERT ON agents
  FOR EACH ROW EXECUTE FUNCTION frontdesk_enforce_quota('agents');
--> statement-breakpoint
CREATE TRIGGER enforce_quota BEFORE INSERT ON knowledge_sources
  FOR EACH ROW EXECUTE FUNCTION frontdesk_enforce_quota('knowledgeSources');
--> statement-breakpoint
CREATE TRIGGER enforce_quota BEFORE INSERT ON memberships
  FOR EACH ROW EXECUTE FUNCTION frontdesk_enforce_quota('seats');
--> statement-breakpoint
CREATE TRIGGER enforce_quota BEFORE INSERT ON invitations
  FOR EACH ROW EXECUTE FUNCTION frontdesk_enforce_quota('seats');
--> statement-breakpoint
CREATE TRIGGER enforce_quota BEFORE INSERT ON conversations
  FOR EACH ROW EXECUTE FUNCTION frontdesk_enforce_quota('monthlyConversations');
--> statement-breakpoint
-- Backfill: the conversations already created count towards their month.
INSERT INTO quota_counters (tenant_id, id, resource, period, used)
SELECT c.tenant_id, gen_random_uuid(), 'monthlyConversations',
       frontdesk_quota_period(t.timezone, c.created_at), count(*)
  FROM conversations c JOIN tenants t ON t.id = c.tenant_id
 GROUP BY c.tenant_id, frontdesk_quota_period(t.timezone, c.created_at)
ON CONFLICT (tenant_id, resource, period) DO NOTHING;
