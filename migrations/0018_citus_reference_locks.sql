-- Citus only (a no-op elsewhere, called by migrate.ts after frontdesk_distribute_tables()):
-- a write to a reference table that references another one (tenants → plans) makes Citus lock
-- the referenced table's shard on every node, and Citus checks that the writer could modify that
-- table (UPDATE, DELETE or TRUNCATE on it, resource_lock.c). A tenant updating its own settings
-- (PATCH /v1/tenant, knowledge settings) would be refused with "permission denied for table plans".
-- So the request role gets UPDATE on plans, and row level security on plans lets every role read
-- it and only the platform role write it: the privilege passes Citus' check and changes nothing.
-- hand-written
CREATE OR REPLACE FUNCTION frontdesk_citus_reference_locks() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
  ALTER TABLE plans FORCE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS plans_read ON plans;
  CREATE POLICY plans_read ON plans FOR SELECT USING (true);
  DROP POLICY IF EXISTS plans_platform_write ON plans;
  CREATE POLICY plans_platform_write ON plans FOR ALL TO frontdesk_platform USING (true) WITH CHECK (true);
  GRANT UPDATE ON plans TO frontdesk_app;
END $$;
