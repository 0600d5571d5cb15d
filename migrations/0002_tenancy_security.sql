-- Tenancy and identity rules that drizzle-kit cannot express.

-- The tenant row itself: a tenant context sees and may update only its own row; creating and
-- deleting tenants is platform work.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_self ON tenants FOR ALL TO frontdesk_app
  USING (id = (SELECT current_tenant_id()))
  WITH CHECK (id = (SELECT current_tenant_id()));
--> statement-breakpoint
GRANT SELECT, UPDATE ON tenants TO frontdesk_app;
--> statement-breakpoint
CREATE TRIGGER check_timezone BEFORE INSERT OR UPDATE OF timezone ON tenants
  FOR EACH ROW EXECUTE FUNCTION frontdesk_check_timezone();
--> statement-breakpoint

-- Users are global, but a tenant context sees only its own members, and never a password hash.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_members ON users FOR SELECT TO frontdesk_app
  USING (EXISTS (SELECT 1 FROM memberships m
                 WHERE m.user_id = users.id AND m.tenant_id = (SELECT current_tenant_id())));
--> statement-breakpoint
GRANT SELECT (id, email, name, avatar_url, status, last_login_at, created_at, updated_at) ON users TO frontdesk_app;
--> statement-breakpoint

-- Plans are a global catalogue: readable in a tenant context, written by the platform only.
GRANT SELECT ON plans TO frontdesk_app;