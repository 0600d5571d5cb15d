/**
 * From scored passages to a ranked, diversified list, and the evidence behind it.
 *
 * How to call (search.ts does):
 *   const ranked = fuseAndRank({ keyword, vector, mode: 'hybrid', k: 5, perSource: 1 });
 *   const evidence = evidenceOf(terms, keyword, vector, ranked);
 *
 * - Fusion is score-aware: each list's scores are normalised to [0, 1] (BM25 by the best BM25 of
 *   the query; cosine similarity min-max over the vector list), then added with FUSION weights set
 *   on the dev split. Unlike reciprocal rank fusion, a passage the keyword list puts far ahead
 *   keeps its lead when the vector list is unsure. With the offline embedder (a hashing embedder
 *   of words and character n-grams, not a language model) the vector weight is small: it breaks
 *   ties and catches misspellings, it does not outvote BM25.
 * - Sources are ranked by their best passage plus a share of their second best (an article that
 *   answers in two places is likelier the article), and the list is built round by round: each
 *   source's best passage, in source order, before any source's second.
 */
import type { KeywordHit, QueryTerms } from './bm25.js';

export const FUSION = {
  /** Weight of the normalised vector score in hybrid (the keyword score has 1 − this). */
  vectorWeight: 0.25,
  /** Share of a source's second-best passage added to its best. */
  secondPassage: 0.3,
};

export interface Scored {
  chunkId: string;
  sourceId: string;
  score: number;
}

export interface Ranked extends Scored {
  /** The source's score (what the list is ordered by). */
  sourceScore: number;
}

export type RankMode = 'vector' | 'keyword' | 'hybrid';

/** Normalised per-passage scores of one mode, keyed by chunk id. */
function normalised(mode: RankMode, keyword: KeywordHit[], vector: Array<Scored>): Map<string, Scored> {
  const out = new Map<string, Scored>();
  const maxKw = Math.max(0, ...keyword.map((h) => h.bm25));
  const cos = vector.map((v) => v.score);
  const hi = Math.max(...cos);
  const lo = Math.min(...cos);
  const vecNorm = (s: number) => (hi > lo ? (s - lo) / (hi - lo) : 1);
  const wv = mode === 'hybrid' ? FUSION.vectorWeight : mode === 'vector' ? 1 : 0;
  if (wv < 1) {
    for (const h of keyword) {
      out.set(h.chunk_id, {
        chunkId: h.chunk_id,
        sourceId: h.source_id,
        score: maxKw > 0 ? ((1 - wv) * h.bm25) / maxKw : 0,
      });
    }
  }
  if (wv > 0) {
    for (const v of vector) {
      const had = out.get(v.chunkId);
      const add = wv * vecNorm(v.score);
      out.set(v.chunkId, { chunkId: v.chunkId, sourceId: v.sourceId, score: (had?.score ?? 0) + add });
    }
  }
  return out;
}

const byScore = (a: Scored, b: Scored) => b.score - a.score || a.chunkId.localeCompare(b.chunkId);

export function fuseAndRank(input: {
  mode: RankMode;
  keyword: KeywordHit[];
  vector: Scored[];
  k: number;
  perSource: number;
}): Ranked[] {
  const passages = [...normalised(input.mode, input.keyword, input.vector).values()].sort(byScore);
  if (input.perSource === 0) {
    return passages.slice(0, input.k).map((p) => ({ ...p, sourceScore: p.score }));
  }
  const bySource = new Map<string, Scored[]>();
  for (const p of passages) {
    const list = bySource.get(p.sourceId) ?? [];
    list.push(p);
    bySource.set(p.sourceId, list);
  }
  const sources = [...bySource.entries()]
    .map(([sourceId, list]) => ({
      sourceId,
      list,
      score: list[0]!.score + FUSION.secondPassage * (list[1]?.score ?? 0),
    }))
    .sort((a, b) => b.score - a.score || a.sourceId.localeCompare(b.sourceId));
  const out: Ranked[] = [];
  for (let round = 0; out.length < input.k; round++) {
    let added = false;
    for (const s of sources) {
      const p = s.list[round];
      if (!p) continue;
      out.push({ ...p, sourceScore: s.score });
      added = true;
      if (out.length === input.k) break;
    }
    if (!added) break;
  }
  return out;
}

/**
 * What a ranking rests on, for deciding whether it answers the question (all in [0, 1]):
 * - `coverage`: the share of the query's term weight (unknown words included) that the best
 *   passage contains, in its text, heading path or source title;
 * - `titleCoverage`: the share in the best source's title;
 * - `margin`: how far the best source is ahead of the second, relative to its score;
 * - `agreement`: 1 when the keyword and vector lists put the same source first;
 * - `unknownShare`: the share of the query's weight in words the knowledge base does not have.
 */
