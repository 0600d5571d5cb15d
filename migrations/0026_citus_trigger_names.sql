-- hand-written
-- Four trigger functions that misbehaved on Citus, restated whole (CREATE OR REPLACE needs the
-- body); on PostgreSQL and PGlite they behave as before.
-- * Citus relays a worker's error without its constraint field, so a check that a trigger raises
--   (USING CONSTRAINT) reached the application nameless there: a forbidden escalation transition
--   answered 422 instead of 409. The checks now also name their constraint in DETAIL, which
--   Citus relays, the way PostgreSQL's own check messages name theirs (read by
--   src/platform/db/error-names.ts).
-- * On a worker a trigger runs on the shard, whose TG_TABLE_NAME carries the shard id
--   ("audit_log_102047 is append-only", "properties_102345_timezone_check"): the id is cut off
--   (Citus's shard ids have five digits and more), so the names are the table's own again.
-- * Deleting a tenant as the platform role failed on Citus (42501): the sharded vocabulary
--   trigger (0017) lacked the guard 0020 gave the plain one, so it tried to update
--   knowledge_terms, on which the platform role has no right. The cascade removes those rows.
CREATE OR REPLACE FUNCTION frontdesk_reject_change() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  -- (TG_OP = 'TRUNCATE' always raises: see the append_only_truncate statement trigger.)
  RAISE EXCEPTION '% is append-only', regexp_replace(TG_TABLE_NAME, '_[0-9]{5,}$', '')
    USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint

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
      USING ERRCODE = 'check_violation',
            CONSTRAINT = regexp_replace(TG_TABLE_NAME, '_[0-9]{5,}$', '') || '_timezone_check',
            DETAIL = format('violates check constraint "%s_timezone_check"',
                            regexp_replace(TG_TABLE_NAME, '_[0-9]{5,}$', ''));
  END;
  RETURN NEW;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION frontdesk_escalation_workflow() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status THEN
    IF OLD.status IN ('resolved', 'false_positive') THEN
      RAISE EXCEPTION 'escalation is % and cannot become %', OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'escalations_status_transition_check',
              DETAIL = 'violates check constraint "escalations_status_transition_check"';
    END IF;
    IF OLD.status = 'acknowledged' AND NEW.status = 'open' THEN
      RAISE EXCEPTION 'an acknowledged escalation cannot be reopened'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'escalations_status_transition_check',
              DETAIL = 'violates check constraint "escalations_status_transition_check"';
    END IF;
  END IF;
  IF NEW.status IN ('resolved', 'false_positive') AND NEW.resolved_at IS NULL THEN
    NEW.resolved_at := now();
  END IF;
  IF NEW.status <> 'open' AND NEW.acknowledged_at IS NULL THEN
    NEW.acknowledged_at := coalesce(NEW.resolved_at, now());
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION frontdesk_knowledge_terms_remove_citus() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
DECLARE
  t uuid;
  terms text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) OR NOT has_table_privilege('public.knowledge_terms', 'UPDATE') THEN
    RETURN NULL;
  END IF;
  FOR t IN SELECT DISTINCT tenant_id FROM old_rows LOOP
    terms := shard_name('knowledge_terms'::regclass, get_shard_id_for_distribution_column('knowledge_terms', t));
    EXECUTE format(
      'UPDATE %s t SET df = greatest(t.df - gone.n, 0)
         FROM (SELECT u.lexeme AS term, count(*)::int AS n FROM old_rows o, unnest(o.tsv) u
               WHERE o.tenant_id = $1 GROUP BY 1) gone
        WHERE t.tenant_id = $1 AND t.term = gone.term', terms) USING t;
    EXECUTE format(
      'DELETE FROM %s t WHERE t.tenant_id = $1 AND t.df = 0
         AND t.term IN (SELECT u.lexeme FROM old_rows o, unnest(o.tsv) u WHERE o.tenant_id = $1)', terms) USING t;
    EXECUTE format(
      'UPDATE %s s SET chunks = greatest(s.chunks - o.n, 0), tokens = greatest(s.tokens - o.tokens, 0)
         FROM (SELECT count(*)::int AS n, coalesce(sum(token_count), 0) AS tokens FROM old_rows WHERE tenant_id = $1) o
        WHERE s.tenant_id = $1',
      shard_name('knowledge_stats'::regclass, get_shard_id_for_distribution_column('knowledge_stats', t))) USING t;
  END LOOP;
  RETURN NULL;
END $$;
