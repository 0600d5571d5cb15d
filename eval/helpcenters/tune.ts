/**
 * `npx tsx eval/helpcenters/tune.ts [--typos | --vector-weight] [--corpora=a,b]`: the grid search behind the ranking parameters (BM25 and
 * FUSION in src/domains/knowledge), on the DEV split of every corpus only. `--vector-weight`
 * varies hybrid's vector weight alone, for another embedder than the offline one
 * (`FRONTDESK_EMBEDDINGS=openai FRONTDESK_EMBEDDINGS_URL=… npx tsx eval/helpcenters/tune.ts --vector-weight`). Prints the mean dev
 * recall@5, recall@10 and MRR@10 of hybrid search for each setting, best first. The test split is
 * never read here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { freshDatabase } from '../../bench/lib/engines.js';
import { BM25 } from '../../src/domains/knowledge/bm25.js';
import { createSources } from '../../src/domains/knowledge/ingest.js';
import { FUSION } from '../../src/domains/knowledge/rank.js';
import { searchKnowledge } from '../../src/domains/knowledge/search.js';
import { knowledgeSources } from '../../src/domains/knowledge/tables.js';
import { createTenant } from '../../src/domains/tenancy/service.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { openPipeline } from '../lib/pipeline.js';

const ROOT = new URL('./', import.meta.url);
const only = process.argv.find((a) => a.startsWith('--corpora='))?.slice('--corpora='.length).split(',');
const corpora = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && (!only || only.includes(d.name)))
  .map((d) => d.name);
const target = await freshDatabase('pglite', '');
// The embedder is the configured one (offline unless FRONTDESK_EMBEDDINGS says otherwise), as in run.ts.
const p = await openPipeline(target.db, process.env);
const sets: Array<{
  tenantId: string;
  slugOf: Map<string, string>;
  dev: Array<{ question: string; relevant: string[] }>;
}> = [];
for (const corpus of corpora) {
  const dir = new URL(`${corpus}/`, ROOT);
  const files = readdirSync(new URL('articles/', dir)).filter((f) => f.endsWith('.md'));
  const tenant = await createTenant(target.db, { slug: `tune-${corpus}`.slice(0, 40), name: corpus });
  await createSources(
    p,
    tenant.id,
    files.map((f) => ({
      kind: 'file' as const,
      fileName: f,
      bytes: readFileSync(new URL(`articles/${f}`, dir)),
    })),
  );
  await p.jobs.drain();
  const stored = await withTenant(p.db, tenant.id, (tx) =>
    tx.select({ id: knowledgeSources.id, fileName: knowledgeSources.fileName }).from(knowledgeSources),
  );
  const { questions } = JSON.parse(readFileSync(new URL('questions.json', dir), 'utf8'));
  sets.push({
    tenantId: tenant.id,
    slugOf: new Map(stored.map((s) => [s.id, s.fileName!.replace(/\.md$/, '')])),
    dev: questions.filter(
      (q: { split: string; relevant: string[] }) => q.split === 'dev' && q.relevant.length,
    ),
  });
}

async function measure() {
  const per: number[][] = [];
  for (const s of sets) {
    const m = [0, 0, 0];
    for (const q of s.dev) {
      const res = await searchKnowledge(p, s.tenantId, { query: q.question, k: 10, mode: 'hybrid' });
      const ranked = res.results.map((r) => s.slugOf.get(r.sourceId)!);
      const at = (k: number) =>
        q.relevant.filter((r) => ranked.slice(0, k).includes(r)).length / q.relevant.length;
      const first = ranked.findIndex((x) => q.relevant.includes(x));
      m[0]! += at(5) / s.dev.length;
      m[1]! += at(10) / s.dev.length;
      m[2]! += (first < 0 ? 0 : 1 / (first + 1)) / s.dev.length;
    }
    per.push(m);
  }
  return [0, 1, 2].map((i) => per.reduce((a, m) => a + m[i]!, 0) / per.length);
}

// The ranking grid (run first; its output is eval/results/helpcenters-tune.txt), then the
// typo-correction grid at the chosen ranking parameters (`--typos`).
const results: Array<{ setting: Record<string, number>; m: number[] }> = [];
if (process.argv.includes('--vector-weight')) {
  for (const vectorWeight of [0, 0.15, 0.25, 0.4, 0.55, 0.7]) {
    Object.assign(FUSION, { vectorWeight });
    results.push({ setting: { vectorWeight }, m: await measure() });
  }
} else if (process.argv.includes('--typos')) {
  for (const typoMinSimilarity of [0.35, 0.4, 0.45, 0.5])
    for (const typoDiscount of [0.6, 0.8, 1.0]) {
      Object.assign(BM25, { typoMinSimilarity, typoDiscount });
      results.push({ setting: { typoMinSimilarity, typoDiscount }, m: await measure() });
    }
} else {
  const grid = {
    titleBoost: [0.3, 0.6, 1.0],
    headingBoost: [0.15, 0.3, 0.6],
    vectorWeight: [0.15, 0.25, 0.4],
    secondPassage: [0, 0.3, 0.6],
    b: [0.5, 0.75],
  };
  for (const titleBoost of grid.titleBoost)
    for (const headingBoost of grid.headingBoost)
      for (const vectorWeight of grid.vectorWeight)
        for (const secondPassage of grid.secondPassage)
          for (const b of grid.b) {
            Object.assign(BM25, { titleBoost, headingBoost, b });
            Object.assign(FUSION, { vectorWeight, secondPassage });
            const m = await measure();
            results.push({ setting: { titleBoost, headingBoost, vectorWeight, secondPassage, b }, m });
          }
}
results.sort((a, b) => b.m[0]! + b.m[1]! + b.m[2]! - (a.m[0]! + a.m[1]! + a.m[2]!));
for (const r of results.slice(0, 15)) {
  console.log(r.m.map((x) => x.toFixed(3)).join(' '), JSON.stringify(r.setting));
}
await p.jobs.stop();
await target.drop();
