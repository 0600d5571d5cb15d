/**
 * `kb-search`: knowledge search latency and recall at multi-tenant scale.
 *
 * Data (defaults; `--scale` multiplies chunks, tenants and the thresholds): 200,000 chunks of
 * 384 dimensions across 1,000 tenants on the server, 50,000 across 100 on PGlite, with a skewed
 * size distribution — a few large tenants over 20,000 chunks (above the ANN threshold, at its
 * shipped default), some medium ones (1,000 – threshold) and most under 1,000 (Zipf-like).
 * Vectors are synthetic clustered unit vectors made inside the database (topic, subtopic and
 * noise; see SUBTOPIC below) and inserted in bulk with raw SQL, bypassing the pipeline; one
 * source per 30 chunks. The tiers are then built with the knowledge base's own `ensureTier`.
 *
 * Measured: `searchKnowledge` (mode vector, k = 10) per tenant-size class, p50/p99 — the whole
 * function, its two tenant transactions and the query embedding included. The query vectors are
 * served by a local fake OpenAI-compatible embeddings server (the real HTTP provider code path);
 * its round trip is measured on its own (`embeddingCall`) so it can be told apart. Recall@10 is
 * against exact search for the same query vector: a brute-force `ORDER BY embedding <=> q` over
 * the tenant's chunks.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { openPipeline } from '../../eval/lib/pipeline.js';
import { embedderFor } from '../../src/domains/knowledge/embed/provider.js';
import { type SearchResponse, searchKnowledge } from '../../src/domains/knowledge/search.js';
import { ensureTier } from '../../src/domains/knowledge/tiers.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database, Engine } from '../../src/platform/db/database.js';
import { summarize } from '../lib/stats.js';

const SIZES = { postgres: { chunks: 200_000, tenants: 1_000 }, pglite: { chunks: 50_000, tenants: 100 } };
const DIMENSIONS = 384;
const MODEL = 'bench-hash-free-384';
/** The issue's large tenants: "a few over 20,000" chunks. */
const LARGE_TENANT = 20_000;
const QUERIES_PER_CLASS = 300;
const WARMUP_QUERIES = 30;
const K = 10;
/**
 * The vectors' structure, as amplitudes of uniform per-coordinate noise: a tenant's topics
 * (amplitude 1), a subtopic per CHUNKS_PER_SUBTOPIC consecutive chunks (a section of a document),
 * and per-chunk noise (two pool vectors). A query aims at one subtopic with its own noise, so
 * its nearest neighbours are that section's passages, clearly nearer than the rest of the topic
 * — as a real question's answer passages are — rather than a tie among hundreds.
 */
const SUBTOPIC = 0.8;
const CHUNK_NOISE = 0.35;
const QUERY_NOISE = 0.5;
const CHUNKS_PER_SUBTOPIC = 15;
const POOL = 4096;
const API_KEY = 'bench-key';
const CHUNKS_PER_SOURCE = 30;

type SizeClass = 'small' | 'medium' | 'large';

interface PlannedTenant {
  idx: number;
  size: number;
  clusters: number;
  sizeClass: SizeClass;
}

/**
 * Tenant sizes: ~0.3% large tenants holding ~36% of the chunks (each at least 1.2 × the larger
 * of `largeMin` and the ANN threshold), ~1.7% medium ones holding ~32% (from 1,000 to the
 * threshold), and the rest small (under 1,000) sharing the remainder by a Zipf-like law.
 */
