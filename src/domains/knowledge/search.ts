/**
 * Knowledge search for one tenant: vector, keyword (BM25, bm25.ts) or hybrid (score-aware fusion
 * of both, rank.ts), with filters, scores, citations, the evidence a responder needs to decide
 * whether the results answer the question, and an optional explanation.
 *
 * How to call (the AI pipeline, the eval, the API route):
 *   const res = await searchKnowledge(platform, tenantId, { query: 'can I check in early?', k: 5 });
 *   res.results[0] // { chunkId, sourceId, sourceTitle, sourceKind, content, score, position,
 *                  //   headingPath, startOffset, endOffset }  — offsets into the source's `content`
 *   await searchKnowledge(platform, tenantId, { query, mode: 'keyword', tags: ['billing'], explain: true });
 *
 * Results are diversified: sources are ranked (a source's best passage plus a share of its
 * second), then each source's best passage is returned before any source's second, so k results
 * cover up to k sources (`perSource: 0` turns this off: plain passage order).
 * Only chunks of active sources embedded with the tenant's current model are searched
 * (settings.ts). Vector search is exact or uses the tenant's own HNSW index (tiers.ts).
 */
import { sql } from 'drizzle-orm';
import { jsonArray, rows, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Platform } from '../../platform/jobs.js';
import { type KeywordHit, keywordCandidates, lexemeQuery, type QueryTerms, queryTerms } from './bm25.js';
import { embedderFor } from './embed/provider.js';
import { type Evidence, evidenceOf, fuseAndRank } from './rank.js';
import { knowledgeSettings } from './settings.js';
import type { SOURCE_KINDS } from './tables.js';
import { annPredicate, HNSW, type Tier, tierOf } from './tiers.js';

