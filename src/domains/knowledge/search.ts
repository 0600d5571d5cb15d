/**
 * Knowledge search for one tenant: vector, keyword (Postgres full text) or hybrid (reciprocal
 * rank fusion of both), with filters, scores, citations and an optional explanation.
 *
 * How to call (the AI pipeline, the eval, the API route):
 *   const res = await searchKnowledge(platform, tenantId, { query: 'can I check in early?', k: 5 });
 *   res.results[0] // { chunkId, sourceId, sourceTitle, sourceKind, content, score, position,
 *                  //   headingPath, startOffset, endOffset }  — offsets into the source's `content`
 *   await searchKnowledge(platform, tenantId, { query, mode: 'keyword', tags: ['billing'], explain: true });
 *
 * Only chunks of active sources embedded with the tenant's current model are searched
 * (settings.ts). Vector search is exact or uses the tenant's own HNSW index (tiers.ts).
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Platform } from '../../platform/jobs.js';
import { words } from './embed/offline.js';
import { embedderFor } from './embed/provider.js';
import { knowledgeSettings } from './settings.js';
import type { SOURCE_KINDS } from './tables.js';
import { annPredicate, HNSW, type Tier, tierOf } from './tiers.js';

export const SEARCH_MODES = ['vector', 'keyword', 'hybrid'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The default mode: the winner of `npm run eval` (docs/knowledge-eval.md). */
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';
/** Reciprocal rank fusion constant (Cormack et al. 2009). */
export const RRF_K = 60;
export const MAX_K = 50;

