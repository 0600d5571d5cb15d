// Tier measurements behind docs/knowledge-search.md (run: see that page). Exact-scan latency per
// tenant size, HNSW build time, ANN latency and recall@10 against exact, on the database that
// scripts/kb-tiers/load.sql fills (first argument, default postgres://postgres@127.0.0.1:5432/kbmeasure).
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { prepareAnn, vectorQuery } from '../../src/domains/knowledge/search.js';
import { ensureTier } from '../../src/domains/knowledge/tiers.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase, rows } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';

const db = await openDatabase({
  engine: 'postgres',
  url: process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/kbmeasure',
});
const p = {
  db,
  logger: createLogger('silent'),
  clock: systemClock,
  config: loadConfig({ FRONTDESK_KB_ANN_THRESHOLD: '20000' }),
};
const tenants = await db.query<{ id: string; n: number }>(
  `select id, n::int from (select id, row_number() over (order by slug) n from tenants) x where n in (1, 5, 500)`,
);
const byN = Object.fromEntries(tenants.map((t) => [t.n, t.id]));
const pct = (xs: number[], q: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!.toFixed(1);
async function queries(tenantId: string, count: number): Promise<number[][]> {
  const vs = await db.query<{ v: string }>(
    `select embedding::text v from knowledge_chunks where tenant_id = $1 order by random() limit ${count}`,
    [tenantId],
  );
  // A question near a passage: the passage's vector plus noise of similar size.
  return vs.map(({ v }) => (JSON.parse(v) as number[]).map((x) => x + (Math.random() - 0.5) * 0.6));
}
async function run(tenantId: string, tier: 'exact' | 'ann', qs: number[][], ef?: number) {
  const times: number[] = [];
  const results: string[][] = [];
  for (const q of qs) {
    const t0 = performance.now();
    const r = await withTenant(db, tenantId, async (tx) => {
      if (tier === 'ann') {
        await prepareAnn(tx, 10);
        if (ef) await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${ef}`));
      }
      return rows<{ chunk_id: string }>(
        tx,
        vectorQuery({ tenantId, model: 'm384', vector: q, tier, n: 10, input: { query: '' } }),
      );
    });
    times.push(performance.now() - t0);
    results.push(r.map((x) => x.chunk_id));
  }
  return { times, results };
}
console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
for (const [n, label] of [
  [500, 'small (130 chunks)'],
  [5, 'medium (5,000)'],
  [1, 'large (24,000)'],
] as const) {
  const qs = await queries(byN[n]!, 40);
  await run(byN[n]!, 'exact', qs.slice(0, 5));
  const e = await run(byN[n]!, 'exact', qs);
  console.log(`${label} exact: p50 ${pct(e.times, 0.5)} ms p99 ${pct(e.times, 0.99)} ms`);
  if (n === 1) {
    const t0 = performance.now();
    await ensureTier(p, byN[1]!, 'm384');
    console.log(
      `HNSW build (24,000 × 384, m=16, ef_construction=64): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const ef of [40, 100, 200]) {
      await run(byN[1]!, 'ann', qs.slice(0, 5), ef);
      const a = await run(byN[1]!, 'ann', qs, ef);
      let hit = 0;
      a.results.forEach((r, i) => {
        hit += r.filter((x) => e.results[i]!.includes(x)).length;
      });
      console.log(
        `large ann ef_search=${ef}: p50 ${pct(a.times, 0.5)} ms p99 ${pct(a.times, 0.99)} ms recall@10 ${(hit / (10 * qs.length)).toFixed(3)}`,
      );
    }
  }
}
console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
await db.close();