export function planTenants(
  chunks: number,
  tenants: number,
  threshold: number,
  largeMin = LARGE_TENANT,
): PlannedTenant[] {
  const nLarge = Math.max(1, Math.round(tenants * 0.003));
  const nMedium = Math.max(1, Math.round(tenants * 0.017));
  const nSmall = tenants - nLarge - nMedium;
  const largeSize = Math.max(
    Math.ceil(1.2 * largeMin),
    Math.ceil(1.2 * threshold),
    Math.round((0.36 * chunks) / nLarge),
  );
  // 1,000 chunks, or half the threshold when a small --scale brings the threshold that low.
  const mediumMin = Math.min(1000, Math.floor(threshold / 2));
  const mediumAvg = (0.32 * chunks) / nMedium;
  const mediumSizes = Array.from({ length: nMedium }, (_, i) =>
    Math.min(
      threshold - 1,
      Math.max(mediumMin, Math.round(mediumAvg * (0.5 + i / Math.max(1, nMedium - 1)))),
    ),
  );
  const rest = Math.max(0, chunks - nLarge * largeSize - mediumSizes.reduce((s, x) => s + x, 0));
  const weights = Array.from({ length: nSmall }, (_, i) => (i + 1) ** -0.7);
  const wsum = weights.reduce((s, x) => s + x, 0);
  const smallSizes = weights.map((w) => Math.min(mediumMin - 1, Math.max(5, Math.round((rest * w) / wsum))));
  const sizes: Array<[number, SizeClass]> = [
    ...Array.from({ length: nLarge }, () => [largeSize, 'large'] as [number, SizeClass]),
    ...mediumSizes.map((s) => [s, 'medium'] as [number, SizeClass]),
    ...smallSizes.map((s) => [s, 'small'] as [number, SizeClass]),
  ];
  // About one topic per 250 chunks (at most 64): a knowledge base's documents cluster by subject.
  return sizes.map(([size, sizeClass], idx) => ({
    idx,
    size,
    sizeClass,
    clusters: Math.min(64, Math.max(1, Math.round(size / 250))),
  }));
}

/**
 * A random vector with coordinates uniform in ±amplitude/2, one per row: the subquery references
 * an outer column (`perRow`), so Postgres evaluates it again for every row instead of once.
 */
const randomVector = (amplitude: number, perRow: string) =>
  `(SELECT array_agg((random() - 0.5) * ${amplitude}) FROM generate_series(1, ${DIMENSIONS}) d WHERE ${perRow} >= 0)::vector(${DIMENSIONS})`;

/** The pool index of a tenant's subtopic (SQL). */
const subtopicOf = (tenantIdx: string, subtopic: string) =>
  `(${tenantIdx} * 7717 + ${subtopic} * 31) % ${POOL}`;

