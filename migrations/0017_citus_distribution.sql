-- Citus as a supported engine (docs/scale-out.md).
--
-- 1. The tenant context, set the one way that reaches Citus workers and works on PGlite and
--    PostgreSQL too: `SET LOCAL`, from a plpgsql function (EXECUTE … %L gives it a value without
--    string-building in the client, and Citus replays the EXECUTEd statement alone on the workers
--    instead of the whole client string). `withTenant`/`withPlatform` call these two functions.
--    Where Citus is loaded, the function first turns on `citus.propagate_set_commands = 'local'`
--    for this transaction only, so the SET LOCALs that follow reach every worker the transaction
--    touches; pg-boss and migrations on the same login role are not affected (a role-wide or
--    server-wide setting breaks pg-boss's install script).
-- 2. frontdesk_distribute_tables(), called by the migration runner after every run: a no-op
--    without the citus extension. With it, every table not yet known to Citus becomes:
--      - a distributed table, by tenant_id, all co-located: every table with a tenant_id column;
--      - a reference table (a copy on every node): `tenants` and every other global table with a
--        foreign key to or from the tables above (plans, users, user_sessions, agent_templates);
--      - a plain local table on the coordinator: the other global tables (the migration ledger,
--        inbound_events, inbound_signature_nonces, rate_limit_counters), and pg-boss's schema.
--    Citus refuses three things the single-server schema has, so on Citus (only) they change:
--      - policies with a subquery: `tenant_id = (SELECT current_tenant_id())` (the InitPlan form
--        that is faster on one server) becomes `tenant_id = current_tenant_id()`, and users'
--        membership policy calls a function instead of an EXISTS subquery;
--      - ON DELETE SET NULL (col) on a key that includes tenant_id: the foreign key stays (NO
--        ACTION) and a BEFORE DELETE trigger on the referenced table sets the column to NULL;
--      - foreign keys that make a table depend on one not distributed yet: all foreign keys
--        between the tables being converted are dropped first and added back at the end.
--    The request roles get LOGIN (Citus connects to the workers as the current role, and keeps
--    a role's attributes equal on all nodes); they have no password.
--    Triggers on distributed tables need `citus.enable_unsafe_triggers = on` (set here for the
--    conversion; scripts/citus-cluster.sh sets it and citus.allow_nested_distributed_execution in
--    the cluster's configuration: the knowledge-terms and quota triggers write co-located rows of
--    the same tenant, so their nested statements run on the same shard group).
-- hand-written
CREATE OR REPLACE FUNCTION frontdesk_enter_tenant(tenant uuid) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- The role first, not propagated: Citus connects to the workers as the current role anyway, and
  -- a replayed SET ROLE would fail in a SECURITY DEFINER function's connections (another role).
  EXECUTE 'SET LOCAL ROLE frontdesk_app';
  IF current_setting('citus.propagate_set_commands', true) IS NOT NULL THEN
    EXECUTE 'SET LOCAL citus.propagate_set_commands = local';
  END IF;
  -- NULL: the request role with no tenant (it then sees and writes nothing).
  EXECUTE format('SET LOCAL app.tenant_id = %L', coalesce(tenant::text, ''));
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION frontdesk_enter_platform() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  EXECUTE 'SET LOCAL ROLE frontdesk_platform';
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION frontdesk_enter_tenant(uuid) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION frontdesk_enter_platform() FROM PUBLIC;
--> statement-breakpoint
-- users' membership policy without a subquery (used on Citus only; plpgsql so that it is not
-- inlined back into a subquery, and a parameterised statement so that Citus routes it to the
-- current tenant's shard).
CREATE OR REPLACE FUNCTION frontdesk_member_of_current_tenant(uid uuid) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
  found boolean;
BEGIN
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM public.memberships m WHERE m.tenant_id = $1 AND m.user_id = $2)'
    INTO found USING public.current_tenant_id(), uid;
  RETURN found;
END $$;
--> statement-breakpoint
-- Citus variants of the knowledge-terms triggers (0012), installed by frontdesk_distribute_tables():
-- on a shard of knowledge_chunks, a statement on the distributed knowledge_terms would be planned
-- by Citus without the trigger's transition table. So the same statements go to the co-located
-- shards of knowledge_terms and knowledge_stats directly, one tenant at a time.
CREATE OR REPLACE FUNCTION frontdesk_knowledge_terms_add_citus() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT DISTINCT tenant_id FROM new_rows LOOP
    EXECUTE format(
      'INSERT INTO %s AS t (tenant_id, term, df)
       SELECT n.tenant_id, u.lexeme, count(*)::int FROM new_rows n, unnest(n.tsv) u
       WHERE n.tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (tenant_id, term) DO UPDATE SET df = t.df + excluded.df',
      shard_name('knowledge_terms'::regclass, get_shard_id_for_distribution_column('knowledge_terms', t))) USING t;
    EXECUTE format(
      'INSERT INTO %s AS s (tenant_id, chunks, tokens)
       SELECT n.tenant_id, count(*)::int, coalesce(sum(n.token_count), 0) FROM new_rows n
       WHERE n.tenant_id = $1 GROUP BY 1
       ON CONFLICT (tenant_id) DO UPDATE SET chunks = s.chunks + excluded.chunks, tokens = s.tokens + excluded.tokens',
      shard_name('knowledge_stats'::regclass, get_shard_id_for_distribution_column('knowledge_stats', t))) USING t;
  END LOOP;
  RETURN NULL;
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
--> statement-breakpoint
-- ON DELETE SET NULL (cols) where Citus refuses it: TG_ARGV = referencing table, its key columns,
-- the referenced table's key columns, the columns to set to NULL (comma-separated).
CREATE OR REPLACE FUNCTION frontdesk_fk_set_null() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cols text[] := string_to_array(TG_ARGV[1], ',');
  refcols text[] := string_to_array(TG_ARGV[2], ',');
  old jsonb := to_jsonb(OLD);
  sets text;
  conds text;
BEGIN
  SELECT string_agg(format('%I = NULL', c), ', ') INTO sets FROM unnest(string_to_array(TG_ARGV[3], ',')) c;
  SELECT string_agg(format('%I = %L', cols[i], old ->> refcols[i]), ' AND ') INTO conds
  FROM generate_subscripts(cols, 1) i;
  EXECUTE format('UPDATE public.%I SET %s WHERE %s', TG_ARGV[0], sets, conds);
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION frontdesk_distribute_tables() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n integer := 0;
  todo oid[];
  refs oid[];
  more oid[];
  anchor regclass;
  fks text[] := '{}';
  setnull text[] := '{}';
  stmt text;
  q text;
  wc text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN 0;
  END IF;
  -- Citus opens its connections to the workers as the current role (the request roles, after
  -- SET LOCAL ROLE): they may log in there, and stay NOLOGIN on the coordinator. Every run, for
  -- workers added since (role DDL run on the workers directly, not propagated back).
  -- Citus opens its connections to the workers as the current role (the request roles, after
  -- SET LOCAL ROLE), and keeps a role's attributes the same on every node: the request roles can
  -- log in on Citus (they have no password; pg_hba must not trust them from outside).
  ALTER ROLE frontdesk_app LOGIN;
  ALTER ROLE frontdesk_platform LOGIN;
  ALTER ROLE frontdesk_search LOGIN;
  PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);

  -- Tables of public not yet known to Citus, with a tenant_id column or tenants: distributed.
  SELECT coalesce(array_agg(c.oid), '{}') INTO todo
  FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
  WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
    AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)
    AND EXISTS (SELECT 1 FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped);
  -- Global tables linked by a foreign key to a tenant table, to tenants, or to each other (the
  -- closure): reference tables.
  refs := '{}';
  IF NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = 'public.tenants'::regclass) THEN
    refs := ARRAY['public.tenants'::regclass::oid];
  END IF;
  LOOP
    SELECT coalesce(array_agg(c.oid), '{}') INTO more
    FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND NOT c.oid = ANY (todo || refs)
      AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)
      AND EXISTS (
        SELECT 1 FROM pg_constraint k
        WHERE k.contype = 'f' AND (
          (k.conrelid = c.oid AND (k.confrelid = ANY (todo || refs)
             OR EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = k.confrelid)))
          OR (k.confrelid = c.oid AND (k.conrelid = ANY (todo || refs)
             OR EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = k.conrelid)))));
    EXIT WHEN more = '{}';
    refs := refs || more;
  END LOOP;
  IF cardinality(todo) + cardinality(refs) = 0 THEN
    RETURN 0;
  END IF;

  -- Foreign keys touching the tables to convert: dropped now, added back at the end.
  FOR r IN
    SELECT k.oid, k.conname, k.conrelid::regclass AS tbl, k.confrelid::regclass AS reftbl, k.confdeltype,
           k.confdelsetcols, k.conkey, k.confkey, pg_get_constraintdef(k.oid) AS def
    FROM pg_constraint k
    WHERE k.contype = 'f' AND (k.conrelid = ANY (todo || refs) OR k.confrelid = ANY (todo || refs))
  LOOP
    IF r.confdeltype = 'n' AND r.tbl::oid = ANY (todo) AND r.reftbl::oid = ANY (todo)
       AND EXISTS (SELECT 1 FROM pg_attribute a
                   WHERE a.attrelid = r.tbl AND a.attname = 'tenant_id' AND a.attnum = ANY (r.conkey)) THEN
      -- ON DELETE SET NULL (cols) inside a tenant: NO ACTION plus a trigger (Citus refuses it).
      stmt := format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname,
                     regexp_replace(r.def, ' ON DELETE SET NULL( \([^)]*\))?', ''));
      setnull := setnull || format(
        'CREATE TRIGGER %I BEFORE DELETE ON %s FOR EACH ROW EXECUTE FUNCTION frontdesk_fk_set_null(%L, %L, %L, %L)',
        left('set_null_' || r.conname, 63), r.reftbl, r.tbl::text,
        (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(r.conkey) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = r.tbl AND a.attnum = k.n),
        (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(r.confkey) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = r.reftbl AND a.attnum = k.n),
        (SELECT string_agg(a.attname, ',') FROM pg_attribute a
          WHERE a.attrelid = r.tbl AND a.attnum = ANY (coalesce(r.confdelsetcols, r.conkey))
            AND a.attname <> 'tenant_id'));
    ELSE
      stmt := format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
    END IF;
    fks := fks || stmt;
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;

  -- Policies with a subquery, which Citus refuses on its tables.
  FOR r IN
    SELECT p.polname, p.polrelid::regclass AS tbl, p.polpermissive, p.polcmd,
           (SELECT string_agg(quote_ident(rolname), ', ') FROM pg_roles WHERE oid = ANY (p.polroles)) AS roles,
           pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS wc
    FROM pg_policy p
    WHERE p.polrelid = ANY (todo || refs)
      AND (pg_get_expr(p.polqual, p.polrelid) ~ 'SELECT' OR pg_get_expr(p.polwithcheck, p.polrelid) ~ 'SELECT')
  LOOP
    q := replace(r.qual, '( SELECT current_tenant_id() AS current_tenant_id)', 'current_tenant_id()');
    wc := replace(r.wc, '( SELECT current_tenant_id() AS current_tenant_id)', 'current_tenant_id()');
    IF r.tbl = 'public.users'::regclass AND r.polname = 'tenant_members' THEN
      q := 'frontdesk_member_of_current_tenant(id)';
    END IF;
    IF q ~ 'SELECT' OR wc ~ 'SELECT' THEN
      RAISE EXCEPTION 'policy % on % has a subquery, which Citus refuses: rewrite it for frontdesk_distribute_tables()', r.polname, r.tbl;
    END IF;
    EXECUTE format('DROP POLICY %I ON %s', r.polname, r.tbl);
    EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', r.polname, r.tbl,
      CASE WHEN r.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
      CASE r.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
      coalesce(r.roles, 'PUBLIC'),
      CASE WHEN q IS NULL THEN '' ELSE format(' USING (%s)', q) END,
      CASE WHEN wc IS NULL THEN '' ELSE format(' WITH CHECK (%s)', wc) END);
  END LOOP;

  -- The knowledge-terms triggers in their Citus form (frontdesk_knowledge_terms_add_citus), made
  -- while the table is still local so that every shard gets them.
  FOR r IN
    SELECT g.tgname, pg_get_triggerdef(g.oid) AS def FROM pg_trigger g
    WHERE g.tgrelid = ANY (todo) AND g.tgfoid IN ('frontdesk_knowledge_terms_add()'::regprocedure,
                                                  'frontdesk_knowledge_terms_remove()'::regprocedure)
  LOOP
    EXECUTE format('DROP TRIGGER %I ON public.knowledge_chunks', r.tgname);
    EXECUTE replace(replace(r.def, 'frontdesk_knowledge_terms_add()', 'frontdesk_knowledge_terms_add_citus()'),
                    'frontdesk_knowledge_terms_remove()', 'frontdesk_knowledge_terms_remove_citus()');
  END LOOP;

  FOR r IN SELECT unnest(refs)::regclass AS tbl LOOP
    PERFORM create_reference_table(r.tbl);
    n := n + 1;
  END LOOP;

  SELECT p.logicalrelid INTO anchor FROM pg_dist_partition p
  WHERE p.partmethod = 'h' AND EXISTS (SELECT 1 FROM pg_attribute a
        WHERE a.attrelid = p.logicalrelid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
  ORDER BY p.logicalrelid LIMIT 1;
  FOR r IN SELECT c.oid::regclass AS tbl FROM pg_class c WHERE c.oid = ANY (todo) ORDER BY c.relname LOOP
    IF anchor IS NULL THEN
      PERFORM create_distributed_table(r.tbl, 'tenant_id', colocate_with => 'none');
      anchor := r.tbl;
    ELSE
      PERFORM create_distributed_table(r.tbl, 'tenant_id', colocate_with => anchor::text);
    END IF;
    n := n + 1;
  END LOOP;

  FOREACH stmt IN ARRAY fks LOOP
    EXECUTE stmt;
  END LOOP;
  FOREACH stmt IN ARRAY setnull LOOP
    EXECUTE stmt;
  END LOOP;

  -- The keyword functions (0015) as parameterised statements with the tenant as a value, so that
  -- Citus routes each to the tenant's shard (a SQL function comparing with current_tenant_id()
  -- is planned for every shard, and its correlated subquery cannot be).
  IF 'public.knowledge_chunks'::regclass::oid = ANY (todo) THEN
    CREATE OR REPLACE FUNCTION frontdesk_keyword_matches(selecting tsquery, terms text[], max_rows integer)
      RETURNS TABLE (chunk_id uuid, source_id uuid, token_count integer, heading_path text[], tf integer[])
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
    AS $f$
    BEGIN
      RETURN QUERY EXECUTE
        'SELECT c.id, c.source_id, c.token_count, c.heading_path,
                ARRAY(SELECT coalesce(array_length(u.positions, 1), 0)
                        FROM unnest($3) WITH ORDINALITY AS t(term, i)
                        LEFT JOIN unnest(c.tsv) u ON u.lexeme = t.term
                       ORDER BY t.i)
           FROM public.knowledge_chunks c
          WHERE c.tenant_id = $1 AND c.tsv @@ $2
          LIMIT $4'
        USING current_tenant_id(), selecting, terms, max_rows;
    END $f$;
    CREATE OR REPLACE FUNCTION frontdesk_term_corrections(words text[], per_word integer)
      RETURNS TABLE (word text, term text, df integer, similarity float8)
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
    AS $f$
    BEGIN
      RETURN QUERY EXECUTE
        'SELECT x.word, x.term, x.df, x.similarity
           FROM (SELECT m.word, t.term, t.df, similarity(t.term, m.word)::float8 AS similarity,
                        row_number() OVER (PARTITION BY m.word ORDER BY t.term <-> m.word, t.term) AS r
                   FROM unnest($2) AS m(word)
                   JOIN public.knowledge_terms t ON t.tenant_id = $1 AND t.term % m.word) x
          WHERE x.r <= $3'
        USING current_tenant_id(), words, per_word;
    END $f$;
  END IF;
  RETURN n;
END $$;
