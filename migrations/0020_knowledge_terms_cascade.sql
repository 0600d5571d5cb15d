-- hand-written
-- Deleting a tenant as the platform role (the demo seed's clean-up after a failure) cascades to
-- its knowledge chunks, whose statement trigger then updated knowledge_terms and knowledge_stats:
-- "permission denied" on PostgreSQL, since the platform role has no right on those tables, even
-- for a tenant without chunks (a statement trigger fires for zero rows). The vocabulary of a
-- tenant being deleted goes with it (both tables cascade from tenants), so a role that may not
-- update the vocabulary skips the bookkeeping, and an empty statement never touches it.
CREATE OR REPLACE FUNCTION frontdesk_knowledge_terms_remove() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) OR NOT has_table_privilege('public.knowledge_terms', 'UPDATE') THEN
    RETURN NULL;
  END IF;
  UPDATE knowledge_terms t SET df = greatest(t.df - gone.n, 0)
    FROM (SELECT o.tenant_id, u.lexeme AS term, count(*)::int AS n
            FROM old_rows o, unnest(o.tsv) u
           GROUP BY 1, 2) gone
   WHERE t.tenant_id = gone.tenant_id AND t.term = gone.term;
  DELETE FROM knowledge_terms t
   WHERE t.df = 0
     AND (t.tenant_id, t.term) IN (SELECT o.tenant_id, u.lexeme FROM old_rows o, unnest(o.tsv) u);
  UPDATE knowledge_stats s
     SET chunks = greatest(s.chunks - o.n, 0), tokens = greatest(s.tokens - o.tokens, 0)
    FROM (SELECT tenant_id, count(*)::int AS n, coalesce(sum(token_count), 0) AS tokens
            FROM old_rows GROUP BY 1) o
   WHERE s.tenant_id = o.tenant_id;
  RETURN NULL;
END $$;
