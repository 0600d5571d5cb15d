-- Frontdesk foundation: extensions, the request role, the tenant context, and the function
-- that secures every tenant table. Hand-written; the migration runner calls
-- frontdesk_secure_tenant_tables() after every run, so each table that has a tenant_id column
-- gets forced RLS, its policy, its grants and its updated_at trigger without anyone
-- remembering to add them.

CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint

-- The role every request runs as (SET LOCAL ROLE inside the transaction). NOLOGIN, not a
-- superuser, no BYPASSRLS. Roles are cluster-wide, so tolerate a concurrent creator.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_app') THEN
    CREATE ROLE frontdesk_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;
--> statement-breakpoint

-- The role of the explicit platform path (provisioning tenants, resolving a request's tenant,
-- platform analytics). It is not BYPASSRLS either: it passes RLS only through the
-- `platform_access` policies below, so the owner's own connection, with RLS forced, sees
-- nothing unless code takes this path on purpose.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_platform') THEN
    CREATE ROLE frontdesk_platform NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;
--> statement-breakpoint

-- The migration owner must be able to SET ROLE to both (automatic for superusers).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['frontdesk_app', 'frontdesk_platform'] LOOP
    IF NOT pg_has_role(current_user, r, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', r, current_user);
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint

GRANT USAGE ON SCHEMA public TO frontdesk_app, frontdesk_platform;
--> statement-breakpoint

-- The tenant of the current transaction, or NULL outside a tenant context. A missing or empty
-- setting (a pooled connection keeps the placeholder as '' after the transaction) means none.
CREATE OR REPLACE FUNCTION current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog
AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION frontdesk_set_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;
--> statement-breakpoint

-- Append-only tables (the audit log) reject UPDATE and DELETE for everyone, owner included.
-- The one exception is a DELETE cascading from the deletion of the tenant itself (the
-- foreign-key action runs as a trigger, so the depth is above 1): purging a tenant purges its log.
CREATE OR REPLACE FUNCTION frontdesk_reject_change() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  -- (TG_OP = 'TRUNCATE' always raises: see the append_only_truncate statement trigger.)
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint

-- IANA time zone names (Area/Location, or a plain name such as UTC) that the server's own tz
-- database knows. Converting a timestamp is the cheap test: scanning pg_timezone_names reads
-- every zone file (a second per row on PGlite). The pattern rules out POSIX offsets ('UTC+3').
CREATE OR REPLACE FUNCTION frontdesk_check_timezone() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  IF NEW.timezone IS NULL THEN
    RETURN NEW;
  END IF;
  BEGIN
    IF NEW.timezone !~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM now() AT TIME ZONE NEW.timezone;
  EXCEPTION WHEN invalid_parameter_value THEN
    RAISE EXCEPTION 'unknown time zone "%"', NEW.timezone
      USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_timezone_check';
  END;
  RETURN NEW;
END $$;
--> statement-breakpoint

-- Secures the tables in `public`, idempotently. Every table that has a tenant_id column gets:
--   * RLS enabled and FORCED (the owner is subject to it too when it uses the request role path);
--   * one policy for all commands, USING and WITH CHECK on tenant_id = current_tenant_id();
--   * SELECT/INSERT/UPDATE/DELETE for frontdesk_app (only SELECT/INSERT on append-only tables);
-- Every table with RLS enabled gets a `platform_access` policy for frontdesk_platform, every
-- table grants its DML to frontdesk_platform, and every table with an updated_at column gets the
-- trigger that maintains it.
CREATE OR REPLACE FUNCTION frontdesk_secure_tenant_tables() RETURNS integer
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
DECLARE
  r record;
  n integer := 0;
  append_only boolean;
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

  FOR r IN
    SELECT c.oid, c.relname, c.relrowsecurity
    FROM pg_class c
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
  LOOP
    IF r.relrowsecurity AND NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = r.oid AND polname = 'platform_access') THEN
      EXECUTE format(
        'CREATE POLICY platform_access ON public.%I FOR ALL TO frontdesk_platform USING (true) WITH CHECK (true)',
        r.relname);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = r.oid AND tgname = 'append_only') THEN
      EXECUTE format('GRANT SELECT, INSERT ON public.%I TO frontdesk_platform', r.relname);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO frontdesk_platform', r.relname);
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