/** Loads the tenants, one source each, and their chunks; returns tenant ids by plan index. */
async function load(db: Database, plan: PlannedTenant[]): Promise<string[]> {
  await db.exec(`CREATE TABLE bench_plan (idx int PRIMARY KEY, size int, clusters int, tenant_id uuid DEFAULT gen_random_uuid());
    INSERT INTO bench_plan (idx, size, clusters) VALUES ${plan.map((t) => `(${t.idx}, ${t.size}, ${t.clusters})`).join(', ')};
    INSERT INTO tenants (id, slug, name) SELECT tenant_id, 'kb-bench-' || idx, 'KB bench ' || idx FROM bench_plan;
    -- A source (document) per ${CHUNKS_PER_SOURCE} chunks, as a real knowledge base has.
    CREATE TABLE bench_source AS
      SELECT p.idx, p.tenant_id, n, gen_random_uuid() AS id
        FROM bench_plan p, generate_series(0, (p.size - 1) / ${CHUNKS_PER_SOURCE}) n;
    CREATE INDEX ON bench_source (idx, n);
    INSERT INTO knowledge_sources (tenant_id, id, kind, status, title, content, content_hash)
      SELECT tenant_id, id, 'text', 'ready', 'Bench document ' || n, 'bench', md5(id::text) FROM bench_source;
    CREATE TABLE bench_centroid AS
      SELECT p.idx, c, ${randomVector(1, 'c')} AS v
        FROM bench_plan p, generate_series(0, p.clusters - 1) c;
    CREATE TABLE bench_noise AS
      SELECT i, ${randomVector(CHUNK_NOISE, 'i')} AS v FROM generate_series(0, ${POOL - 1}) i;
    CREATE TABLE bench_subtopic AS
      SELECT i, ${randomVector(SUBTOPIC, 'i')} AS v FROM generate_series(0, ${POOL - 1}) i;
    CREATE INDEX ON bench_centroid (idx, c);`);
  // In slices of tenants, so no single statement holds the whole data set.
  for (let from = 0; from < plan.length; from += 50) {
    await db.exec(`INSERT INTO knowledge_chunks
        (tenant_id, id, source_id, content, embedding, embedding_model, embedding_dim, position, start_offset, end_offset)
      SELECT p.tenant_id, gen_random_uuid(), s.id, 'Passage ' || g || ' of bench tenant ' || p.idx,
             l2_normalize(c.v + st.v + n1.v + n2.v), '${MODEL}', ${DIMENSIONS}, g % ${CHUNKS_PER_SOURCE}, 0, 5
        FROM bench_plan p
        CROSS JOIN generate_series(0, p.size - 1) g
        JOIN bench_source s ON s.idx = p.idx AND s.n = g / ${CHUNKS_PER_SOURCE}
        JOIN bench_centroid c ON c.idx = p.idx AND c.c = (g / ${CHUNKS_PER_SUBTOPIC}) % p.clusters
        JOIN bench_subtopic st ON st.i = ${subtopicOf('p.idx', `g / ${CHUNKS_PER_SUBTOPIC}`)}
        JOIN bench_noise n1 ON n1.i = (g * 7919 + p.idx * 104729) % ${POOL}
        JOIN bench_noise n2 ON n2.i = (g * 1237 + p.idx * 613 + 17) % ${POOL}
       WHERE p.idx >= ${from} AND p.idx < ${from + 50}`);
  }
  await db.exec('ANALYZE tenants; ANALYZE knowledge_sources; ANALYZE knowledge_chunks;');
  const ids = await db.query<{ idx: number; tenant_id: string }>(
    'SELECT idx, tenant_id::text FROM bench_plan',
  );
  const byIdx: string[] = [];
  for (const r of ids) byIdx[r.idx] = r.tenant_id;
  return byIdx;
}

interface Query {
  text: string;
  tenantId: string;
  sizeClass: SizeClass;
  vector: string;
}

/** Query vectors: one of the tenant's subtopics (its topic centroid plus the subtopic) plus fresh noise, normalised. */
async function makeQueries(db: Database, plan: PlannedTenant[], tenantIds: string[], perClass: number) {
  const picks: Array<{ t: PlannedTenant; subtopic: number }> = [];
  for (const sizeClass of ['small', 'medium', 'large'] as const) {
    const members = plan.filter((t) => t.sizeClass === sizeClass);
    for (let i = 0; i < perClass; i++) {
      const t = members[i % members.length]!;
      picks.push({ t, subtopic: (i * 7919) % Math.ceil(t.size / CHUNKS_PER_SUBTOPIC) });
    }
  }
  const vectors = await db.query<{ n: number; v: string }>(
    `SELECT q.n, l2_normalize(c.v + st.v + ${randomVector(QUERY_NOISE, 'q.n')})::text AS v
       FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS q(idx, subtopic, n)
       JOIN bench_plan p ON p.idx = q.idx
       JOIN bench_centroid c ON c.idx = q.idx AND c.c = q.subtopic % p.clusters
       JOIN bench_subtopic st ON st.i = ${subtopicOf('q.idx', 'q.subtopic')}
      ORDER BY q.n`,
    [picks.map((p) => p.t.idx), picks.map((p) => p.subtopic)],
  );
  return vectors.map(
    (r, i): Query => ({
      text: `bench query ${i}`,
      tenantId: tenantIds[picks[i]!.t.idx]!,
      sizeClass: picks[i]!.t.sizeClass,
      vector: r.v,
    }),
  );
}

