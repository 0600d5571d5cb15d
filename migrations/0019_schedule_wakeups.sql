CREATE TABLE "schedule_wakeups" (
	"tenant_id" uuid DEFAULT current_tenant_id() NOT NULL,
	"id" uuid NOT NULL,
	"next_at" timestamp with time zone NOT NULL,
	"dirty" boolean DEFAULT true NOT NULL,
	"timezone" text NOT NULL,
	CONSTRAINT "schedule_wakeups_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "schedule_wakeups" ADD CONSTRAINT "schedule_wakeups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_wakeups_tenant_key" ON "schedule_wakeups" USING btree ("tenant_id");--> statement-breakpoint
-- hand-written
-- Issue 15: the schedule tick looks only at tenants whose schedule_wakeups row says so
-- (src/domains/hospitality/schedule-tables.ts). Every change to what decides when a tenant's
-- scheduled messages are due, or what they say, marks the row dirty in the writer's transaction:
-- reservations, properties, property_settings, message_templates; agents' status, quiet hours and
-- assistant name; channels' status, kind and agent. `AND NOT dirty` makes every write after the
-- first a read: a bulk import marks the row once. A tick clears `dirty` in the transaction that
-- reads a tenant's schedule and writes `next_at` only if nothing marked it since (WHERE NOT dirty),
-- so a change committed while a tick runs is looked at by the next tick. A tenant without a row is
-- looked at (the tick then creates it), so no backfill is needed.
CREATE OR REPLACE FUNCTION frontdesk_schedule_changed() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
BEGIN
  -- The platform role writes none of these tables itself; it reaches them only by deleting a
  -- tenant (the cascade), when there is no schedule left to look at, and it may not write here.
  IF NOT has_table_privilege('public.schedule_wakeups', 'UPDATE') THEN
    RETURN NULL;
  END IF;
  UPDATE schedule_wakeups SET dirty = true
   WHERE tenant_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END)
     AND NOT dirty;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER schedule_changed AFTER INSERT OR UPDATE OR DELETE ON reservations
  FOR EACH ROW EXECUTE FUNCTION frontdesk_schedule_changed();
--> statement-breakpoint
CREATE TRIGGER schedule_changed AFTER INSERT OR UPDATE OR DELETE ON properties
  FOR EACH ROW EXECUTE FUNCTION frontdesk_schedule_changed();
--> statement-breakpoint
CREATE TRIGGER schedule_changed AFTER INSERT OR UPDATE OR DELETE ON property_settings
  FOR EACH ROW EXECUTE FUNCTION frontdesk_schedule_changed();
--> statement-breakpoint
CREATE TRIGGER schedule_changed AFTER INSERT OR UPDATE OR DELETE ON message_templates
  FOR EACH ROW EXECUTE FUNCTION frontdesk_schedule_changed();
--> statement-breakpoint
CREATE TRIGGER schedule_changed
  AFTER INSERT OR DELETE OR UPDATE OF status, quiet_hours_start, quiet_hours_end, assistant_name ON agents
  FOR EACH ROW EXECUTE FUNCTION frontdesk_schedule_changed();
--> statement-breakpoint
-- (Not UPDATE OF secrets: the platform role re-seals those and may not write schedule_wakeups.)
CREATE TRIGGER schedule_changed AFTER INSERT OR DELETE OR UPDATE OF status, kind, agent_id ON channels
  FOR EACH ROW EXECUTE FUNCTION frontdesk_schedule_changed();
--> statement-breakpoint
-- The platform role reads schedule_wakeups (the tick's one query); the list is 0016's plus that.
-- frontdesk_secure_tenant_tables() applies it after this migration.
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
    -- the schedule tick finding the tenants with scheduled messages to look at (0019)
    ('schedule_wakeups', 'SELECT'),
    -- `frontdesk secrets rotate`: re-sealing secrets at rest
    ('integrations', 'SELECT, UPDATE (secrets)'),
    ('webhook_endpoints', 'SELECT, UPDATE (secret, previous_secret)')
$$;
