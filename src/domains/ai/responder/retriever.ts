/**
 * Where the responder finds what to answer from: the tenant's knowledge base through
 * `searchKnowledge` (issue 6: hybrid vector + keyword over knowledge chunks, FAQ sources
 * included) and the FAQ entries kept in `faq_items` (keyword search in SQL). `Retriever` is the
 * seam the tests and the eval can replace.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import type { Platform } from '../../../platform/jobs.js';
import type { Evidence } from '../../knowledge/rank.js';
import { type SearchResult, searchKnowledge } from '../../knowledge/search.js';
import { contentWords } from './words.js';

export interface Passage {
  /** The knowledge source (or FAQ item) cited. */
  sourceId: string;
  chunkId?: string;
  title: string;
  kind: string;
  content: string;
  /** The FAQ question when the passage is a Q/A pair. */
  question?: string;
  score: number;
}

/** The passages found for a question, and what the search's ranking rests on (when it has it). */
export interface Retrieval {
  passages: Passage[];
  evidence?: Evidence;
}

export interface Retriever {
  retrieve(platform: Platform, tenantId: string, query: string, options?: { k?: number }): Promise<Retrieval>;
}

/** An OR query of the message's content words (a question rarely repeats every word of its answer). */
function orQuery(text: string): string | null {
  const words = [...new Set(contentWords(text).map((w) => w.replace(/[^a-z0-9]/g, '')))].filter(
    (w) => w.length > 1,
  );
  return words.length === 0 ? null : words.map((w) => `${w}:*`).join(' | ');
}

type FaqRow = { id: string; question: string; answer: string; score: number };

/** FAQ entries sharing words with the query, best first. */
async function faqSearch(tx: Tx, query: string, k: number): Promise<Passage[]> {
  const q = orQuery(query);
  if (!q) return [];
  const found = await rows<FaqRow>(
    tx,
    sql`WITH q AS (SELECT to_tsquery('simple', ${q}) AS tsq)
        SELECT f.id, f.question, f.answer,
               ts_rank(to_tsvector('simple', f.question || ' ' || f.answer), q.tsq)::float8 AS score
          FROM faq_items f, q
         WHERE f.is_active AND to_tsvector('simple', f.question || ' ' || f.answer) @@ q.tsq
         ORDER BY score DESC
         LIMIT ${k}`,
  );
  return found.map((r) => ({
    sourceId: r.id,
    title: r.question,
    kind: 'faq',
    content: r.answer,
    question: r.question,
    score: Number(r.score),
  }));
}

/** A knowledge chunk as a passage; a chunk of an FAQ source (`Q: … A: …`) keeps its question. */
export function passageOf(r: SearchResult): Passage {
  const qa = /^Q: (.+)\nA: ([\s\S]+)$/.exec(r.content.trim());
  return {
    sourceId: r.sourceId,
    chunkId: r.chunkId,
    title: r.sourceTitle,
    kind: r.sourceKind,
    content: qa ? qa[2]!.trim() : r.content,
    ...(qa ? { question: qa[1]!.trim() } : {}),
    score: r.score,
  };
}

/** The knowledge base's best chunks and the best FAQ entries (k of each). */
export const knowledgeRetriever: Retriever = {
  async retrieve(platform, tenantId, query, options = {}) {
    const k = options.k ?? 5;
    const [knowledge, faq] = await Promise.all([
      searchKnowledge(platform, tenantId, { query, k }),
      withTenant(platform.db, tenantId, (tx) => faqSearch(tx, query, k)),
    ]);
    return { passages: [...faq, ...knowledge.results.map(passageOf)], evidence: knowledge.evidence };
  },
};
