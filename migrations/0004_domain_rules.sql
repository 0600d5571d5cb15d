-- Domain rules that drizzle-kit cannot express: append-only audit log, time zone checks, the
-- escalation workflow, grants on global tables, and the account health view and score.
-- (RLS, policies, DML grants and updated_at triggers of the tables themselves come from
-- frontdesk_secure_tenant_tables(), which the migration runner calls after every run.)

-- The audit log is append-only for everyone, owner included. The trigger's name is what
-- frontdesk_secure_tenant_tables() looks for to grant the request role SELECT/INSERT only.
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION frontdesk_reject_change();
--> statement-breakpoint

CREATE TRIGGER check_timezone BEFORE INSERT OR UPDATE OF timezone ON properties
  FOR EACH ROW EXECUTE FUNCTION frontdesk_check_timezone();
--> statement-breakpoint

-- Agent templates are a global catalogue: readable in a tenant context, written by the platform.
GRANT SELECT ON agent_templates TO frontdesk_app;
--> statement-breakpoint

-- Escalations move open → acknowledged → resolved | false_positive (open may go straight to a
-- final state). This trigger fills in the timestamps a status implies (the CHECKs on the table
-- require them), refuses to go back to open once acknowledged, and refuses any status change
-- once resolved or marked a false positive.
CREATE OR REPLACE FUNCTION frontdesk_escalation_workflow() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status THEN
    IF OLD.status IN ('resolved', 'false_positive') THEN
      RAISE EXCEPTION 'escalation is % and cannot become %', OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'escalations_status_transition_check';
    END IF;
    IF OLD.status = 'acknowledged' AND NEW.status = 'open' THEN
      RAISE EXCEPTION 'an acknowledged escalation cannot be reopened'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'escalations_status_transition_check';
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

CREATE TRIGGER escalation_workflow BEFORE INSERT OR UPDATE ON escalations
  FOR EACH ROW EXECUTE FUNCTION frontdesk_escalation_workflow();
--> statement-breakpoint

-- One row per account (seed 002's customer_health_view). Each figure is its own correlated
-- subquery on an index, so there is no join fan-out to undo with COUNT(DISTINCT). security_invoker
-- makes the caller's RLS apply to every table read, so a tenant sees only its own accounts.
CREATE VIEW account_health WITH (security_invoker = true) AS
SELECT
  a.tenant_id,
  a.id,
  a.name,
  a.arr_cents,
  a.health_score,
  a.stage,
  a.relationship_status,
  (SELECT count(*) FROM contacts c
    WHERE c.tenant_id = a.tenant_id AND c.account_id = a.id) AS stakeholder_count,
  (SELECT count(*) FROM meetings m
    WHERE m.tenant_id = a.tenant_id AND m.account_id = a.id) AS meeting_count,
  (SELECT count(*) FROM insights i
    WHERE i.tenant_id = a.tenant_id AND i.account_id = a.id AND i.type = 'concern') AS concern_count,
  (SELECT max(m.scheduled_at) FROM meetings m
    WHERE m.tenant_id = a.tenant_id AND m.account_id = a.id) AS last_meeting,
  (SELECT max(msg.created_at)
     FROM conversations cv
     JOIN messages msg ON msg.tenant_id = cv.tenant_id AND msg.conversation_id = cv.id
    WHERE cv.tenant_id = a.tenant_id AND cv.account_id = a.id) AS last_interaction
FROM accounts a;
--> statement-breakpoint

GRANT SELECT ON account_health TO frontdesk_app, frontdesk_platform;
--> statement-breakpoint

-- Seed 002's update_health_score: engagement = min(100, 10 × messages in the account's
-- conversations in the last 30 days), adoption = average training progress (0 without any),
-- score = (engagement + adoption) / 2. Stores the score on the account and returns it.
-- Runs with the caller's rights and RLS, and only inside a tenant context.
CREATE OR REPLACE FUNCTION account_health_score(account_id uuid) RETURNS integer
  LANGUAGE plpgsql
  VOLATILE
  SECURITY INVOKER
  SET search_path = pg_catalog, public
AS $$
DECLARE
  tenant uuid := current_tenant_id();
  engagement integer;
  adoption integer;
  score integer;
BEGIN
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'account_health_score() must run in a tenant context'
      USING ERRCODE = 'insufficient_privilege';
  END IF;

  SELECT least(100, count(*) * 10) INTO engagement
    FROM conversations cv
    JOIN messages msg ON msg.tenant_id = cv.tenant_id AND msg.conversation_id = cv.id
   WHERE cv.tenant_id = tenant
     AND cv.account_id = account_health_score.account_id
     AND msg.created_at > now() - interval '30 days';

  SELECT coalesce(round(avg(tp.progress)), 0) INTO adoption
    FROM training_progress tp
   WHERE tp.tenant_id = tenant AND tp.account_id = account_health_score.account_id;

  score := (engagement + adoption) / 2;

  UPDATE accounts a SET health_score = score
   WHERE a.tenant_id = tenant AND a.id = account_health_score.account_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'account % not found', account_health_score.account_id
      USING ERRCODE = 'no_data_found';
  END IF;

  RETURN score;
END $$;
--> statement-breakpoint

REVOKE EXECUTE ON FUNCTION account_health_score(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION account_health_score(uuid) TO frontdesk_app;
