-- Keyword search that an index can serve under RLS (docs/knowledge-search.md, "Keyword matching
-- under RLS"). The tenant's postings in one GIN, (tenant_id, tsv), with btree_gin for the uuid
-- key (a trusted contrib extension; PGlite ships it too).
CREATE EXTENSION IF NOT EXISTS btree_gin;
--> statement-breakpoint
DROP INDEX "knowledge_chunks_tsv_idx";--> statement-breakpoint
CREATE INDEX "knowledge_chunks_tenant_tsv_idx" ON "knowledge_chunks" USING gin ("tenant_id","tsv");--> statement-breakpoint
-- hand-written
-- Why functions: under row-level security the planner applies the policy's quals before any
-- qual that is not LEAKPROOF, and neither `@@` (tsvector) nor `%` (pg_trgm) is. So a request-role
-- query can use an index for tenant_id only and then tests every chunk of the tenant: 200 ms for
-- a 21,600-chunk tenant instead of 1 ms. These two functions run as `frontdesk_search`, a role
-- that can only read these two tables, and scope by the same `current_tenant_id()` the policies
-- use (no tenant set: no rows). Where the migrating user may create a BYPASSRLS role (a
-- superuser, as on PGlite and our servers), the search role has BYPASSRLS and both quals go to
-- the GIN index; otherwise it passes RLS through the `keyword_search` policies below: just as
-- correct, only not indexed. test/isolation/bypass.test.ts checks the role and the functions.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_search') THEN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      CREATE ROLE frontdesk_search NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    ELSE
      CREATE ROLE frontdesk_search NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'frontdesk_search', 'MEMBER') THEN
    EXECUTE format('GRANT frontdesk_search TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO frontdesk_search;
--> statement-breakpoint
GRANT SELECT ON knowledge_chunks, knowledge_terms TO frontdesk_search;
--> statement-breakpoint
CREATE POLICY keyword_search ON knowledge_chunks FOR SELECT TO frontdesk_search
  USING (tenant_id = current_tenant_id());
--> statement-breakpoint
CREATE POLICY keyword_search ON knowledge_terms FOR SELECT TO frontdesk_search
  USING (tenant_id = current_tenant_id());
--> statement-breakpoint
-- The current tenant's chunks matching `selecting`, with each of `terms`' frequency in the chunk
-- (in the terms' order), at most `max_rows` of them.
CREATE FUNCTION frontdesk_keyword_matches(selecting tsquery, terms text[], max_rows integer)
  RETURNS TABLE (chunk_id uuid, source_id uuid, token_count integer, heading_path text[], tf integer[])
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  SELECT c.id, c.source_id, c.token_count, c.heading_path,
         ARRAY(SELECT coalesce(array_length(u.positions, 1), 0)
                 FROM unnest(terms) WITH ORDINALITY AS t(term, i)
                 LEFT JOIN unnest(c.tsv) u ON u.lexeme = t.term
                ORDER BY t.i)
    FROM knowledge_chunks c
   WHERE c.tenant_id = current_tenant_id() AND c.tsv @@ selecting
   LIMIT max_rows
$$;
--> statement-breakpoint
-- The current tenant's vocabulary terms nearest to each word by trigram similarity (pg_trgm's
-- `%`: at least pg_trgm.similarity_threshold), `per_word` of them per word. The near terms are
-- found across tenants first (the trigram index over all vocabularies; materialized so the
-- planner cannot start from the tenant's whole vocabulary instead), then the tenant's are kept.
CREATE FUNCTION frontdesk_term_corrections(words text[], per_word integer)
  RETURNS TABLE (word text, term text, df integer, similarity float8)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
AS $$
  WITH near AS MATERIALIZED (
    SELECT m.word, t.tenant_id, t.term, t.df
      FROM unnest(words) AS m(word) JOIN knowledge_terms t ON t.term % m.word)
  SELECT x.word, x.term, x.df, x.similarity
    FROM (SELECT n.word, n.term, n.df, similarity(n.term, n.word)::float8 AS similarity,
                 row_number() OVER (PARTITION BY n.word ORDER BY n.term <-> n.word, n.term) AS r
            FROM near n
           WHERE n.tenant_id = current_tenant_id()) x
   WHERE x.r <= per_word
$$;
--> statement-breakpoint
-- A new owner needs CREATE on the schema (unless we are a superuser); only for the hand-over.
GRANT CREATE ON SCHEMA public TO frontdesk_search;
--> statement-breakpoint
ALTER FUNCTION frontdesk_keyword_matches(tsquery, text[], integer) OWNER TO frontdesk_search;
--> statement-breakpoint
ALTER FUNCTION frontdesk_term_corrections(text[], integer) OWNER TO frontdesk_search;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM frontdesk_search;
--> statement-breakpoint
REVOKE ALL ON FUNCTION frontdesk_keyword_matches(tsquery, text[], integer), frontdesk_term_corrections(text[], integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION frontdesk_keyword_matches(tsquery, text[], integer), frontdesk_term_corrections(text[], integer) TO frontdesk_app;
