/**
 * `npm run eval:helpcenters [-- --engine pglite|postgres] [--fit]`: answers that hold up on real
 * public help centers (eval/helpcenters/<corpus>/: articles, customer-worded questions with the
 * articles that answer them, and questions no article answers; docs/knowledge-eval.md).
 *
 * For each corpus: a fresh tenant; every article uploaded as a Markdown file through the real
 * pipeline (createSources, the ingestion jobs); then per question and split (dev, test):
 * - every Frontdesk search mode (k = 10) and, over the same files, a reference BM25 from a
 *   well-known library (wink-bm25-text-search with wink-nlp-utils' stop words and Porter
 *   stemmer, whole articles): recall@5, recall@10 and MRR@10 at article level (a result counts
 *   when its source is an article marked relevant);
 * - the responder's decision with default settings (the knowledge retriever, the configured chat
 *   provider — offline unless FRONTDESK_CHAT says otherwise —, `answerConfidence`, an agent's
 *   default policy): sent (with a correct citation or
 *   not), drafted or handed off; and the answer-or-decline AUC of its confidence.
 * Rules are tuned on dev only; the test split is what docs/knowledge-eval.md reports.
 * `--fit` also fits the confidence weights by logistic regression on dev and prints them.
 * `--held-out` asks each answerable dev question again with its articles switched off and
 * compares the confidence fitted with those negatives to the one fitted without.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { freshDatabase } from '../../bench/lib/engines.js';
import { answerQuestion } from '../../src/domains/ai/responder/answer.js';
import { CONFIDENCE_WEIGHTS, features } from '../../src/domains/ai/responder/confidence.js';
import type { Evidence } from '../../src/domains/knowledge/rank.js';
import { responderDeps } from '../../src/domains/ai/responder/deps.js';
import { gateAnswer, policyOf } from '../../src/domains/ai/responder/policy.js';
import { createSources } from '../../src/domains/knowledge/ingest.js';
import { SEARCH_MODES, searchKnowledge } from '../../src/domains/knowledge/search.js';
import { knowledgeSources } from '../../src/domains/knowledge/tables.js';
import { createTenant } from '../../src/domains/tenancy/service.js';
import type { Engine } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { openPipeline } from '../lib/pipeline.js';
import { auc, fitLogistic, linear } from './stats.js';

const require = createRequire(import.meta.url);
const bm25 = require('wink-bm25-text-search');
const nlp = require('wink-nlp-utils');

const ROOT = new URL('./', import.meta.url);
const SPLITS = ['dev', 'test'] as const;
type Split = (typeof SPLITS)[number];
const METHODS = [...SEARCH_MODES.map((m) => `frontdesk ${m}`), 'reference BM25 (wink)'];

interface Question {
  id: string;
  question: string;
  relevant: string[];
  split: Split;
}

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    fit: { type: 'boolean', default: false },
    'held-out': { type: 'boolean', default: false },
    corpus: { type: 'string' },
  },
});
const engine = values.engine as Engine;
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const corpora = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && (!values.corpus || d.name === values.corpus))
  .map((d) => d.name)
  .sort();

function load(corpus: string) {
  const dir = new URL(`${corpus}/`, ROOT);
  const articles = readdirSync(new URL('articles/', dir))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ slug: f.slice(0, -3), text: readFileSync(new URL(`articles/${f}`, dir), 'utf8') }));
  const { questions } = JSON.parse(readFileSync(new URL('questions.json', dir), 'utf8')) as {
    questions: Question[];
  };
  const slugs = new Set(articles.map((a) => a.slug));
  for (const q of questions) {
    for (const r of q.relevant) if (!slugs.has(r)) throw new Error(`${corpus} ${q.id}: no article ${r}`);
  }
  return { articles, questions };
}

/** The reference: wink's BM25 over whole articles, stop words removed, Porter-stemmed. */
function referenceBm25(articles: Array<{ slug: string; text: string }>) {
  const engine = bm25();
  engine.defineConfig({ fldWeights: { body: 1 } });
  engine.definePrepTasks([
    nlp.string.lowerCase,
    nlp.string.tokenize0,
    nlp.tokens.removeWords,
    nlp.tokens.stem,
    nlp.tokens.propagateNegations,
  ]);
  for (const [i, a] of articles.entries()) engine.addDoc({ body: a.text }, i);
  engine.consolidate();
  return (query: string, k: number): string[] =>
    (engine.search(query, k) as Array<[number, number]>).map(([i]) => articles[i]!.slug);
}

