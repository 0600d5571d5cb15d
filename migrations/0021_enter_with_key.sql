-- hand-written
-- One round trip to authenticate an API key and enter its tenant, inside the request's own
-- transaction (src/api/auth.ts): the platform role finds the key (prefix and SHA-256, not
-- revoked, not expired, tenant active), then the function
-- switches to the request role and the key's tenant the way frontdesk_enter_tenant() does (SET
-- LOCAL through EXECUTE, the form Citus propagates; that function itself is not callable by the
-- platform role). No valid key: the request role with no tenant (sees nothing) and no row.
-- Revocation takes effect at once in every process: nothing about a key's validity is cached.
-- The key's last use is recorded by the caller after the transaction, on the platform path (at most
-- once a minute): a write as the platform role here would make Citus refuse the request role's
-- writes to the same worker later in the transaction (another connection, another user).
CREATE OR REPLACE FUNCTION frontdesk_enter_with_key(key_prefix text, presented_hash text, at timestamptz)
RETURNS TABLE (key_id uuid, key_tenant uuid, key_role text, key_last_used timestamptz, plan_limits jsonb,
  tenant_settings jsonb, subscription text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  k record;
  valid boolean;
BEGIN
  EXECUTE 'SET LOCAL ROLE frontdesk_platform';
  SELECT ak.id, ak.tenant_id, ak.role, ak.last_used_at, p.limits, t.settings, t.subscription_status
    INTO k
    FROM public.api_keys ak
    JOIN public.tenants t ON t.id = ak.tenant_id
    LEFT JOIN public.plans p ON p.id = t.plan_id
   WHERE ak.prefix = key_prefix AND ak.key_hash = presented_hash AND ak.revoked_at IS NULL
     AND t.active AND (ak.expires_at IS NULL OR ak.expires_at > at)
   LIMIT 1;
  valid := FOUND;
  EXECUTE 'SET LOCAL ROLE frontdesk_app';
  IF current_setting('citus.propagate_set_commands', true) IS NOT NULL THEN
    EXECUTE 'SET LOCAL citus.propagate_set_commands = local';
  END IF;
  -- No valid key: the request role with no tenant (it then sees and writes nothing).
  EXECUTE format('SET LOCAL app.tenant_id = %L', CASE WHEN valid THEN k.tenant_id::text ELSE '' END);
  IF valid THEN
    RETURN QUERY SELECT k.id, k.tenant_id, k.role, k.last_used_at, k.limits, k.settings, k.subscription_status;
  END IF;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION frontdesk_enter_with_key(text, text, timestamptz) FROM PUBLIC;
