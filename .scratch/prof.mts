import { openPipeline } from '/work/main/eval/lib/pipeline.js';
import { searchKnowledge } from '/work/main/src/domains/knowledge/search.js';
import { openDatabase } from '/work/main/src/platform/db/database.js';
const db = await openDatabase({ engine: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${process.argv[2]}`, poolSize: 2 });
const p = await openPipeline(db, { FRONTDESK_KB_ANN_THRESHOLD: '6000' });
const [{ tenant_id }] = await db.query<{ tenant_id: string }>(`SELECT tenant_id::text FROM bench_plan ORDER BY size DESC LIMIT 1`);
for (const q of [process.argv[3] ?? 'which passage 1234 of the bench tenant']) {
  const ts: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await searchKnowledge(p, tenant_id, { query: q.replace('1234', String(1000 + i * 37)), k: 10, mode: 'keyword' });
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  console.log(q, 'p50', ts[15].toFixed(1), 'max', ts[29].toFixed(1));
}
await p.jobs.stop(); await db.close();
