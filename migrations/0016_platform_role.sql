ALTER TABLE "reply_holds" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "agents" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "brand_voices" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "prompt_versions" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "conversation_metrics" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "daily_metrics" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "channels" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "integrations" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "widget_settings" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "participants" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "canned_responses" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "message_templates" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "comms_events" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "escalations" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "contact_identities" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "contacts" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "scheduled_messages" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "properties" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "property_settings" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "reservations" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "memberships" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "faq_categories" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "faq_items" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "knowledge_sources" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "knowledge_stats" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "knowledge_terms" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "usage_events" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "quota_counters" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "usage_notices" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "contracts" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "entitlements" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "insights" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "meetings" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "transcripts" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "training_modules" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();--> statement-breakpoint
ALTER TABLE "training_progress" ALTER COLUMN "tenant_id" SET DEFAULT current_tenant_id();-- hand-written
-- The platform role, narrowed (issue 14). Until now every table granted its DML to
-- frontdesk_platform and every RLS table had a `platform_access USING (true)` policy: the
-- platform path could read and write any tenant's conversations, messages, knowledge... Platform
-- work needs far less: tenant lookup and provisioning, key and session resolution, the routing
-- and intake of inbound provider events, webhook dispatch, secret re-sealing and the plan
-- catalog. `frontdesk_platform_privileges()` lists exactly that, table by table (column lists
-- where only some columns are written); every other table grants the platform role nothing and
-- has no platform policy, so a stray `withPlatform` on tenant data fails with "permission
-- denied" instead of reading every tenant. test/isolation/platform-role.test.ts pins the list.
CREATE OR REPLACE FUNCTION frontdesk_platform_privileges()
  RETURNS TABLE (relname text, privileges text)
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog
AS $$
  VALUES
    -- provisioning, lookup by slug/domain/widget, suspension and trials
    ('tenants', 'SELECT, INSERT, UPDATE, DELETE'),
    ('plans', 'SELECT, INSERT, UPDATE'),
    ('agent_templates', 'SELECT, INSERT, UPDATE'),
    -- platform changes to a tenant (plan, status, trial, a member joining) go into its audit log
    ('audit_log', 'INSERT'),
    -- accounts, sessions, logins, invitations (accepted before the user has a tenant)
    ('users', 'SELECT, INSERT, UPDATE'),
    ('memberships', 'SELECT, INSERT'),
    -- (a member joining through an invitation counts against the seats quota: its trigger)
    ('quota_counters', 'SELECT, INSERT, UPDATE'),
    ('user_sessions', 'SELECT, INSERT, DELETE'),
    ('invitations', 'SELECT, UPDATE'),
    -- API key resolution (and its once-a-minute last use)
    ('api_keys', 'SELECT, UPDATE (last_used_at)'),
    -- routing of inbound provider events and the widget key to a tenant, and their intake
    ('channels', 'SELECT, UPDATE (secrets)'),
    ('widget_settings', 'SELECT'),
    ('inbound_events', 'SELECT, INSERT, UPDATE'),
    ('inbound_signature_nonces', 'SELECT, INSERT, DELETE'),
    -- webhook dispatch (finding due deliveries; each is sent in its tenant's context)
    ('webhook_deliveries', 'SELECT'),
    -- `frontdesk secrets rotate`: re-sealing secrets at rest
    ('integrations', 'SELECT, UPDATE (secrets)'),
    ('webhook_endpoints', 'SELECT, UPDATE (secret, previous_secret)')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION frontdesk_secure_tenant_tables() RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
DECLARE
  r record;
  n integer := 0;
  append_only boolean;
  granted text;
BEGIN
  FOR r IN
    SELECT c.oid, c.relname
    FROM pg_class c
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
  LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', r.relname);
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', r.relname);
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = r.oid AND polname = 'tenant_isolation') THEN
      EXECUTE format(
        'CREATE POLICY tenant_isolation ON public.%I FOR ALL TO frontdesk_app '
        'USING (tenant_id = (SELECT current_tenant_id())) '
        'WITH CHECK (tenant_id = (SELECT current_tenant_id()))', r.relname);
    END IF;
    append_only := EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = r.oid AND tgname = 'append_only');
    IF append_only THEN
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM frontdesk_app', r.relname);
      EXECUTE format('GRANT SELECT, INSERT ON public.%I TO frontdesk_app', r.relname);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO frontdesk_app', r.relname);
    END IF;
    n := n + 1;
  END LOOP;

  -- The platform role: exactly frontdesk_platform_privileges(), nothing elsewhere.
  FOR r IN
    SELECT c.oid, c.relname, c.relrowsecurity
    FROM pg_class c
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
  LOOP
    granted := (SELECT p.privileges FROM frontdesk_platform_privileges() p WHERE p.relname = r.relname);
    EXECUTE format('REVOKE ALL ON public.%I FROM frontdesk_platform', r.relname);
    EXECUTE format(
      'REVOKE ALL (%s) ON public.%I FROM frontdesk_platform',
      (SELECT string_agg(quote_ident(a.attname), ', ') FROM pg_attribute a
        WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
      r.relname);
    IF granted IS NULL THEN
      EXECUTE format('DROP POLICY IF EXISTS platform_access ON public.%I', r.relname);
    ELSE
      EXECUTE format('GRANT %s ON public.%I TO frontdesk_platform', granted, r.relname);
      IF r.relrowsecurity AND NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = r.oid AND polname = 'platform_access') THEN
        EXECUTE format(
          'CREATE POLICY platform_access ON public.%I FOR ALL TO frontdesk_platform USING (true) WITH CHECK (true)',
          r.relname);
      END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_attribute a
               WHERE a.attrelid = r.oid AND a.attname = 'updated_at' AND NOT a.attisdropped) THEN
      EXECUTE format(
        'CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.%I '
        'FOR EACH ROW EXECUTE FUNCTION frontdesk_set_updated_at()', r.relname);
    END IF;
  END LOOP;
  RETURN n;
END $$;
--> statement-breakpoint
REVOKE SELECT ON account_health FROM frontdesk_platform;
