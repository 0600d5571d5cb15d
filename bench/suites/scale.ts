/**
 * `scale`: the single-box ceiling. Loads 10,000 tenants and 10 million messages (bench/lib/
 * scale-data.ts: set-based SQL, a few minutes) into a fresh database on the PostgreSQL server,
 * then measures, through the real HTTP stack (API keys, RLS, audit, as bench/suites/api.ts does),
 * a conversation list page, a message list page, a message create and a knowledge search
 * (vector mode, the offline embedder) for the largest tenant and a median one, against the same
 * operations on a small database (100 tenants, 20,000 messages) in alternating rounds: the ratio
 * large ÷ small is what the size costs. Then the same on the Citus cluster (coordinator at
 * BENCH_CITUS_URL, default postgres://postgres@127.0.0.1:9700/postgres; start it with
 * scripts/citus-cluster.sh start), when it answers.
 *
 * Sizes: the full size times `--scale`, at each of the steps in BENCH_SCALE_STEPS (fractions of
 * it, default "0.1,1": 1 million messages, then 10 million), each in its own fresh database
 * (dropped after; BENCH_KEEP=1 keeps them). BENCH_CITUS=0 skips the cluster, BENCH_SERVER=0 the
 * server; BENCH_CITUS_SHARDS
 * sets its shard count (default 32, Citus' own). Besides latencies, each step records the load
 * time, table and index sizes, the plans PostgreSQL chose for the list queries (as the request
 * role, with RLS), the buffer cache hit ratio during the run and pg-boss's tables.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createApp } from '../../src/app.js';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import { type Database, type Engine, openDatabase } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { listen } from '../../src/server.js';
import { type BenchDatabase, freshCitusDatabase, freshDatabase } from '../lib/engines.js';
import { load } from '../lib/http-load.js';
import { RESULTS_DIR } from '../lib/report.js';
import {
  loadScaleData,
  MESSAGES_PER_CONVERSATION,
  relationSizes,
  type ScaleSize,
} from '../lib/scale-data.js';
import { summarize } from '../lib/stats.js';

const FULL: ScaleSize = { tenants: 10_000, messages: 10_000_000 };
const SMALL: ScaleSize = { tenants: 100, messages: 20_000 };
const CONCURRENCY = 4;
const ROUNDS = 6;
const PER_ROUND = 50;
const WARMUP = 40;
const OPS = ['listConversations', 'listMessages', 'createMessage', 'knowledgeSearch'] as const;
type Op = (typeof OPS)[number];
type TenantClass = 'largest' | 'median';

interface Target {
  tenantId: string;
  conversations: string[];
  auth: Record<string, string>;
}

/** A loaded database served by the full app, with a large and a median tenant to act as. */
interface Served {
  bench: BenchDatabase;
  url: string;
  close(): Promise<void>;
  targets: Record<TenantClass, Target>;
}

async function serve(bench: BenchDatabase): Promise<Served> {
  const db = bench.db;
  const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_tenant');
  const targets = {} as Record<TenantClass, Target>;
  for (const [cls, idx] of [
    ['largest', 0],
    ['median', Math.floor(n!.n / 2)],
  ] as const) {
    const [t] = await db.query<{ tenant_id: string }>(
      'SELECT tenant_id::text FROM bench_tenant WHERE idx = $1',
      [idx],
    );
    const tenantId = t!.tenant_id;
    const convs = await db.query<{ id: string }>(
      'SELECT id::text FROM conversations WHERE tenant_id = $1 ORDER BY md5(id::text) LIMIT 200',
      [tenantId],
    );
    const { key } = await withTenant(db, tenantId, (tx) =>
      createApiKey(tx, tenantId, { name: 'bench', role: 'admin' }),
    );
    targets[cls] = {
      tenantId,
      conversations: convs.map((c) => c.id),
      auth: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    };
  }
  const server = await listen(createApp({ db, logger: createLogger('silent') }), '127.0.0.1', 0);
  return { bench, url: server.url, close: () => server.close(), targets };
}

