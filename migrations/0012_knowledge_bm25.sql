-- BM25 keyword search (src/domains/knowledge/search.ts): the tenant's vocabulary with document
-- frequencies, its chunk and token counts, and pg_trgm to correct misspelt query words against
-- that vocabulary. pg_trgm is a trusted contrib extension (PGlite ships it too).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "knowledge_stats" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"chunks" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "knowledge_stats_chunks_check" CHECK ("knowledge_stats"."chunks" >= 0),
	CONSTRAINT "knowledge_stats_tokens_check" CHECK ("knowledge_stats"."tokens" >= 0)
);
--> statement-breakpoint
CREATE TABLE "knowledge_terms" (
	"tenant_id" uuid NOT NULL,
	"term" text NOT NULL,
	"df" integer NOT NULL,
	CONSTRAINT "knowledge_terms_pkey" PRIMARY KEY("tenant_id","term"),
	CONSTRAINT "knowledge_terms_df_check" CHECK ("knowledge_terms"."df" >= 0)
);
--> statement-breakpoint
ALTER TABLE "knowledge_stats" ADD CONSTRAINT "knowledge_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_terms" ADD CONSTRAINT "knowledge_terms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_terms_term_trgm_idx" ON "knowledge_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
-- hand-written
-- knowledge_terms and knowledge_stats follow knowledge_chunks through statement triggers with
-- transition tables: one aggregate per statement (a 500-row insert is one upsert), every write
-- path included (ingestion, re-ingestion, cascades from a deleted source or tenant). Terms are
-- upserted in (tenant, term) order so concurrent ingestions of one tenant lock rows in the same
-- order. Terms whose count reaches 0 are removed, so the vocabulary only holds live words.
CREATE OR REPLACE FUNCTION frontdesk_knowledge_terms_add() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
BEGIN
  INSERT INTO knowledge_terms AS t (tenant_id, term, df)
  SELECT n.tenant_id, u.lexeme, count(*)::int
    FROM new_rows n, unnest(n.tsv) u
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT (tenant_id, term) DO UPDATE SET df = t.df + excluded.df;
  INSERT INTO knowledge_stats AS s (tenant_id, chunks, tokens)
  SELECT n.tenant_id, count(*)::int, coalesce(sum(n.token_count), 0)
    FROM new_rows n
   GROUP BY 1
   ORDER BY 1
  ON CONFLICT (tenant_id) DO UPDATE SET chunks = s.chunks + excluded.chunks, tokens = s.tokens + excluded.tokens;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION frontdesk_knowledge_terms_remove() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
AS $$
BEGIN
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
--> statement-breakpoint
CREATE TRIGGER knowledge_terms_insert AFTER INSERT ON knowledge_chunks
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_knowledge_terms_add();
--> statement-breakpoint
CREATE TRIGGER knowledge_terms_delete AFTER DELETE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_knowledge_terms_remove();
--> statement-breakpoint
-- An update (a re-embedding run) changes the vocabulary only if it changes the text: count the
-- old rows out and the new ones in. (Two triggers: a transition-table trigger names one event.)
CREATE TRIGGER knowledge_terms_update_remove AFTER UPDATE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_knowledge_terms_remove();
--> statement-breakpoint
CREATE TRIGGER knowledge_terms_update_add AFTER UPDATE ON knowledge_chunks
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_knowledge_terms_add();
--> statement-breakpoint
-- Existing knowledge bases get their vocabulary now.
INSERT INTO knowledge_terms (tenant_id, term, df)
SELECT c.tenant_id, u.lexeme, count(*)::int
  FROM knowledge_chunks c, unnest(c.tsv) u
 GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO knowledge_stats (tenant_id, chunks, tokens)
SELECT tenant_id, count(*)::int, coalesce(sum(token_count), 0)
  FROM knowledge_chunks
 GROUP BY 1;