/** recall@5, recall@10 and the reciprocal rank of the first relevant article in a ranked list. */
function score(ranked: string[], relevant: string[]) {
  const recallAt = (k: number) =>
    relevant.filter((r) => ranked.slice(0, k).includes(r)).length / relevant.length;
  const first = ranked.slice(0, 10).findIndex((s) => relevant.includes(s));
  return { r5: recallAt(5), r10: recallAt(10), rr: first < 0 ? 0 : 1 / (first + 1) };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const defaultPolicy = policyOf(
  {
    autoReplyEnabled: true,
    confidenceThreshold: 0.7,
    quietHoursStart: null,
    quietHoursEnd: null,
    responseDelaySeconds: 0,
    escalationCategories: [],
    escalationConfig: {},
  },
  'UTC',
);

const t0 = performance.now();
const target = await freshDatabase(engine, serverUrl);
const p = await openPipeline(target.db, process.env);
const report: Record<string, unknown> = {};
const fitRows: Array<{ x: number[]; y: number; correct: boolean }> = [];
const heldOut: Array<{ corpus: string; id: string; evidence: unknown; text: boolean }> = [];

/**
 * The confidence fitted on dev's written questions, and on those plus the held-out negatives:
 * each split's answer/decline AUC under both (what `--held-out` is for: docs/knowledge-eval.md).
 */
function compareHeldOut() {
  const negatives = heldOut
    .filter((h) => h.evidence)
    .map((h) => ({ x: Object.values(features(h.evidence as Evidence)), y: 0 }));
  const fits = { 'dev questions': fitLogistic(fitRows), '+ held-out': fitLogistic([...fitRows, ...negatives]) };
  for (const [corpus, r] of Object.entries(report)) {
    const entries = (r as { perQuestion: Array<Record<string, unknown>> }).perQuestion;
    for (const split of SPLITS) {
      const scored = entries
        .filter((e) => e.split === split && (e.responder as { evidence?: Evidence }).evidence)
        .map((e) => ({
          y: e.answerable,
          x: Object.values(features((e.responder as { evidence: Evidence }).evidence)),
        }));
      const aucs = Object.entries(fits).map(([name, w]) => {
        const z = (x: number[]) => linear(w, x);
        const of = (y: boolean) => scored.filter((q) => q.y === y).map((q) => z(q.x));
        return `${name} ${auc(of(true), of(false)).toFixed(3)}`;
      });
      console.log(`held-out negatives, ${corpus} ${split}: AUC fitted on ${aucs.join(', ')}`);
    }
  }
}

/**
 * `--held-out`: each answerable dev question asked again with the articles that answer it
 * switched off (`is_active`), so that it is on topic and unanswered, as the hardest unanswerable
 * questions are. The evidence of each, for fitting the confidence on more negatives than the
 * dev split's few written ones (eval/results/helpcenters-held-out.json).
 */
async function heldOutNegatives(
  tenantId: string,
  corpus: string,
  questions: Question[],
  slugOf: Map<string, string>,
) {
  const idsOf = (slugs: string[]) => [...slugOf].filter(([, s]) => slugs.includes(s)).map(([id]) => id);
  const out: typeof heldOut = [];
  for (const q of questions.filter((x) => x.split === 'dev' && x.relevant.length > 0)) {
    const ids = idsOf(q.relevant);
    const toggle = (active: boolean) =>
      withTenant(p.db, tenantId, (tx) =>
        tx.update(knowledgeSources).set({ isActive: active }).where(inArray(knowledgeSources.id, ids)),
      );
    await toggle(false);
    try {
      const answer = await answerQuestion(p, responderDeps(p.config), tenantId, {
        question: q.question,
        history: [],
        systemPrompt: '',
        model: undefined,
      });
      out.push({ corpus, id: q.id, evidence: answer.evidence, text: Boolean(answer.text) });
    } finally {
      await toggle(true);
    }
  }
  return out;
}
try {
  for (const corpus of corpora) {
    const { articles, questions } = load(corpus);
    const tenant = await createTenant(target.db, { slug: `hc-${corpus}`.slice(0, 40), name: corpus });
    await createSources(
      p,
      tenant.id,
      articles.map((a) => ({ kind: 'file' as const, fileName: `${a.slug}.md`, bytes: Buffer.from(a.text) })),
    );
    await p.jobs.drain();
    const stored = await withTenant(p.db, tenant.id, (tx) =>
      tx
        .select({
          id: knowledgeSources.id,
          fileName: knowledgeSources.fileName,
          status: knowledgeSources.status,
        })
        .from(knowledgeSources),
    );
    const slugOf = new Map(stored.map((s) => [s.id, s.fileName!.replace(/\.md$/, '')]));
    const notReady = stored.filter((s) => s.status !== 'ready');
    if (notReady.length) throw new Error(`${corpus}: ${notReady.length} articles not ingested`);
    const reference = referenceBm25(articles);
    const perQuestion: Array<Record<string, unknown>> = [];
    for (const q of questions) {
      const entry: Record<string, unknown> = { id: q.id, split: q.split, answerable: q.relevant.length > 0 };
      if (q.relevant.length) {
        for (const mode of SEARCH_MODES) {
          const res = await searchKnowledge(p, tenant.id, { query: q.question, k: 10, mode });
          entry[`frontdesk ${mode}`] = score(
            res.results.map((r) => slugOf.get(r.sourceId)!),
            q.relevant,
          );
        }
        entry['reference BM25 (wink)'] = score(reference(q.question, 10), q.relevant);
      }
      const answer = await answerQuestion(
        p,
        responderDeps(p.config),
        tenant.id,
        { question: q.question, history: [], systemPrompt: '', model: undefined },
      );
      const gate = gateAnswer(defaultPolicy, answer);
      const cited = answer.citations.map((c) => slugOf.get(c.sourceId));
      entry.responder = {
        gate,
        confidence: answer.confidence,
        correctCitation: cited.some((s) => s && q.relevant.includes(s)),
        evidence: answer.evidence,
      };
      if (q.split === 'dev' && answer.evidence && answer.text) {
        fitRows.push({
          x: Object.values(features(answer.evidence)),
          y: q.relevant.length > 0 ? 1 : 0,
          correct: cited.some((s) => s && q.relevant.includes(s)),
        });
      }
      perQuestion.push(entry);
    }
    if (values['held-out']) heldOut.push(...(await heldOutNegatives(tenant.id, corpus, questions, slugOf)));
    const summary: Record<string, unknown> = {};
    for (const split of SPLITS) {
      const inSplit = perQuestion.filter((e) => e.split === split);
      const answerable = inSplit.filter((e) => e.answerable);
      const unanswerable = inSplit.filter((e) => !e.answerable);
      const methods = Object.fromEntries(
        METHODS.map((m) => {
          const s = answerable.map((e) => e[m] as ReturnType<typeof score>);
          return [
            m,
            {
              recallAt5: r3(mean(s.map((x) => x.r5))),
              recallAt10: r3(mean(s.map((x) => x.r10))),
              mrrAt10: r3(mean(s.map((x) => x.rr))),
            },
          ];
        }),
      );
      type R = { gate: string; confidence: number; correctCitation: boolean };
      const resp = (e: Record<string, unknown>) => e.responder as R;
      summary[split] = {
        answerable: answerable.length,
        unanswerable: unanswerable.length,
        methods,
        answerDeclineAuc: r3(
          auc(
            answerable.map((e) => resp(e).confidence),
            unanswerable.map((e) => resp(e).confidence),
          ),
        ),
        responder: {
          answerableSentCorrect: r3(
            mean(answerable.map((e) => (resp(e).gate === 'send' && resp(e).correctCitation ? 1 : 0))),
          ),
          answerableSentWrong: r3(
            mean(answerable.map((e) => (resp(e).gate === 'send' && !resp(e).correctCitation ? 1 : 0))),
          ),
          answerableDrafted: r3(mean(answerable.map((e) => (resp(e).gate === 'draft' ? 1 : 0)))),
          unanswerableSent: r3(mean(unanswerable.map((e) => (resp(e).gate === 'send' ? 1 : 0)))),
        },
      };
    }
    report[corpus] = { articles: articles.length, questions: questions.length, summary, perQuestion };
    for (const split of SPLITS) {
      const s = summary[split] as {
        answerable: number;
        unanswerable: number;
        methods: Record<string, { recallAt5: number; recallAt10: number; mrrAt10: number }>;
        answerDeclineAuc: number;
        responder: Record<string, number>;
      };
      console.log(`\n${corpus} · ${split} (${s.answerable} answerable, ${s.unanswerable} unanswerable)`);
      console.log('| method | recall@5 | recall@10 | MRR@10 |\n|---|---:|---:|---:|');
      for (const [m, v] of Object.entries(s.methods)) {
        console.log(
          `| ${m} | ${v.recallAt5.toFixed(3)} | ${v.recallAt10.toFixed(3)} | ${v.mrrAt10.toFixed(3)} |`,
        );
      }
      console.log(
        `answer/decline AUC ${s.answerDeclineAuc.toFixed(3)} · responder: answerable sent with a correct citation ${s.responder.answerableSentCorrect}, sent citing a wrong article ${s.responder.answerableSentWrong}, drafted ${s.responder.answerableDrafted}; unanswerable sent ${s.responder.unanswerableSent}`,
      );
    }
  }
  if (values.fit) {
    const w = fitLogistic(fitRows);
    // The operating point: the lowest cut at which at most 10% of dev's unanswerable questions
    // would be sent; the bias then moves so that this cut is the default threshold (0.7).
    const z = (x: number[]) => linear(w, x);
    const negatives = fitRows
      .filter((r) => r.y === 0)
      .map((r) => z(r.x))
      .sort((a, b) => b - a);
    const allowed = Math.floor(0.1 * negatives.length);
    const cut = (negatives[allowed] ?? Number.NEGATIVE_INFINITY) + 1e-6;
    const sentCorrect = fitRows.filter((r) => r.y === 1 && r.correct && z(r.x) >= cut).length;
    w[0] = w[0]! - cut + Math.log(0.7 / 0.3);
    const keys = Object.keys(CONFIDENCE_WEIGHTS);
    console.log('\nlogistic fit on dev:', Object.fromEntries(keys.map((k, i) => [k, r3(w[i]!)])));
    console.log(
      `dev at the default threshold: ${sentCorrect}/${fitRows.filter((r) => r.y === 1).length} answerable sent with a correct citation, ${allowed}/${negatives.length} unanswerable sent`,
    );
  }
  if (values['held-out']) {
    compareHeldOut();
    writeFileSync(
      new URL('../results/helpcenters-held-out.json', ROOT),
      `${JSON.stringify({ engine, ranAt: new Date().toISOString(), heldOut }, null, 1)}\n`,
    );
  }
  const path = new URL(`../results/helpcenters${engine === 'pglite' ? '' : `-${engine}`}.json`, ROOT);
  writeFileSync(
    path,
    `${JSON.stringify({ engine, ranAt: new Date().toISOString(), corpora: report }, null, 1)}\n`,
  );
  console.log(
    `\n${corpora.length} corpora on ${engine}; ${((performance.now() - t0) / 1000).toFixed(1)}s; eval/${path.pathname.split('/eval/')[1]}`,
  );
} finally {
  await p.jobs.stop();
  await target.drop();
}
