-- hand-written
-- One round trip to authenticate an API key and enter its tenant, inside the request's own
-- transaction (src/api/auth.ts): the platform role finds the key (prefix and SHA-256, not
-- revoked, not expired, tenant active), records its use at most once a minute, then the function
-- switches to the request role and the key's tenant the way frontdesk_enter_tenant() does (SET
-- LOCAL through EXECUTE, the form Citus propagates; that function itself is not callable by the
-- platform role). No valid key: the request role with no tenant (sees nothing) and no row.
-- Revocation takes effect at once in every process: nothing about a key's validity is cached.
CREATE OR REPLACE FUNCTION frontdesk_enter_with_key(key_prefix text, presented_hash text, at timestamptz)
RETURNS TABLE (key_id uuid, key_tenant uuid, key_role text, plan_limits jsonb, tenant_settings jsonb, subscription text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  k record;
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
  IF NOT FOUND THEN
    EXECUTE 'SET LOCAL ROLE frontdesk_app';
    EXECUTE 'SET LOCAL app.tenant_id = ''''';
    RETURN;
  END IF;
  IF k.last_used_at IS NULL OR k.last_used_at < at - interval '1 minute' THEN
    -- SKIP LOCKED: a concurrent request recording the same key's use does not wait for this one.
    UPDATE public.api_keys SET last_used_at = at
     WHERE api_keys.tenant_id = k.tenant_id AND api_keys.id IN (
       SELECT l.id FROM public.api_keys l WHERE l.tenant_id = k.tenant_id AND l.id = k.id
          FOR UPDATE SKIP LOCKED);
  END IF;
  EXECUTE 'SET LOCAL ROLE frontdesk_app';
  IF current_setting('citus.propagate_set_commands', true) IS NOT NULL THEN
    EXECUTE 'SET LOCAL citus.propagate_set_commands = local';
  END IF;
  EXECUTE format('SET LOCAL app.tenant_id = %L', k.tenant_id::text);
  RETURN QUERY SELECT k.id, k.tenant_id, k.role, k.limits, k.settings, k.subscription_status;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION frontdesk_enter_with_key(text, text, timestamptz) FROM PUBLIC;