export interface Evidence {
  coverage: number;
  titleCoverage: number;
  margin: number;
  agreement: number;
  unknownShare: number;
  /** `coverage` counting only the words the knowledge base has. */
  knownCoverage: number;
  /** How many words of 4+ letters the knowledge base does not have, even corrected. */
  unknownWords: number;
  /**
   * Those words weighed by how telling their absence is (lexicon.ts): an everyday word a help
   * center need not contain ("tomorrow") adds about 0, a name it would contain ("bitcoin") 1.
   */
  unknownSalience: number;
  /** `unknownShare` with each unknown word's weight times its salience. */
  salientShare: number;
  /** `coverage` by the best source as a whole (any of its passages, headings or title). */
  sourceCoverage: number;
  /** The best passage's BM25 as a share of the most the query's terms could score. */
  strength: number;
  /** The best vector match's cosine similarity. */
  similarity: number;
  /** The query's words the knowledge base does not have, even corrected. */
  unknownTerms: string[];
  /** Misspellings corrected: query word → vocabulary term. */
  corrections: Array<{ from: string; to: string }>;
}

export function evidenceOf(
  q: QueryTerms | null,
  keyword: KeywordHit[],
  vector: Scored[],
  ranked: Ranked[],
): Evidence {
  const corrections = (q?.terms ?? [])
    .filter((t) => t.correctedFrom)
    .map((t) => ({ from: t.correctedFrom!, to: t.term }));
  const unknownTerms = (q?.unknown ?? []).map((t) => t.term);
  // A corrected word counts once, at its best alternative's weight.
  const wordWeight = new Map<string, number>();
  for (const t of q?.terms ?? []) {
    const key = t.correctedFrom ?? t.term;
    wordWeight.set(key, Math.max(wordWeight.get(key) ?? 0, t.weight));
  }
  const known = [...wordWeight.values()].reduce((a, b) => a + b, 0);
  // Fragments ("im", "m", "mb") say little; unknown words of 4+ letters are what a knowledge base lacks.
  const unknownWords = (q?.unknown ?? []).filter((t) => t.term.length >= 4);
  const unknown = unknownWords.reduce((a, t) => a + t.weight, 0);
  const salient = unknownWords.reduce((a, t) => a + t.weight * (t.salience ?? 1), 0);
  const total = known + unknown;
  const top = ranked[0];
  const hit = top ? keyword.find((h) => h.chunk_id === top.chunkId) : undefined;
  const covered = (terms: string[]) => {
    const words = new Map<string, number>();
    for (const t of q?.terms ?? []) {
      if (terms.includes(t.term)) {
        const key = t.correctedFrom ?? t.term;
        words.set(key, Math.max(words.get(key) ?? 0, t.weight));
      }
    }
    return [...words.values()].reduce((a, b) => a + b, 0);
  };
  const second = ranked.find((r) => r.sourceId !== top?.sourceId);
  const kwTop = [...keyword].sort((a, b) => b.bm25 - a.bm25)[0];
  const vecTop = vector[0];
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const ceiling = (q?.terms ?? []).reduce((a, t) => a + t.weight, 0) * 2.2 + unknown;
  const coveredKnown = hit ? covered(hit.matched) : 0;
  const sourceTerms = new Set(keyword.filter((h) => h.source_id === top?.sourceId).flatMap((h) => h.matched));
  return {
    knownCoverage: round(known > 0 ? coveredKnown / known : 0),
    unknownWords: unknownWords.length,
    unknownSalience: round(unknownWords.reduce((a, t) => a + (t.salience ?? 1), 0)),
    salientShare: round(known + salient > 0 ? salient / (known + salient) : 0),
    sourceCoverage: round(total > 0 ? covered([...sourceTerms]) / total : 0),
    strength: round(hit && ceiling > 0 ? Math.min(1, hit.bm25 / ceiling) : 0),
    similarity: round(Math.max(0, vecTop?.score ?? 0)),
    coverage: round(total > 0 ? coveredKnown / total : 0),
    titleCoverage: round(total > 0 && hit ? covered(hit.titleTerms) / total : 0),
    margin: round(
      top && top.sourceScore > 0 ? (top.sourceScore - (second?.sourceScore ?? 0)) / top.sourceScore : 0,
    ),
    agreement: kwTop && vecTop && kwTop.source_id === vecTop.sourceId ? 1 : 0,
    unknownShare: round(total > 0 ? unknown / total : 0),
    unknownTerms,
    corrections,
  };
}
