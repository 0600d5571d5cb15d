/**
 * BM25 keyword search, on both engines: the vocabulary and counts the triggers keep (exact after
 * ingestion, re-ingestion and deletion), inverse document frequency outranking common words,
 * misspellings corrected against the tenant's own vocabulary (never another tenant's), filler
 * ignored, sources diversified, and the evidence an answer-or-decline decision reads.
 */
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanQuery } from '../../src/domains/knowledge/bm25.js';
import { createSource, reingestSource } from '../../src/domains/knowledge/ingest.js';
import { searchKnowledge } from '../../src/domains/knowledge/search.js';
import { rows } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';
import { makeTenant } from '../helpers/api.js';
import { useTestDatabase } from '../helpers/db.js';
import { usePlatform } from './kb.js';

const t = useTestDatabase();
const platform = usePlatform(t);
let tenant: string;
let other: string;
const ids: Record<string, string> = {};

const DOCS: Record<string, string> = {
  notifications:
    '# Notification settings\n\nChoose which notifications reach you by email. Open your settings and pick the notifications you want.\n\n## Mobile\n\nPush notifications on your phone follow the same settings.',
  refunds:
    '# Refunds\n\nA refund is paid to the original card within five days. Open your settings to see the refund status.',
  theme:
    '# Appearance\n\nSwitch to the dark theme in your settings. The dark theme is easier on the eyes at night.',
  sharing:
    '# Sharing files\n\nShare a file with a link. Settings decide who may open the link.\n\nLinks can expire after a date you choose in the settings.',
};

/** The vocabulary as the triggers keep it, and as counted afresh from the chunks. */
async function vocabulary(tenantId: string) {
  return withTenant(t.db, tenantId, async (tx) => ({
    kept: await rows<{ term: string; df: number }>(
      tx,
      sql`SELECT term, df FROM knowledge_terms ORDER BY term`,
    ),
    counted: await rows<{ term: string; df: number }>(
      tx,
      sql`SELECT u.lexeme AS term, count(*)::int AS df FROM knowledge_chunks c, unnest(c.tsv) u GROUP BY 1 ORDER BY 1`,
    ),
    stats: await rows<{ chunks: number; tokens: number }>(
      tx,
      sql`SELECT chunks, tokens::int AS tokens FROM knowledge_stats`,
    ),
    chunks: await rows<{ chunks: number; tokens: number }>(
      tx,
      sql`SELECT count(*)::int AS chunks, coalesce(sum(token_count), 0)::int AS tokens FROM knowledge_chunks`,
    ),
  }));
}

beforeAll(async () => {
  const p = platform();
  tenant = (await makeTenant(t.db)).id;
  other = (await makeTenant(t.db)).id;
  for (const [key, content] of Object.entries(DOCS)) {
    ids[key] = (
      await createSource(p, tenant, { kind: 'text', title: content.split('\n')[0]!.slice(2), content })
    ).id;
  }
  // Another tenant's only document names a word the first tenant never uses.
  await createSource(p, other, {
    kind: 'text',
    title: 'Kayaks',
    content: '# Kayaks\n\nKayaks are rented by the hour.',
  });
  await p.jobs.drain();
});

describe('the vocabulary', () => {
  it('holds every term of the tenant’s chunks with its chunk count, and the chunk and token totals', async () => {
    const v = await vocabulary(tenant);
    expect(v.kept.length).toBeGreaterThan(10);
    expect(v.kept).toEqual(v.counted);
    expect(v.stats).toEqual(v.chunks);
    expect(v.kept.find((r) => r.term === 'kayak')).toBeUndefined();
  });

  it('stays exact when a source is re-ingested with new text and when one is deleted', async () => {
    const p = platform();
    await withTenant(t.db, tenant, (tx) =>
      tx.execute(
        sql`UPDATE knowledge_sources SET content = ${`${DOCS.refunds}\n\nRefunds for gift cards are store credit.`}, content_hash = 'changed' WHERE id = ${ids.refunds}`,
      ),
    );
    await reingestSource(p, tenant, ids.refunds!);
    await p.jobs.drain();
    let v = await vocabulary(tenant);
    expect(v.kept).toEqual(v.counted);
    expect(v.kept.find((r) => r.term === 'gift')).toEqual({ term: 'gift', df: 1 });
    const extra = await createSource(p, tenant, {
      kind: 'text',
      title: 'Gift cards',
      content: 'Gift cards never expire.',
    });
    await p.jobs.drain();
    await withTenant(t.db, tenant, (tx) =>
      tx.execute(sql`DELETE FROM knowledge_sources WHERE id = ${extra.id}`),
    );
    v = await vocabulary(tenant);
    expect(v.kept).toEqual(v.counted);
    expect(v.stats).toEqual(v.chunks);
  });
});

