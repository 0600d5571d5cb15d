/**
 * `npm run eval [-- --engine pglite|postgres]`: retrieval quality of the knowledge base on the
 * evaluation set (eval/kb, docs/knowledge-eval.md).
 *
 * A fresh migrated database; one tenant per demo product; each document uploaded as a Markdown
 * file through the real pipeline (createSource, then the ingestion jobs); every question asked
 * in every search mode. A result is relevant when its [startOffset, endOffset) span in the
 * source's stored content overlaps a quote's span there. Prints recall@5, recall@10 and MRR per
 * mode (overall and per tenant) and writes eval/results/kb.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freshDatabase, machine } from '../bench/lib/engines.js';
import { createSource } from '../src/domains/knowledge/ingest.js';
import { SEARCH_MODES, type SearchMode, searchKnowledge } from '../src/domains/knowledge/search.js';
import { knowledgeSources } from '../src/domains/knowledge/tables.js';
import { createTenant } from '../src/domains/tenancy/service.js';
import type { Engine } from '../src/platform/db/database.js';
import { withTenant } from '../src/platform/db/tenant.js';
import { type EvalDocument, loadEvalSet, TENANTS, validateEvalSet } from './lib/eval-set.js';
import { locateQuote } from './lib/locate.js';
import { type QuestionScore, type Span, scoreQuestion, summarizeScores } from './lib/metrics.js';
import { openPipeline, type Pipeline } from './lib/pipeline.js';

const KS = [5, 10] as const;
const DEPTH = Math.max(...KS);
const RESULTS = new URL('./results/', import.meta.url);

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'pglite' } } });
const engine = values.engine as Engine;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const set = loadEvalSet();
const problems = validateEvalSet(set);
if (problems.length) {
  console.error(`eval: the evaluation set is broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

/** Uploads a tenant's documents and runs the ingestion; returns each document's source id and stored text. */
async function ingest(p: Pipeline, tenantId: string, docs: EvalDocument[]) {
  const ids = new Map<string, string>();
  for (const doc of docs) {
    const source = await createSource(p, tenantId, {
      kind: 'file',
      fileName: doc.file,
      bytes: Buffer.from(doc.text),
      tags: ['eval'],
    });
    ids.set(doc.file, source.id);
  }
  await p.jobs.drain();
  const stored = await withTenant(p.db, tenantId, (tx) =>
    tx
      .select({
        id: knowledgeSources.id,
        status: knowledgeSources.status,
        error: knowledgeSources.error,
        content: knowledgeSources.content,
        chunks: knowledgeSources.chunkCount,
      })
      .from(knowledgeSources),
  );
  const byId = new Map(stored.map((s) => [s.id, s]));
  const sources = new Map<string, { id: string; content: string; chunks: number }>();
  for (const [file, id] of ids) {
    const s = byId.get(id);
    if (s?.status !== 'ready' || s.content === null) {
      throw new Error(`eval: ${file} was not ingested (${s?.status ?? 'missing'}: ${s?.error ?? ''})`);
    }
    sources.set(file, { id, content: s.content, chunks: s.chunks });
  }
  return sources;
}

const t0 = performance.now();
const target = await freshDatabase(engine, serverUrl);
const p = await openPipeline(target.db);
const scores: Record<SearchMode, Array<QuestionScore & { tenant: string }>> = {
  vector: [],
  keyword: [],
  hybrid: [],
};
const perQuestion: Array<{
  tenant: string;
  question: string;
  firstRelevantRank: Record<SearchMode, number | null>;
}> = [];
let chunkCount = 0;
let inexactQuotes = 0;
let resultsWithoutOffsets = 0;
try {
  for (const slug of TENANTS) {
    const tenant = await createTenant(target.db, { slug, name: slug });
    const sources = await ingest(
      p,
      tenant.id,
      set.documents.filter((d) => d.tenant === slug),
    );
    for (const s of sources.values()) chunkCount += s.chunks;
    for (const q of set.questions.filter((x) => x.tenant === slug)) {
      const relevant: Span[] = q.relevant.map((r) => {
        const source = sources.get(r.doc)!;
        const at = locateQuote(source.content, r.quote);
        if (!at) throw new Error(`eval: the quote is not in the stored text of ${r.doc}: ${r.quote}`);
        if (!at.exact) inexactQuotes++;
        return { sourceKey: source.id, start: at.start, end: at.end };
      });
      const ranks = {} as Record<SearchMode, number | null>;
      for (const mode of SEARCH_MODES) {
        const res = await searchKnowledge(p, tenant.id, { query: q.question, k: DEPTH, mode });
        const spans = res.results.map((r) => {
          if (r.startOffset === null || r.endOffset === null) resultsWithoutOffsets++;
          return { sourceKey: r.sourceId, start: r.startOffset ?? -1, end: r.endOffset ?? -1 };
        });
        const score = scoreQuestion(spans, relevant, KS);
        scores[mode].push({ ...score, tenant: slug });
        ranks[mode] = score.firstRelevantRank;
      }
      perQuestion.push({ tenant: slug, question: q.question, firstRelevantRank: ranks });
    }
  }
} finally {
  await p.jobs.stop();
  await target.drop();
}

const overall = Object.fromEntries(SEARCH_MODES.map((m) => [m, summarizeScores(scores[m], KS)]));
const perTenant = Object.fromEntries(
  TENANTS.map((t) => [
    t,
    Object.fromEntries(
      SEARCH_MODES.map((m) => [
        m,
        summarizeScores(
          scores[m].filter((s) => s.tenant === t),
          KS,
        ),
      ]),
    ),
  ]),
);
/** The winner: best recall@5 (what a reply built on the top five passages can cite), then MRR. */
const winner = [...SEARCH_MODES].sort(
  (a, b) => overall[b]!.recall[5]! - overall[a]!.recall[5]! || overall[b]!.mrr - overall[a]!.mrr,
)[0]!;

const fmt = (x: number) => x.toFixed(3);
const lines = ['| tenant | mode | recall@5 | recall@10 | MRR@10 |', '|---|---|---:|---:|---:|'];
for (const [tenant, byMode] of [['all', overall] as const, ...Object.entries(perTenant)]) {
  for (const m of SEARCH_MODES) {
    const s = byMode[m]!;
    lines.push(
      `| ${tenant} (${s.questions}) | ${m} | ${fmt(s.recall[5]!)} | ${fmt(s.recall[10]!)} | ${fmt(s.mrr)} |`,
    );
  }
}
console.log(lines.join('\n'));
console.log(
  `\n${set.questions.length} questions, ${set.documents.length} documents, ${chunkCount} chunks on ${engine}; ` +
    `winner (recall@5, then MRR): ${winner}; ${((performance.now() - t0) / 1000).toFixed(1)}s`,
);
if (inexactQuotes) console.log(`${inexactQuotes} quotes matched the stored text only up to whitespace`);
if (resultsWithoutOffsets)
  console.log(`${resultsWithoutOffsets} results had no offsets (counted as not relevant)`);

mkdirSync(RESULTS, { recursive: true });
writeFileSync(
  new URL('kb.json', RESULTS),
  `${JSON.stringify(
    {
      ranAt: new Date().toISOString(),
      machine: machine(),
      engine,
      embedder:
        p.config.embeddings.provider === 'offline'
          ? 'offline (frontdesk-hash-384)'
          : p.config.embeddings.model,
      dataset: { questions: set.questions.length, documents: set.documents.length, chunks: chunkCount },
      winner,
      overall,
      perTenant,
      perQuestion,
    },
    null,
    2,
  )}\n`,
);
console.log('results: eval/results/kb.json');
