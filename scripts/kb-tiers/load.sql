-- Fills a migrated database with ~200,000 chunks of 384 dimensions across 1,000 tenants (one of
-- 24,000, nine of 5,000, the rest of 130), random vectors, for scripts/kb-tiers/measure.ts.
-- 1 large tenant (24k), 9 medium (5k), 990 small (~130): ~200k chunks, random unit-ish vectors.
INSERT INTO tenants (id, slug, name) SELECT gen_random_uuid(), 'm' || i, 'M' || i FROM generate_series(1, 1000) i;
CREATE TEMP TABLE plan AS SELECT id, row_number() over (order by slug) AS n FROM tenants;
ALTER TABLE plan ADD COLUMN size int;
UPDATE plan SET size = CASE WHEN n = 1 THEN 24000 WHEN n <= 10 THEN 5000 ELSE 130 END;
INSERT INTO knowledge_sources (tenant_id, id, kind, title, content, status)
  SELECT id, gen_random_uuid(), 'text', 'S', 'x' || id::text, 'ready' FROM plan;
INSERT INTO knowledge_chunks (tenant_id, id, source_id, content, embedding, embedding_model, embedding_dim, position)
  SELECT p.id, gen_random_uuid(), s.id, 'chunk ' || g, (SELECT array_agg(random() - 0.5)::vector FROM generate_series(1, 384) WHERE g > 0), 'm384', 384, g
    FROM plan p JOIN knowledge_sources s ON s.tenant_id = p.id, generate_series(1, p.size) g;
ANALYZE knowledge_chunks;