describe('ranking', () => {
  it('ranks the document of a rare word first, whatever common words the question shares', async () => {
    const res = await searchKnowledge(platform(), tenant, {
      query: 'refund in my settings',
      mode: 'keyword',
    });
    expect(res.results[0]!.sourceId).toBe(ids.refunds);
  });

  it('corrects a misspelt word against the tenant’s vocabulary, and says so', async () => {
    const res = await searchKnowledge(platform(), tenant, {
      query: 'how do I turn off notifcations',
      mode: 'keyword',
      explain: true,
    });
    expect(res.results[0]!.sourceId).toBe(ids.notifications);
    expect(res.explain!.terms).toContainEqual(
      expect.objectContaining({ term: 'notif', correctedFrom: 'notifc' }),
    );
    expect(res.evidence.corrections).toContainEqual({ from: 'notifc', to: 'notif' });
  });

  it('corrects a word one edit away that trigrams miss, but never a dictionary word', async () => {
    const p = platform();
    const typo = await searchKnowledge(p, tenant, { query: 'notifications by emial', mode: 'keyword' });
    expect(typo.evidence.corrections).toContainEqual({ from: 'emial', to: 'email' });
    // "dork" is one letter from "dark" (and too far by trigrams), but it is a word: not a typo.
    const word = await searchKnowledge(p, tenant, { query: 'dork theme', mode: 'keyword' });
    expect(word.evidence.corrections).toEqual([]);
    expect(word.evidence.unknownTerms).toEqual(['dork']);
  });

  it('weighs a missing word by how telling its absence is: an everyday word little, a name fully', async () => {
    const p = platform();
    const everyday = await searchKnowledge(p, tenant, { query: 'dark theme tomorrow' });
    const name = await searchKnowledge(p, tenant, { query: 'dark theme bitcoin' });
    expect(everyday.evidence.unknownWords).toBe(1);
    expect(name.evidence.unknownWords).toBe(1);
    expect(everyday.evidence.unknownSalience).toBe(0);
    expect(name.evidence.unknownSalience).toBe(1);
    expect(everyday.evidence.salientShare).toBe(0);
    expect(name.evidence.salientShare).toBeGreaterThan(0.3);
  });

  it('never corrects towards another tenant’s words', async () => {
    const res = await searchKnowledge(platform(), tenant, {
      query: 'kayaks',
      mode: 'keyword',
      explain: true,
    });
    expect(res.results).toEqual([]);
    expect(res.explain!.terms).toEqual([]);
    expect(res.evidence.unknownTerms).toEqual(['kayak']);
  });

  it('ignores greetings and filler', async () => {
    expect(cleanQuery('Hi! Thanks, quick question: dark theme?').trim()).toBe('dark theme?');
    const res = await searchKnowledge(platform(), tenant, { query: 'hello thanks please', mode: 'keyword' });
    expect(res.results).toEqual([]);
  });

  it('returns each source’s best passage before any source’s second (perSource: 0 turns it off)', async () => {
    const p = platform();
    const diverse = await searchKnowledge(p, tenant, { query: 'notifications settings link', k: 4 });
    expect(new Set(diverse.results.map((r) => r.sourceId)).size).toBe(4);
    const plain = await searchKnowledge(p, tenant, {
      query: 'notifications settings link',
      k: 4,
      perSource: 0,
    });
    expect(plain.results).toHaveLength(4);
    expect(new Set(plain.results.map((r) => r.sourceId)).size).toBeLessThan(4);
  });

  it('gives evidence that tells a covered question from one the knowledge base cannot answer', async () => {
    const p = platform();
    const answerable = await searchKnowledge(p, tenant, { query: 'how do I switch to the dark theme?' });
    const unanswerable = await searchKnowledge(p, tenant, { query: 'can I pay with bitcoin or paypal?' });
    expect(answerable.results[0]!.sourceId).toBe(ids.theme);
    expect(answerable.evidence.coverage).toBeGreaterThan(0.9);
    expect(answerable.evidence.unknownShare).toBe(0);
    expect(unanswerable.evidence.unknownShare).toBeGreaterThan(0.5);
    expect(unanswerable.evidence.coverage).toBeLessThan(answerable.evidence.coverage);
  });
});

describe('deleting a tenant', () => {
  // Last in the file: it removes `other`. The platform role has no right on the vocabulary
  // tables; the cascade's chunk trigger leaves them to the cascade (migration 0020).
  it('as the platform role takes its chunks and vocabulary along, and leaves other tenants alone', async () => {
    const mine = await vocabulary(tenant);
    const count = (table: string) =>
      t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = '${other}'`);
    expect((await count('knowledge_terms'))[0]!.n).toBeGreaterThan(0);
    await withPlatform(t.db, (tx) => tx.delete(tenants).where(eq(tenants.id, other)));
    for (const table of ['knowledge_chunks', 'knowledge_terms', 'knowledge_stats'])
      expect((await count(table))[0]!.n, table).toBe(0);
    expect(await vocabulary(tenant)).toEqual(mine);
  });
});