function request(s: Served, cls: TenantClass, op: Op, i: number): Promise<Response> {
  const t = s.targets[cls];
  const conv = t.conversations[i % t.conversations.length]!;
  const headers = t.auth;
  switch (op) {
    case 'listConversations':
      return fetch(`${s.url}/v1/conversations?limit=20`, { headers });
    case 'listMessages':
      return fetch(`${s.url}/v1/conversations/${conv}/messages?limit=20`, { headers });
    case 'createMessage':
      return fetch(`${s.url}/v1/conversations/${conv}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ role: 'agent', content: `Bench reply ${i}: your order ships tomorrow.` }),
      });
    case 'knowledgeSearch':
      return fetch(`${s.url}/v1/knowledge/search`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: `when does order ${i} arrive`, k: 10, mode: 'vector' }),
      });
  }
}

/** Each operation and tenant class on `big` and `small`, rounds alternating between them. */
async function measure(big: Served, small: Served) {
  const out: Record<string, unknown> = {};
  for (const cls of ['largest', 'median'] as const) {
    for (const op of OPS) {
      for (const s of [small, big])
        await load((i) => request(s, cls, op, i), WARMUP, { concurrency: CONCURRENCY });
      const samples = { big: [] as number[], small: [] as number[] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const which of (r % 2 ? ['small', 'big'] : ['big', 'small']) as ('big' | 'small')[]) {
          const s = which === 'big' ? big : small;
          const run = await load((i) => request(s, cls, op, r * PER_ROUND + i + WARMUP), PER_ROUND, {
            concurrency: CONCURRENCY,
          });
          samples[which].push(...run.samples);
        }
      }
      const b = summarize(samples.big);
      const sm = summarize(samples.small);
      out[`${cls}.${op}`] = {
        large: b,
        small: sm,
        p50Ratio: +(b.p50 / sm.p50).toFixed(2),
        p99Ratio: +(b.p99 / sm.p99).toFixed(2),
      };
    }
  }
  return out;
}

/** Node types, index names and (on Citus) task counts of a plan, in plan order. */
function planSummary(plan: unknown): string {
  const parts: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (typeof o['Node Type'] === 'string') {
      const name = o['Index Name'] ? ` using ${o['Index Name']}` : '';
      parts.push(`${o['Custom Plan Provider'] ?? o['Node Type']}${name}`);
    }
    if (typeof o['Task Count'] === 'number') parts.push(`${o['Task Count']} task(s)`);
    for (const v of Object.values(o)) walk(v);
  };
  walk(plan);
  return parts.join(' > ');
}

/** The plans of the list queries as the app sends them, as the request role with the tenant set. */
async function plans(db: Database, t: Target) {
  const explain = (sql: string, params: unknown[]) =>
    db.transaction(async (conn) => {
      await conn.query('SELECT frontdesk_enter_tenant($1)', [t.tenantId]);
      const [row] = await conn.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      return planSummary(row!['QUERY PLAN']);
    });
  return {
    listConversations: await explain(
      'SELECT * FROM conversations WHERE tenant_id = $1 ORDER BY id DESC LIMIT 21',
      [t.tenantId],
    ),
    listMessages: await explain(
      'SELECT * FROM messages WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY id LIMIT 21',
      [t.tenantId, t.conversations[0]],
    ),
  };
}

async function cacheCounters(db: Database) {
  const [r] = await db.query<{ hit: string; read: string }>(
    'SELECT blks_hit AS hit, blks_read AS read FROM pg_stat_database WHERE datname = current_database()',
  );
  return { hit: Number(r!.hit), read: Number(r!.read) };
}

async function pgBoss(db: Database) {
  const [exists] = await db.query<{ t: string | null }>("SELECT to_regclass('pgboss.job')::text AS t");
  if (!exists?.t) return { installed: false };
  const [r] = await db.query<{ jobs: number; mib: number }>(
    `SELECT (SELECT count(*)::int FROM pgboss.job) AS jobs,
            (SELECT round(sum(pg_total_relation_size(c.oid)) / 1048576.0)::int FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pgboss' AND c.relkind = 'r') AS mib`,
  );
  return { installed: true, jobs: r!.jobs, mib: r!.mib };
}

/** One engine: the small database, then each step's large one, loaded, measured and dropped. */
async function runOn(kind: 'server' | 'citus', url: string, sizes: ScaleSize[]) {
  const citus = kind === 'citus';
  const fresh = () => (citus ? freshCitusDatabase(url) : freshDatabase('postgres', url));
  const smallDb = await fresh();
  let small: Served | undefined;
  const steps: unknown[] = [];
  try {
    const smallLoad = await loadScaleData(smallDb.db, SMALL, citus);
    const [sb] = await smallDb.db.query<{ v: string }>("SELECT current_setting('shared_buffers') AS v");
    small = await serve(smallDb);
    for (const size of sizes) {
      process.stdout.write(`\n  ${kind}: ${size.tenants} tenants, ${size.messages} messages … `);
      const bigDb = await fresh();
      let big: Served | undefined;
      try {
        const loadAverageAtStart = loadavg()[0]!;
        const loadSeconds = await loadScaleData(bigDb.db, size, citus);
        big = await serve(bigDb);
        const before = await cacheCounters(bigDb.db);
        const results = await measure(big, small);
        const after = await cacheCounters(bigDb.db);
        const reads = after.read - before.read;
        const [counts] = await bigDb.db.query<{ c: number; m: number }>(
          'SELECT (SELECT count(*)::int FROM conversations) AS c, (SELECT count(*)::int FROM messages) AS m',
        );
        steps.push({
          size: { ...size, conversations: counts!.c, messagesLoaded: counts!.m },
          loadSeconds,
          sizesMiB: await relationSizes(bigDb.db, citus),
          plans: {
            largest: await plans(bigDb.db, big.targets.largest),
            median: await plans(bigDb.db, big.targets.median),
          },
          // On Citus the coordinator's counters: the shards' reads happen on the workers.
          bufferCacheHitRatio: +(
            (after.hit - before.hit) /
            Math.max(1, after.hit - before.hit + reads)
          ).toFixed(4),
          pgBoss: await pgBoss(bigDb.db),
          results,
          loadAverage: { start: +loadAverageAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
        });
      } finally {
        await big?.close();
        await bigDb.drop();
      }
    }
    return { small: { ...SMALL, loadSeconds: smallLoad }, sharedBuffers: sb?.v, steps };
  } finally {
    await small?.close();
    await smallDb.drop();
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const db = await openDatabase({ engine: 'postgres', url, poolSize: 1 });
    try {
      const [r] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'",
      );
      return r!.n > 0;
    } finally {
      await db.close();
    }
  } catch {
    return false;
  }
}

/**
 * A target left out of this run (BENCH_SERVER=0, BENCH_CITUS=0) keeps the figures of the last run
 * that measured it, marked with that run's date, so one target can be re-measured alone (the
 * full suite takes most of an hour on a 2-core machine) without losing the other's figures.
 */
function carriedOver(kind: 'server' | 'citus', why: string): Record<string, unknown> {
  try {
    const previous = JSON.parse(readFileSync(`${RESULTS_DIR}/scale.json`, 'utf8'));
    const figures = previous.engines?.postgres?.[kind];
    if (figures?.steps) return { ...figures, measuredAt: figures.measuredAt ?? previous.ranAt };
  } catch {
    // no earlier results: say it was skipped
  }
  return { skipped: why };
}

export async function scaleSuite(engine: Engine, serverUrl: string, { scale }: { scale: number }) {
  if (engine !== 'postgres')
    return { skipped: 'the scale suite runs on a PostgreSQL server and a Citus cluster' };
  const fractions = (process.env.BENCH_SCALE_STEPS ?? '0.1,1').split(',').map(Number);
  const sizes = fractions.map((f) => ({
    tenants: Math.max(10, Math.round(FULL.tenants * f * scale)),
    messages: Math.max(10 * MESSAGES_PER_CONVERSATION, Math.round(FULL.messages * f * scale)),
  }));
  const result: Record<string, unknown> = {
    sizes,
    server:
      process.env.BENCH_SERVER === '0'
        ? carriedOver('server', 'BENCH_SERVER=0')
        : await runOn('server', serverUrl, sizes),
  };
  const citusUrl = process.env.BENCH_CITUS_URL ?? 'postgres://postgres@127.0.0.1:9700/postgres';
  if (process.env.BENCH_CITUS === '0') result.citus = carriedOver('citus', 'BENCH_CITUS=0');
  else if (!(await answers(citusUrl))) result.citus = { skipped: `no Citus coordinator at ${citusUrl}` };
  else {
    // A failure at some size is a finding: recorded with the server's figures, not thrown away.
    try {
      result.citus = await runOn('citus', citusUrl, sizes);
    } catch (error) {
      console.error(error);
      result.citus = { failed: (error as Error).message };
    }
  }
  return result;
}
