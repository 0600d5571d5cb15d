/**
 * BM25 keyword scoring over a tenant's chunks, in SQL over the tables the database keeps current.
 *
 * How to call (search.ts does):
 *   const terms = await queryTerms(tx, tenantId, 'english', 'how do I turn on dark mode?');
 *   const hits = await keywordCandidates(tx, tenantId, terms, filters);   // chunks sharing a term, with term stats
 *   hits[0].bm25                                               // that chunk's BM25 with field boosts
 *
 * - The query is analysed by the tenant's text search configuration (`to_tsvector`: its
 *   language's stemmer and stop words), exactly as the chunks were, after greetings and filler
 *   are removed (`cleanQuery`).
 * - Inverse document frequencies come from `knowledge_terms` (per tenant, maintained by triggers
 *   on knowledge_chunks), N and the average length from `knowledge_stats`.
 * - A query word the tenant's vocabulary does not have (a typo: "notifcations") is replaced by its
 *   nearest vocabulary terms by trigram similarity (pg_trgm), weighted down by that similarity,
 *   so a correction never outweighs a word that matched exactly.
 * - Candidates are the chunks whose `tsv` matches one of the terms, read from the tenant's
 *   (tenant_id, tsv) GIN index through `frontdesk_keyword_matches` (migrations/0015: under RLS
 *   the planner cannot use an index for `@@`, so a plain query would test every chunk of the
 *   tenant). When the terms are common enough to match a large share of a big tenant, the most
 *   frequent terms still score but stop selecting candidates (a chunk matching only those
 *   cannot rank high).
 * - Each chunk's score is BM25 over its text plus field boosts: query terms in the source's title
 *   and in the chunk's heading path (a question often paraphrases an article's title).
 *
 * Size (about 350 lines): query analysis, candidate retrieval and the BM25 formula with its field
 * boosts are one scoring model; each step reads the statistics the previous one fetched.
 */
import { sql } from 'drizzle-orm';
import { jsonArray, rows, type Tx } from '../../platform/db/database.js';
import { lexiconFor } from './lexicon.js';

/** BM25 and field parameters; set on the dev split of eval/helpcenters (docs/knowledge-eval.md). */
export const BM25 = {
  k1: 1.2,
  b: 0.75,
  /** Boost per query-term weight found in the source title / the chunk's heading path. */
  titleBoost: 0.6,
  headingBoost: 0.3,
  /** A corrected typo weighs its similarity times this. */
  typoDiscount: 0.8,
  /** Lowest trigram similarity accepted as a correction. */
  typoMinSimilarity: 0.4,
  /** Corrections kept per unknown word. */
  typoAlternatives: 2,
  /** The similarity a correction one edit away counts as (trigram similarity for the rest). */
  oneEditSimilarity: 0.85,
  /** Stop selecting candidates by the most frequent terms once this many chunks would match. */
  candidateBudget: 1000,
  /**
   * At most this many matching chunks are scored. Reached only when even the query's rarest
   * term is in more chunks than this (a question of words every passage has): the scored ones
   * are then the first the index returns, not the best.
   */
  maxMatches: 2000,
};

/** Greetings and filler that carry no topic; removed before the text search analysis. */
const FILLER = new Set(
  `hi hello hey hiya thanks thank thx ty please pls plz quick question wondering wonder anyone
  guys folks team help helpful kindly sorry cheers greetings morning afternoon evening`.split(/\s+/),
);

