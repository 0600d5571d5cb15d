-- hand-written
-- frontdesk_enter_with_key (0021) for a console user's session token: one round trip to find the
-- session and the tenant it acts in, then enter that tenant, inside the request's own
-- transaction (src/api/auth.ts). The platform role finds the session (SHA-256 of the token, not
-- expired, user active) and the user's memberships of active tenants; the tenant is the one the
-- `Frontdesk-Tenant` header names (its id or slug), or the only one. Then the request role enters
-- it the way frontdesk_enter_tenant() does. Every outcome is one row: `entered`, or why not
-- (`invalid`, `no_membership`, `no_tenant`: several and none named, `not_member`: the one named
-- is not the user's), and then the request role with no tenant (it sees and writes nothing).
-- Nothing about a session is cached: a logout or an expiry takes effect at once everywhere.
CREATE OR REPLACE FUNCTION frontdesk_enter_with_session(presented_hash text, hint text, at timestamptz)
RETURNS TABLE (outcome text, session_user_id uuid, session_tenant uuid, member_role text,
  plan_limits jsonb, tenant_settings jsonb, subscription text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  uid uuid;
  memberships_count int;
  chosen record;
  result text;
BEGIN
  EXECUTE 'SET LOCAL ROLE frontdesk_platform';
  SELECT s.user_id INTO uid
    FROM public.user_sessions s
    JOIN public.users u ON u.id = s.user_id
   WHERE s.token_hash = presented_hash AND s.expires_at > at AND u.status = 'active'
   LIMIT 1;
  IF uid IS NULL THEN
    result := 'invalid';
  ELSE
    SELECT count(*) INTO memberships_count
      FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
     WHERE m.user_id = uid AND t.active;
    SELECT m.tenant_id, m.role, p.limits, t.settings, t.subscription_status INTO chosen
      FROM public.memberships m
      JOIN public.tenants t ON t.id = m.tenant_id
      LEFT JOIN public.plans p ON p.id = t.plan_id
     WHERE m.user_id = uid AND t.active
       AND CASE WHEN hint IS NULL THEN memberships_count = 1 ELSE t.id::text = hint OR t.slug = hint END
     LIMIT 1;
    result := CASE
      WHEN memberships_count = 0 THEN 'no_membership'
      WHEN chosen.tenant_id IS NOT NULL THEN 'entered'
      WHEN hint IS NULL THEN 'no_tenant'
      ELSE 'not_member' END;
  END IF;
  EXECUTE 'SET LOCAL ROLE frontdesk_app';
  IF current_setting('citus.propagate_set_commands', true) IS NOT NULL THEN
    EXECUTE 'SET LOCAL citus.propagate_set_commands = local';
  END IF;
  EXECUTE format('SET LOCAL app.tenant_id = %L',
    CASE WHEN result = 'entered' THEN chosen.tenant_id::text ELSE '' END);
  IF result = 'entered' THEN
    RETURN QUERY SELECT result, uid, chosen.tenant_id, chosen.role, chosen.limits, chosen.settings,
      chosen.subscription_status;
  ELSE
    RETURN QUERY SELECT result, uid, NULL::uuid, NULL::text, NULL::jsonb, NULL::jsonb, NULL::text;
  END IF;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION frontdesk_enter_with_session(text, text, timestamptz) FROM PUBLIC;