/** A local OpenAI-compatible embeddings endpoint that answers each bench query with its vector. */
async function fakeEmbeddings(vectors: Map<string, number[]>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const { input } = JSON.parse(body) as { input: string[] };
      const known = req.headers.authorization === `Bearer ${API_KEY}` && input.every((t) => vectors.has(t));
      res.writeHead(known ? 200 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          known
            ? { data: input.map((t, index) => ({ index, embedding: vectors.get(t) })) }
            : { error: { message: 'unknown input or key' } },
        ),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const exactTop = (db: Database, q: Query) =>
  db.query<{ id: string }>(
    `SELECT id::text FROM knowledge_chunks WHERE tenant_id = $1 AND embedding_model = $2
      ORDER BY embedding <=> $3::vector LIMIT ${K}`,
    [q.tenantId, MODEL, q.vector],
  );

export async function kbSearchSuite(db: Database, { scale = 1, engine }: { scale?: number; engine: Engine }) {
  const size = SIZES[engine];
  // The shipped threshold (FRONTDESK_KB_ANN_THRESHOLD's default), scaled with the data.
  const threshold = Math.max(500, Math.round(loadConfig({}).knowledge.annThreshold * scale));
  const plan = planTenants(
    Math.round(size.chunks * scale),
    Math.max(10, Math.round(size.tenants * scale)),
    threshold,
    LARGE_TENANT * scale,
  );
  const loadAverageAtStart = loadavg()[0]!;
  const t0 = performance.now();
  const tenantIds = await load(db, plan);
  const loadMs = performance.now() - t0;

  const perClass = Math.max(50, Math.round(QUERIES_PER_CLASS * Math.min(1, scale * 2)));
  const queries = await makeQueries(db, plan, tenantIds, perClass);
  const vectors = new Map(queries.map((q) => [q.text, JSON.parse(q.vector) as number[]]));
  const fake = await fakeEmbeddings(vectors);
  const p = await openPipeline(db, {
    FRONTDESK_EMBEDDINGS: 'openai',
    FRONTDESK_EMBEDDINGS_URL: fake.url,
    FRONTDESK_EMBEDDINGS_MODEL: MODEL,
    FRONTDESK_EMBEDDINGS_API_KEY: API_KEY,
    FRONTDESK_EMBEDDINGS_DIMENSIONS: String(DIMENSIONS),
    FRONTDESK_KB_ANN_THRESHOLD: String(threshold),
  });
  try {
    const tierBuilds: Array<{ chunks: number; ms: number }> = [];
    for (const t of plan.filter((x) => x.sizeClass === 'large')) {
      const b0 = performance.now();
      const built = await ensureTier(p, tenantIds[t.idx]!, MODEL);
      if (built.tier !== 'ann')
        throw new Error(`kb-search: tenant ${t.idx} (${t.size} chunks) got no ANN index`);
      tierBuilds.push({ chunks: built.chunks, ms: Math.round(performance.now() - b0) });
    }

    // Passage order (perSource: 0), so recall compares like with like against the exact top 10.
    const search = (q: Query) =>
      searchKnowledge(p, q.tenantId, { query: q.text, k: K, mode: 'vector', perSource: 0 });
    for (const q of queries.slice(0, WARMUP_QUERIES)) await search(q);
    for (const q of queries.filter((x) => x.sizeClass === 'large').slice(0, WARMUP_QUERIES)) await search(q);

    // Interleaved across classes so drift hits every class alike.
    const order = queries
      .map((q, i) => ({ q, key: (i % perClass) * 3 + Math.floor(i / perClass) }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.q);
    const latency: Record<SizeClass, number[]> = { small: [], medium: [], large: [] };
    const answers = new Map<Query, SearchResponse>();
    for (const q of order) {
      const s0 = performance.now();
      answers.set(q, await search(q));
      latency[q.sizeClass].push(performance.now() - s0);
    }

    const exactLatency: Record<SizeClass, number[]> = { small: [], medium: [], large: [] };
    const recall: Record<SizeClass, number[]> = { small: [], medium: [], large: [] };
    const tiers: Record<SizeClass, Record<string, number>> = { small: {}, medium: {}, large: {} };
    for (const q of queries) {
      const e0 = performance.now();
      const exact = new Set((await exactTop(db, q)).map((r) => r.id));
      exactLatency[q.sizeClass].push(performance.now() - e0);
      const got = answers.get(q)!;
      recall[q.sizeClass].push(got.results.filter((r) => exact.has(r.chunkId)).length / exact.size);
      tiers[q.sizeClass][got.tier] = (tiers[q.sizeClass][got.tier] ?? 0) + 1;
    }

    // Hybrid (BM25 + vector, the default mode) on the same tenants: a question naming one
    // passage's number among words every chunk of the tenant has ("passage", "bench", "tenant"),
    // the common words past the candidate budget (bm25.ts); and, for the large class, only the
    // common words, the worst case for candidate selection.
    const hybridLatency: Record<SizeClass, number[]> = { small: [], medium: [], large: [] };
    const commonOnly: number[] = [];
    for (const [i, q] of order.entries()) {
      const size = plan.find((t) => tenantIds[t.idx] === q.tenantId)!.size;
      const text = `which passage ${(i * 7919) % size} of the bench tenant`;
      vectors.set(text, vectors.get(q.text)!); // the query's vector, served for its new wording
      vectors.set('bench tenant passage', vectors.get(q.text)!);
      const s0 = performance.now();
      await searchKnowledge(p, q.tenantId, { query: text, k: K, mode: 'hybrid' });
      hybridLatency[q.sizeClass].push(performance.now() - s0);
      if (q.sizeClass === 'large' && commonOnly.length < 50) {
        const c0 = performance.now();
        await searchKnowledge(p, q.tenantId, { query: 'bench tenant passage', k: K, mode: 'hybrid' });
        commonOnly.push(performance.now() - c0);
      }
    }

    const embedder = embedderFor(p.config, MODEL);
    const embedLatency: number[] = [];
    for (const q of queries.slice(0, 200)) {
      const s0 = performance.now();
      await embedder.embed([q.text]);
      embedLatency.push(performance.now() - s0);
    }

    const classes = Object.fromEntries(
      (['small', 'medium', 'large'] as const).map((c) => {
        const members = plan.filter((t) => t.sizeClass === c);
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        return [
          c,
          {
            tenants: members.length,
            chunksPerTenant: {
              min: Math.min(...members.map((t) => t.size)),
              max: Math.max(...members.map((t) => t.size)),
            },
            tiers: tiers[c],
            search: summarize(latency[c]),
            hybridSearch: summarize(hybridLatency[c]),
            ...(c === 'large' ? { hybridCommonWordsOnly: summarize(commonOnly) } : {}),
            exactReference: summarize(exactLatency[c]),
            recallAt10: +mean(recall[c]).toFixed(4),
            minRecallAt10: Math.min(...recall[c]),
          },
        ];
      }),
    );
    return {
      dataset: {
        chunks: plan.reduce((s, t) => s + t.size, 0),
        tenants: plan.length,
        dimensions: DIMENSIONS,
        annThreshold: threshold,
        queriesPerClass: perClass,
        loadSeconds: +(loadMs / 1000).toFixed(1),
        tierBuilds,
      },
      classes,
      embeddingCall: summarize(embedLatency),
      // Other work on the machine skews latencies (not recall): the 1-minute load average.
      loadAverage: { start: +loadAverageAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
      target: 'recall@10 ≥ 0.95 per class (1.0 where exact); p99 ≤ 50 ms on the server',
    };
  } finally {
    await p.jobs.stop();
    fake.server.close();
  }
}