export interface SearchInput {
  query: string;
  k?: number;
  mode?: SearchMode;
  sourceIds?: string[];
  tags?: string[];
  kinds?: SourceKind[];
  explain?: boolean;
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
  /** The full-text query actually run. */
  tsQuery: string;
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

/** A text[] parameter (drizzle would spread a JS array into a list of parameters). */
const textArray = (values: string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** Filters on the joined source `s`. */
function filters(input: SearchInput) {
  return sql.join(
    [
      sql`s.is_active`,
      input.sourceIds?.length ? sql`s.id::text = ANY(${textArray(input.sourceIds)})` : undefined,
      input.tags?.length ? sql`s.tags && ${textArray(input.tags)}` : undefined,
      input.kinds?.length ? sql`s.kind = ANY(${textArray(input.kinds)})` : undefined,
    ].filter((x) => x !== undefined),
    sql` AND `,
  );
}

const COLUMNS = sql`c.id AS chunk_id, c.source_id, s.title AS source_title, s.kind AS source_kind, c.content,
  c.position, c.heading_path, c.start_offset, c.end_offset`;

/** The top `n` chunks by cosine similarity, exact or through the tenant's HNSW index. */
async function vectorSearch(
  tx: Tx,
  tenantId: string,
  model: string,
  vector: number[],
  tier: Tier,
  n: number,
  input: SearchInput,
): Promise<Row[]> {
  const q = JSON.stringify(vector);
  if (tier === 'exact') {
    return rows<Row>(
      tx,
      sql`SELECT ${COLUMNS}, 1 - (c.embedding <=> ${q}::vector) AS score
            FROM knowledge_chunks c JOIN knowledge_sources s ON s.id = c.source_id
           WHERE c.tenant_id = ${tenantId}::uuid AND c.embedding_model = ${model} AND ${filters(input)}
           ORDER BY c.embedding <=> ${q}::vector LIMIT ${n}`,
    );
  }
  // The index's own predicate, with literals, so the planner can prove the partial index applies;
  // iterative scans keep returning candidates when the source filters reject some.
  const dim = vector.length;
  await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${Math.max(HNSW.efSearch, n)}`));
  await tx.execute(sql.raw('SET LOCAL hnsw.iterative_scan = relaxed_order'));
  const found = await rows<Row>(
    tx,
    sql`SELECT ${COLUMNS}, 1 - (c.embedding::vector(${sql.raw(String(dim))}) <=> ${q}::vector(${sql.raw(String(dim))})) AS score
          FROM knowledge_chunks c JOIN knowledge_sources s ON s.id = c.source_id
         WHERE ${sql.raw(annPredicate(tenantId, model, 'c'))} AND ${filters(input)}
         ORDER BY c.embedding::vector(${sql.raw(String(dim))}) <=> ${q}::vector(${sql.raw(String(dim))}) LIMIT ${n}`,
  );
  // relaxed_order may return neighbours slightly out of order.
  return found.sort((a, b) => b.score - a.score);
}

/**
 * The full-text query: the question's words OR-ed (a question rarely shares every word with its
 * answer), each stemmed and stop-word filtered by the tenant's configuration.
 */
export function tsQueryText(query: string): string {
  return [...new Set(words(query))].slice(0, 64).join(' | ');
}

async function keywordSearch(tx: Tx, tsConfig: string, query: string, n: number, input: SearchInput) {
  const text = tsQueryText(query);
  if (!text) return [];
  return rows<Row>(
    tx,
    sql`SELECT ${COLUMNS}, ts_rank_cd(c.tsv, q, 1) AS score
          FROM knowledge_chunks c JOIN knowledge_sources s ON s.id = c.source_id,
               to_tsquery(${tsConfig}::regconfig, ${text}) q
         WHERE c.tsv @@ q AND ${filters(input)}
         ORDER BY score DESC, c.id LIMIT ${n}`,
  );
}

/** Reciprocal rank fusion: Σ 1 / (RRF_K + rank) over the lists a chunk appears in. */
export function fuse(lists: Row[][]): Array<{ row: Row; score: number }> {
  const fused = new Map<string, { row: Row; score: number }>();
  for (const list of lists) {
    for (const [i, row] of list.entries()) {
      const entry = fused.get(row.chunk_id) ?? { row, score: 0 };
      entry.score += 1 / (RRF_K + i + 1);
      fused.set(row.chunk_id, entry);
    }
  }
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || a.row.chunk_id.localeCompare(b.row.chunk_id),
  );
}

const rankIn = (list: Array<{ chunk_id: string; score: number }>, id: string): ModeRank | null => {
  const i = list.findIndex((r) => r.chunk_id === id);
  return i < 0 ? null : { rank: i + 1, score: list[i]!.score };
};

export async function searchKnowledge(
  platform: Platform,
  tenantId: string,
  input: SearchInput,
): Promise<SearchResponse> {
  const k = Math.min(Math.max(Math.trunc(input.k ?? 5), 1), MAX_K);
  const mode = input.mode ?? DEFAULT_SEARCH_MODE;
  // Fusion (and the explanation) look deeper than k in each list.
  const depth = mode === 'hybrid' || input.explain ? Math.max(50, k * 4) : k;
  const wantVector = mode !== 'keyword' || input.explain;
  const wantKeyword = mode !== 'vector' || input.explain;
  const settingsAndTier = await withTenant(platform.db, tenantId, async (tx) => {
    const settings = await knowledgeSettings(tx, platform.config);
    return { settings, tier: await tierOf(tx, tenantId, settings.embeddingModel) };
  });
  const { settings, tier } = settingsAndTier;
  const vector = wantVector
    ? (await embedderFor(platform.config, settings.embeddingModel).embed([input.query]))[0]!
    : undefined;
  const { vectorRows, keywordRows } = await withTenant(platform.db, tenantId, async (tx) => ({
    keywordRows: wantKeyword ? await keywordSearch(tx, settings.tsConfig, input.query, depth, input) : [],
    vectorRows: vector
      ? await vectorSearch(tx, tenantId, settings.embeddingModel, vector, tier, depth, input)
      : [],
  }));
  const hybrid = fuse([vectorRows, keywordRows]);
  const ranked =
    mode === 'vector'
      ? vectorRows.map((row) => ({ row, score: row.score }))
      : mode === 'keyword'
        ? keywordRows.map((row) => ({ row, score: row.score }))
        : hybrid;
  const results = ranked.slice(0, k).map(({ row, score }) => toResult(row, score));
  const response: SearchResponse = { mode, tier, results };
  if (input.explain) {
    const hybridList = hybrid.map((h) => ({ chunk_id: h.row.chunk_id, score: h.score }));
    response.explain = {
      tier,
      embeddingModel: settings.embeddingModel,
      tsConfig: settings.tsConfig,
      tsQuery: tsQueryText(input.query),
      candidates: depth,
      efSearch: tier === 'ann' ? Math.max(HNSW.efSearch, depth) : null,
      results: results.map((r) => ({
        chunkId: r.chunkId,
        vector: rankIn(vectorRows, r.chunkId),
        keyword: rankIn(keywordRows, r.chunkId),
        hybrid: rankIn(hybridList, r.chunkId),
      })),
    };
  }
  return response;
}
