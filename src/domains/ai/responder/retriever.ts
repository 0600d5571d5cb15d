/**
 * Where the responder finds what to answer from. `Retriever` is the seam: the default asks the
 * tenant's knowledge base and FAQ (keyword search over `faq_items` and `knowledge_chunks`);
 * once knowledge search (issue 6) is merged it is the one to call.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import type { Platform } from '../../../platform/jobs.js';
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

export interface Retriever {
  retrieve(platform: Platform, tenantId: string, query: string, options?: { k?: number }): Promise<Passage[]>;
}

/** An OR query of the message's content words (a question rarely repeats every word of its answer). */
function orQuery(text: string): string | null {
  const words = [...new Set(contentWords(text).map((w) => w.replace(/[^a-z0-9]/g, '')))].filter(
    (w) => w.length > 1,
  );
  return words.length === 0 ? null : words.map((w) => `${w}:*`).join(' | ');
}

type PassageRow = {
  source_id: string;
  chunk_id: string | null;
  title: string;
  kind: string;
  content: string;
  question: string | null;
  score: number;
};

async function keywordSearch(tx: Tx, query: string, k: number): Promise<Passage[]> {
  const q = orQuery(query);
  if (!q) return [];
  const found = await rows<PassageRow>(
    tx,
    sql`
    WITH q AS (SELECT to_tsquery('simple', ${q}) AS tsq)
    (SELECT f.id AS source_id, NULL::uuid AS chunk_id, f.question AS title, 'faq' AS kind,
            f.answer AS content, f.question AS question,
            ts_rank(to_tsvector('simple', f.question || ' ' || f.answer), q.tsq)::float8 AS score
       FROM faq_items f, q
      WHERE f.is_active AND to_tsvector('simple', f.question || ' ' || f.answer) @@ q.tsq)
    UNION ALL
    (SELECT c.source_id, c.id, s.title, s.kind, c.content, NULL, ts_rank(c.tsv, q.tsq)::float8
       FROM knowledge_chunks c JOIN knowledge_sources s ON s.id = c.source_id, q
      WHERE s.is_active AND c.tsv @@ q.tsq)
    ORDER BY score DESC
    LIMIT ${k}`,
  );
  return found.map((r) => ({
    sourceId: r.source_id,
    ...(r.chunk_id ? { chunkId: r.chunk_id } : {}),
    title: r.title,
    kind: r.kind,
    content: r.content,
    ...(r.question ? { question: r.question } : {}),
    score: Number(r.score),
  }));
}

/** Keyword search over the tenant's FAQ items and knowledge chunks, in the tenant's context. */
export const keywordRetriever: Retriever = {
  retrieve: (platform, tenantId, query, options = {}) =>
    withTenant(platform.db, tenantId, (tx) => keywordSearch(tx, query, options.k ?? 5)),
};
