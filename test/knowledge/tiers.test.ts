/**
 * Tiering and search isolation: with a tiny threshold, a tenant gets its own HNSW index (the ANN
 * tier) while another stays on exact scans; in every tier and mode, on both engines, a tenant's
 * search returns only its own chunks, though both tenants hold the very same documents.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { OfflineEmbedder } from '../../src/domains/knowledge/embed/offline.js';
import { createSource } from '../../src/domains/knowledge/ingest.js';
import {
  prepareAnn,
  SEARCH_MODES,
  searchKnowledge,
  vectorQuery,
} from '../../src/domains/knowledge/search.js';
import { annIndexName, ensureTier } from '../../src/domains/knowledge/tiers.js';
import { rows } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { makeTenant } from '../helpers/api.js';
import { useTestDatabase, withOwner } from '../helpers/db.js';
import { usePlatform } from './kb.js';

const t = useTestDatabase();
const platform = usePlatform(t, { FRONTDESK_KB_ANN_THRESHOLD: '8' });
const MODEL = 'frontdesk-hash-384';
let big: string;
let small: string;

const TOPICS = [
  'refunds',
  'shipping',
  'passwords',
  'invoices',
  'parking',
  'breakfast',
  'pets',
  'wifi',
  'keys',
  'noise',
];
const doc = (topic: string) =>
  `# ${topic}\n\nEverything about ${topic}: how ${topic} work, who handles ${topic} and when.`;

/** Which tenant owns each chunk id (read on the platform path, outside any tenant). */
async function owners(): Promise<Map<string, string>> {
  const all = await withOwner(t.db, (tx) =>
    rows<{ id: string; tenant_id: string }>(tx, sql`SELECT id, tenant_id FROM knowledge_chunks`),
  );
  return new Map(all.map((r) => [r.id, r.tenant_id]));
}

beforeAll(async () => {
  const p = platform();
  big = (await makeTenant(t.db)).id;
  small = (await makeTenant(t.db)).id;
  // Both tenants hold the same documents: a leak would show up in every query.
  for (const topic of TOPICS) await createSource(p, big, { kind: 'text', title: topic, content: doc(topic) });
  for (const topic of TOPICS.slice(0, 4))
    await createSource(p, small, { kind: 'text', title: topic, content: doc(topic) });
  await p.jobs.drain(); // ingestion, then the tier job the big tenant's last ingestion queued
});

describe('tiers', () => {
  it('gives only the tenant over the threshold its own partial HNSW index', async () => {
    const p = platform();
    const indexes = await t.db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexname LIKE 'kc_ann_%'`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([annIndexName(big, MODEL)]);
    expect(indexes[0]!.indexdef).toMatch(/USING hnsw \(\(\(embedding\)::vector\(384\)\) vector_cosine_ops\)/);
    expect(indexes[0]!.indexdef).toContain(big);
    expect((await searchKnowledge(p, big, { query: 'parking' })).tier).toBe('ann');
    expect((await searchKnowledge(p, small, { query: 'parking' })).tier).toBe('exact');
    // Already right: nothing changes; the small tenant stays exact.
    expect(await ensureTier(p, big, MODEL)).toMatchObject({ tier: 'ann', changed: false });
    expect(await ensureTier(p, small, MODEL)).toMatchObject({ tier: 'exact', changed: false });
  });

  it('the ANN query uses the partial index (the planner proves its predicate), even on tiny data', async () => {
    const vector = new OfflineEmbedder().vector('parking');
    const plan = await withTenant(t.db, big, async (tx) => {
      await prepareAnn(tx, 10); // what searchKnowledge sets in the ANN tier, nothing more
      const explained = await rows<{ 'QUERY PLAN': string }>(
        tx,
        sql`EXPLAIN ${vectorQuery({ tenantId: big, model: MODEL, vector, tier: 'ann', n: 10, input: { query: 'parking' } })}`,
      );
      return explained.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain(`Index Scan using ${annIndexName(big, MODEL)}`);
  });

  it('never returns another tenant’s chunk, in any tier or mode, with or without filters', async () => {
    const p = platform();
    const owner = await owners();
    for (const tenantId of [big, small]) {
      for (const mode of SEARCH_MODES) {
        for (const query of ['refunds', 'how do pets work', 'who handles invoices and when']) {
          const res = await searchKnowledge(p, tenantId, { query, mode, k: 50, explain: true });
          expect(res.results.length).toBeGreaterThan(0);
          for (const r of res.results) expect(owner.get(r.chunkId)).toBe(tenantId);
          for (const e of res.explain!.results) expect(owner.get(e.chunkId)).toBe(tenantId);
        }
      }
      // Another tenant's source id as a filter finds nothing.
      const other = tenantId === big ? small : big;
      const [foreign] = await withTenant(t.db, other, (tx) =>
        rows<{ id: string }>(tx, sql`SELECT id FROM knowledge_sources LIMIT 1`),
      );
      expect(
        (await searchKnowledge(p, tenantId, { query: 'refunds', sourceIds: [foreign!.id] })).results,
      ).toEqual([]);
    }
  });

  it('ANN results match exact search on this small set', async () => {
    const p = platform();
    for (const topic of TOPICS) {
      const ann = await searchKnowledge(p, big, { query: `everything about ${topic}`, mode: 'vector', k: 3 });
      expect(ann.tier).toBe('ann');
      expect(ann.results[0]!.sourceTitle).toBe(topic);
    }
  });

  it('drops the index when the tenant shrinks below half the threshold', async () => {
    const p = platform();
    await withTenant(t.db, big, (tx) =>
      tx.execute(sql`DELETE FROM knowledge_sources WHERE title <> 'refunds'`),
    );
    expect(await ensureTier(p, big, MODEL)).toMatchObject({ tier: 'exact', changed: true });
    expect((await searchKnowledge(p, big, { query: 'refunds' })).tier).toBe('exact');
  });
});