export function cleanQuery(query: string): string {
  return query
    .split(/(\s+)/)
    .filter((w) => !FILLER.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')))
    .join('')
    .slice(0, 2000);
}

export interface QueryTerm {
  /** A lexeme of the tenant's vocabulary (or of the query, when unknown and uncorrected). */
  term: string;
  /** Inverse document frequency times the query's own count, times the correction's discount. */
  weight: number;
  df: number;
  /** The query's word when this term is a correction of it. */
  correctedFrom?: string;
  /** For an unknown word: how telling its absence is (lexicon.ts; 1 without a lexicon). */
  salience?: number;
}

export interface QueryTerms {
  tsConfig: string;
  /** Terms the tenant has (exact or corrected). */
  terms: QueryTerm[];
  /** Query lexemes found nowhere in the tenant's vocabulary, even corrected, with their weight. */
  unknown: QueryTerm[];
  chunks: number;
  avgLength: number;
}

const idf = (n: number, df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** The query's terms with their weights; misspellings corrected against the tenant's vocabulary. */
export async function queryTerms(
  tx: Tx,
  tenantId: string,
  tsConfig: string,
  query: string,
): Promise<QueryTerms> {
  const cleaned = cleanQuery(query);
  // The query's words, each with the lexemes it yields: what an unknown lexeme was typed as.
  const words = [...new Set(cleaned.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 200);
  const found = await rows<{
    term: string;
    qtf: number;
    df: number;
    chunks: number;
    tokens: number;
    surfaces: string[];
  }>(
    tx,
    sql`WITH q AS (
          SELECT u.lexeme AS term, coalesce(array_length(u.positions, 1), 1) AS qtf
            FROM unnest(to_tsvector(${tsConfig}::regconfig, ${cleaned})) u),
        w AS (
          SELECT w.word, u.lexeme
            FROM unnest(${jsonArray(words)}) AS w(word),
                 unnest(to_tsvector(${tsConfig}::regconfig, w.word)) u)
        SELECT q.term, q.qtf, coalesce(t.df, 0) AS df,
               coalesce(s.chunks, 0) AS chunks, coalesce(s.tokens, 0)::float8 AS tokens,
               ARRAY(SELECT DISTINCT w.word FROM w WHERE w.lexeme = q.term) AS surfaces
          FROM q
          LEFT JOIN knowledge_terms t ON t.tenant_id = ${tenantId}::uuid AND t.term = q.term
          LEFT JOIN knowledge_stats s ON s.tenant_id = ${tenantId}::uuid`,
  );
  const n = Number(found[0]?.chunks ?? 0);
  const avgLength = n > 0 ? Number(found[0]!.tokens) / n || 1 : 1;
  const lexicon = lexiconFor(tsConfig);
  const terms = new Map<string, QueryTerm>();
  const add = (t: QueryTerm) => {
    const had = terms.get(t.term);
    if (!had || had.weight < t.weight) terms.set(t.term, t);
  };
  const missing: Array<{ term: string; qtf: number; surfaces: string[] }> = [];
  for (const r of found) {
    if (Number(r.df) > 0)
      add({ term: r.term, df: Number(r.df), weight: idf(n, Number(r.df)) * Number(r.qtf) });
    else missing.push({ term: r.term, qtf: Number(r.qtf), surfaces: r.surfaces });
  }
  const correctable = missing.filter((m) => m.term.length >= 4 && !/\d/.test(m.term));
  // A word one edit from a vocabulary word, and not itself a dictionary word, is that word mistyped.
  const typed = (m: { surfaces: string[] }) => m.surfaces.find((w) => w.length >= 4 && /^[a-z]+$/.test(w));
  const editable = lexicon
    ? correctable.filter((m) => {
        const w = typed(m);
        return w !== undefined && !lexicon.isDictionaryWord(w);
      })
    : [];
  const oneEdit = await oneEditCorrections(
    tx,
    tenantId,
    tsConfig,
    editable.map((m) => typed(m)!),
  );
  const corrections = await correct(
    tx,
    correctable.filter((m) => !oneEdit.has(typed(m) ?? '')).map((m) => m.term),
  );
  const unknown: QueryTerm[] = [];
  for (const m of missing) {
    const alternatives = oneEdit.get(typed(m) ?? '') ?? corrections.get(m.term) ?? [];
    for (const c of alternatives) {
      add({
        term: c.term,
        df: c.df,
        weight: idf(n, c.df) * m.qtf * c.similarity * BM25.typoDiscount,
        correctedFrom: m.term,
      });
    }
    if (alternatives.length === 0) {
      const salience = lexicon ? Math.max(0, ...m.surfaces.map((w) => lexicon.salience(w))) : 1;
      unknown.push({ term: m.term, df: 0, weight: idf(n, 0) * m.qtf, salience });
    }
  }
  return { tsConfig, terms: [...terms.values()], unknown, chunks: n, avgLength };
}

/** Every spelling one edit (deletion, transposition, substitution, insertion of a-z) from `word`. */
export function oneEditVariants(word: string): string[] {
  const out = new Set<string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of letters) {
      if (tail) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out];
}

/**
 * Vocabulary terms one edit from each typed word ("emial" → email, "sponsering" → sponsor): its
 * variants analysed like the chunks and looked up exactly. The most frequent terms first
 * (the likelier intent), at most `typoAlternatives` per word.
 */
async function oneEditCorrections(tx: Tx, tenantId: string, tsConfig: string, words: string[]) {
  const out = new Map<string, Array<{ term: string; df: number; similarity: number }>>();
  if (words.length === 0) return out;
  const variants = words.flatMap((word) => oneEditVariants(word).map((variant) => ({ word, variant })));
  const found = await rows<{ word: string; term: string; df: number }>(
    tx,
    sql`SELECT v.word, t.term, max(t.df) AS df
          FROM jsonb_to_recordset(${JSON.stringify(variants)}::jsonb) AS v(word text, variant text)
          CROSS JOIN LATERAL unnest(to_tsvector(${tsConfig}::regconfig, v.variant)) u
          JOIN knowledge_terms t ON t.tenant_id = ${tenantId}::uuid AND t.term = u.lexeme
         GROUP BY 1, 2
         ORDER BY 1, 3 DESC, 2`,
  );
  for (const r of found) {
    const list = out.get(r.word) ?? [];
    if (list.length < BM25.typoAlternatives)
      list.push({ term: r.term, df: Number(r.df), similarity: BM25.oneEditSimilarity });
    out.set(r.word, list);
  }
  return out;
}

/** Nearest vocabulary terms of each unknown word by trigram similarity (pg_trgm). */
async function correct(tx: Tx, words: string[]) {
  const out = new Map<string, Array<{ term: string; df: number; similarity: number }>>();
  if (words.length === 0) return out;
  // frontdesk_term_corrections (migrations/0015): the tenant's trigram index, usable under RLS.
  const found = await rows<{ word: string; term: string; df: number; similarity: number }>(
    tx,
    sql`SELECT word, term, df, similarity
          FROM frontdesk_term_corrections(
                 ${jsonArray(words)},
                 ${BM25.typoAlternatives}::int)`,
  );
  for (const r of found) {
    if (Number(r.similarity) < BM25.typoMinSimilarity) continue;
    const list = out.get(r.word) ?? [];
    list.push({ term: r.term, df: Number(r.df), similarity: Number(r.similarity) });
    out.set(r.word, list);
  }
  return out;
}

/** A tsquery literal OR-ing lexemes as they are (already analysed: no second stemming). */
export function lexemeQuery(terms: string[]): string {
  return terms.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}

/** The terms that select candidates: rarest first, until the budget of matching chunks is spent. */
export function selectingTerms(terms: QueryTerm[]): QueryTerm[] {
  const byDf = [...terms].sort((a, b) => a.df - b.df || a.term.localeCompare(b.term));
  const out: QueryTerm[] = [];
  let matched = 0;
  for (const t of byDf) {
    if (out.length > 0 && matched + t.df > BM25.candidateBudget) break;
    out.push(t);
    matched += t.df;
  }
  return out;
}

export interface KeywordHit {
  chunk_id: string;
  source_id: string;
  /** BM25 of the chunk's text plus its title and heading boosts. */
  bm25: number;
  /** The query terms this chunk covers (text, heading path or source title). */
  matched: string[];
  /** The query terms in its source's title. */
  titleTerms: string[];
}

/** Candidates that get field boosts after the text BM25 pass (the rest cannot reach the top k). */
export const TOP_CANDIDATES = 500;

/**
 * Scores the candidate chunks; `sourceFilter` is the SQL condition on the sources `s`. Two steps in
 * one statement: every candidate's text BM25 (term frequencies from its tsvector), then the best
 * TOP_CANDIDATES get their title and heading terms (a text search analysis each, the costly part).
 */
export async function keywordCandidates(
  tx: Tx,
  tenantId: string,
  q: QueryTerms,
  sourceFilter: ReturnType<typeof sql>,
): Promise<KeywordHit[]> {
  if (q.terms.length === 0) return [];
  const { k1, b } = BM25;
  const terms = jsonArray(q.terms.map((t) => t.term));
  const weights = jsonArray(
    q.terms.map((t) => t.weight),
    'float8',
  );
  const found = await rows<{
    chunk_id: string;
    source_id: string;
    token_count: number | null;
    /** Each query term's frequency in the chunk, in the terms' order. */
    tf: number[];
    heading_terms: string[];
    title_terms: string[];
  }>(
    tx,
    sql`WITH q AS (SELECT ${terms} AS terms, ${weights} AS weights),
        cand AS (
          SELECT m.chunk_id AS id, m.source_id, m.token_count, m.heading_path, m.tf
            FROM q, frontdesk_keyword_matches(
                      ${lexemeQuery(selectingTerms(q.terms).map((t) => t.term))}::tsquery,
                      q.terms, ${BM25.maxMatches}::int) m
           WHERE m.source_id = ANY(ARRAY(SELECT s.id FROM knowledge_sources s
                                           WHERE s.tenant_id = ${tenantId}::uuid AND ${sourceFilter}))),
        best AS (
          SELECT cand.* FROM cand, q
           ORDER BY (SELECT sum(q.weights[i] * cand.tf[i] * ${k1 + 1}::float8
                                / (cand.tf[i] + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8
                                   * coalesce(cand.token_count, ${q.avgLength}::float8) / ${q.avgLength}::float8)))
                       FROM generate_subscripts(cand.tf, 1) AS i WHERE cand.tf[i] > 0) DESC NULLS LAST, cand.id
           LIMIT ${TOP_CANDIDATES})
        SELECT best.id AS chunk_id, best.source_id, best.token_count, best.tf,
               ARRAY(SELECT h.lexeme FROM unnest(to_tsvector(${q.tsConfig}::regconfig,
                       array_to_string(best.heading_path, ' '))) h WHERE h.lexeme = ANY(q.terms)) AS heading_terms,
               ARRAY(SELECT h.lexeme FROM unnest(to_tsvector(${q.tsConfig}::regconfig, s.title)) h
                      WHERE h.lexeme = ANY(q.terms)) AS title_terms
          FROM best, q, knowledge_sources s
         WHERE s.tenant_id = ${tenantId}::uuid AND s.id = best.source_id`,
  );
  return found.map((r) => {
    const dl = r.token_count ?? q.avgLength;
    const norm = k1 * (1 - b + (b * dl) / q.avgLength);
    let score = 0;
    const matched = new Set<string>();
    r.tf.forEach((tf, i) => {
      if (tf <= 0) return;
      const t = q.terms[i]!;
      score += (t.weight * tf * (k1 + 1)) / (tf + norm);
      matched.add(t.term);
    });
    const weightOf = new Map(q.terms.map((t) => [t.term, t.weight]));
    for (const t of new Set(r.title_terms)) {
      score += BM25.titleBoost * (weightOf.get(t) ?? 0);
      matched.add(t);
    }
    for (const t of new Set(r.heading_terms)) {
      if (!r.title_terms.includes(t)) score += BM25.headingBoost * (weightOf.get(t) ?? 0);
      matched.add(t);
    }
    return {
      chunk_id: r.chunk_id,
      source_id: r.source_id,
      bm25: score,
      matched: [...matched],
      titleTerms: [...new Set(r.title_terms)],
    };
  });
}