export const SEARCH_MODES = ['vector', 'keyword', 'hybrid'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The default mode: the winner of `npm run eval` (docs/knowledge-eval.md). */
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';
export const MAX_K = 50;

export interface SearchInput {
  query: string;
  k?: number;
  mode?: SearchMode;
  sourceIds?: string[];
  tags?: string[];
  kinds?: SourceKind[];
  explain?: boolean;
  /** 0: plain passage order; otherwise sources first (the default, see above). */
  perSource?: number;
}

export interface SearchResult {
  chunkId: string;
  sourceId: string;
  sourceTitle: string;
  sourceKind: SourceKind;
  content: string;
  score: number;
  position: number;
  headingPath: string[];
  startOffset: number | null;
  endOffset: number | null;
}

interface ModeRank {
  rank: number;
  score: number;
}

export interface SearchExplain {
  tier: Tier;
  embeddingModel: string;
  tsConfig: string;
  /** The full-text query actually run (analysed terms, typo corrections included). */
  tsQuery: string;
  /** Each query term with its weight (idf) and document frequency; corrections name their word. */
  terms: Array<{ term: string; weight: number; df: number; correctedFrom?: string }>;
  /** How many candidates each mode contributed before fusion. */
  candidates: number;
  efSearch: number | null;
  results: Array<{
    chunkId: string;
    vector: ModeRank | null;
    keyword: ModeRank | null;
    hybrid: ModeRank | null;
  }>;
}

export interface SearchResponse {
  mode: SearchMode;
  tier: Tier;
  results: SearchResult[];
  /** What the ranking rests on (coverage, margin, agreement): the responder's answer-or-decline input. */
  evidence: Evidence;
  explain?: SearchExplain;
}

interface Row {
  chunk_id: string;
  source_id: string;
  source_title: string;
  source_kind: SourceKind;
  content: string;
  score: number;
  position: number;
  heading_path: string[];
  start_offset: number | null;
  end_offset: number | null;
}

const toResult = (r: Row, score: number): SearchResult => ({
  chunkId: r.chunk_id,
  sourceId: r.source_id,
  sourceTitle: r.source_title,
  sourceKind: r.source_kind,
  content: r.content,
  score,
  position: r.position,
  headingPath: r.heading_path,
  startOffset: r.start_offset,
  endOffset: r.end_offset,
});

/** Filters on the joined source `s`. */
function filters(input: SearchInput) {
  return sql.join(
    [
      sql`s.is_active`,
      input.sourceIds?.length ? sql`s.id::text = ANY(${jsonArray(input.sourceIds)})` : undefined,
      input.tags?.length ? sql`s.tags && ${jsonArray(input.tags)}` : undefined,
      input.kinds?.length ? sql`s.kind = ANY(${jsonArray(input.kinds)})` : undefined,
    ].filter((x) => x !== undefined),
    sql` AND `,
  );
}

const COLUMNS = sql`c.id AS chunk_id, c.source_id, s.title AS source_title, s.kind AS source_kind, c.content,
  c.position, c.heading_path, c.start_offset, c.end_offset`;

/**
 * The vector query: the top `n` chunks by cosine distance, exactly (the tenant's rows) or through
 * the tenant's HNSW index. The nearest chunks are found in a subquery over knowledge_chunks alone
 * (the source filters become one array of allowed source ids, computed first), then joined to
 * their sources: a join inside would let the planner start from the sources and never use the
 * index. The ANN form repeats the index's predicate with literals and orders by the indexed
 * expression, so the planner can prove the partial index applies. Every table carries
 * `tenant_id = <the tenant>` (RLS alone would do for isolation): on Citus that routes the whole
 * query to the tenant's shard (test/isolation/citus-routing.test.ts).
 */
export interface VectorQuery {
  tenantId: string;
  model: string;
  vector: number[];
  tier: Tier;
  /** How many neighbours. */
  n: number;
  input: SearchInput;
}

export function vectorQuery({ tenantId, model, vector, tier, n, input }: VectorQuery) {
  const q = JSON.stringify(vector);
  const typed = sql.raw(`vector(${Number(vector.length)})`);
  const distance =
    tier === 'exact' ? sql`c.embedding <=> ${q}::vector` : sql`c.embedding::${typed} <=> ${q}::${typed}`;
  const scope =
    tier === 'exact'
      ? sql`c.tenant_id = ${tenantId}::uuid AND c.embedding_model = ${model}`
      : sql.raw(annPredicate(tenantId, model, 'c'));
  return sql`SELECT ${COLUMNS}, 1 - c.distance AS score
      FROM (SELECT c.id, c.source_id, c.content, c.position, c.heading_path, c.start_offset, c.end_offset,
                   ${distance} AS distance
              FROM knowledge_chunks c
             WHERE ${scope} AND c.source_id = ANY(ARRAY(SELECT s.id FROM knowledge_sources s
                     WHERE s.tenant_id = ${tenantId}::uuid AND ${filters(input)}))
             ORDER BY distance LIMIT ${n}) c
      JOIN knowledge_sources s ON s.tenant_id = ${tenantId}::uuid AND s.id = c.source_id`;
}

/**
 * Session settings of an ANN query (transaction-local): the search breadth; iterative scans, so
 * source filters that reject neighbours do not shorten the list; and no sorting, so the planner
 * takes the HNSW index even when its row estimate for the tenant is off (this tier exists
 * because the tenant is large; a sort of all its rows is exactly what the index avoids).
 */
export async function prepareAnn(tx: Tx, n: number): Promise<void> {
  await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${Math.max(HNSW.efSearch, n)}`));
  await tx.execute(sql.raw('SET LOCAL hnsw.iterative_scan = relaxed_order'));
  await tx.execute(sql.raw('SET LOCAL enable_sort = off'));
}

async function vectorSearch(tx: Tx, query: VectorQuery): Promise<Row[]> {
  if (query.tier === 'ann') await prepareAnn(tx, query.n);
  const found = await rows<Row>(tx, vectorQuery(query));
  if (query.tier === 'ann') await tx.execute(sql.raw('SET LOCAL enable_sort = on'));
  // The join does not keep the subquery's order, and relaxed_order may be slightly out of order.
  return found.sort((a, b) => b.score - a.score || a.chunk_id.localeCompare(b.chunk_id));
}

/**
 * The passages' rows (content, offsets, source) for the chunks that made the list. The chunks are
 * fetched by id first (a materialized CTE): the planner's estimate of a tenant's sources is the
 * average tenant's, and for a large tenant a plain join would walk every source's chunks. The ids
 * are cast to uuid inside the array: a cast outside (`text[]::uuid[]`) is not leakproof, and
 * under RLS that keeps `id = ANY(…)` out of the primary key's index condition.
 */
async function passageRows(tx: Tx, ids: string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  return rows<Row>(
    tx,
    sql`WITH c AS MATERIALIZED (
          SELECT * FROM knowledge_chunks
           WHERE id = ANY(${jsonArray(ids, 'uuid')}))
        SELECT ${COLUMNS}, 0 AS score FROM c JOIN knowledge_sources s ON s.id = c.source_id`,
  );
}

const rankIn = (list: Array<{ chunkId: string; score: number }>, id: string): ModeRank | null => {
  const i = list.findIndex((r) => r.chunkId === id);
  return i < 0 ? null : { rank: i + 1, score: Math.round(list[i]!.score * 10_000) / 10_000 };
};

export async function searchKnowledge(
  platform: Platform,
  tenantId: string,
  input: SearchInput,
): Promise<SearchResponse> {
  const k = Math.min(Math.max(Math.trunc(input.k ?? 5), 1), MAX_K);
  const mode = input.mode ?? DEFAULT_SEARCH_MODE;
  const perSource = input.perSource ?? 1;
  // The vector list looks deeper than k: fusion and source ranking need more than k passages.
  const depth = Math.max(50, k * 4);
  const wantVector = mode !== 'keyword' || input.explain;
  const wantKeyword = mode !== 'vector' || input.explain;
  const { settings, tier } = await withTenant(platform.db, tenantId, async (tx) => {
    const settings = await knowledgeSettings(tx, platform.config);
    return { settings, tier: await tierOf(tx, tenantId, settings.embeddingModel) };
  });
  const vector = wantVector
    ? (await embedderFor(platform.config, settings.embeddingModel).embed([input.query]))[0]!
    : undefined;
  return withTenant(platform.db, tenantId, async (tx) => {
    let terms: QueryTerms | null = null;
    let keywordHits: KeywordHit[] = [];
    if (wantKeyword) {
      terms = await queryTerms(tx, tenantId, settings.tsConfig, input.query);
      keywordHits = await keywordCandidates(tx, tenantId, terms, filters(input));
    }
    const vectorRows = vector
      ? await vectorSearch(tx, { tenantId, model: settings.embeddingModel, vector, tier, n: depth, input })
      : [];
    const vectorList = vectorRows.map((r) => ({
      chunkId: r.chunk_id,
      sourceId: r.source_id,
      score: r.score,
    }));
    const rank = (m: SearchMode, n: number) =>
      fuseAndRank({ mode: m, keyword: keywordHits, vector: vectorList, k: n, perSource });
    const ranked = rank(mode, k);
    const known = new Map(vectorRows.map((r) => [r.chunk_id, r]));
    for (const r of await passageRows(
      tx,
      ranked.filter((r) => !known.has(r.chunkId)).map((r) => r.chunkId),
    )) {
      known.set(r.chunk_id, r);
    }
    const results = ranked.map((r) => toResult(known.get(r.chunkId)!, Math.round(r.score * 10_000) / 10_000));
    const response: SearchResponse = {
      mode,
      tier,
      results,
      evidence: evidenceOf(terms, keywordHits, vectorList, rank('hybrid', 2)),
    };
    if (input.explain) {
      const lists = {
        vector: rank('vector', depth),
        keyword: rank('keyword', depth),
        hybrid: rank('hybrid', depth),
      };
      response.explain = {
        tier,
        embeddingModel: settings.embeddingModel,
        tsConfig: settings.tsConfig,
        tsQuery: lexemeQuery((terms?.terms ?? []).map((t) => t.term)),
        terms: (terms?.terms ?? []).map((t) => ({ ...t, weight: Math.round(t.weight * 1000) / 1000 })),
        candidates: depth,
        efSearch: tier === 'ann' ? Math.max(HNSW.efSearch, depth) : null,
        results: results.map((r) => ({
          chunkId: r.chunkId,
          vector: rankIn(lists.vector, r.chunkId),
          keyword: rankIn(lists.keyword, r.chunkId),
          hybrid: rankIn(lists.hybrid, r.chunkId),
        })),
      };
    }
    return response;
  });
}
