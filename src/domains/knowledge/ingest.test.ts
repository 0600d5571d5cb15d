import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant } from '../../../test/helpers/api.js';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { usePlatform } from '../../../test/knowledge/kb.js';
import { withTenant } from '../../platform/db/tenant.js';
import { OfflineEmbedder } from './embed/offline.js';
import { vectorText } from './embed/vectors.js';
import { createSource, createSources, INGEST_JOB, ingestNow, reingestSource } from './ingest.js';
import { searchKnowledge } from './search.js';
import { knowledgeChunks, knowledgeSources } from './tables.js';

const t = useTestDatabase();
const platform = usePlatform(t);
let tenantId: string;

const HANDBOOK = `# Check-in

Check-in is from 3pm. Early check-in from 11am costs 20 euros, if the room is ready.

# Check-out

Check-out is by 10am. Late check-out until 1pm is free on Sundays.

# Pets

- Dogs are welcome in the garden cottage.
- Cats are not allowed.
`;

const chunksOf = (sourceId: string) =>
  withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.sourceId, sourceId))
      .orderBy(knowledgeChunks.position),
  );
const sourceRow = async (id: string) =>
  (
    await withTenant(t.db, tenantId, (tx) =>
      tx.select().from(knowledgeSources).where(eq(knowledgeSources.id, id)),
    )
  )[0];

beforeAll(async () => {
  tenantId = (await makeTenant(t.db)).id;
});

describe('ingestion', () => {
  it('queues a source, the job chunks and embeds it, and search finds it with citations', async () => {
    const p = platform();
    const source = await createSource(p, tenantId, {
      kind: 'text',
      title: 'Handbook',
      content: HANDBOOK,
      tags: ['stay'],
    });
    expect(source.status).toBe('queued');
    expect(await p.jobs.drain()).toBeGreaterThanOrEqual(1);
    const ready = await sourceRow(source.id);
    expect(ready).toMatchObject({ status: 'ready', progress: 100, chunkCount: 3, error: null });
    const chunks = await chunksOf(source.id);
    expect(chunks.map((c) => c.headingPath)).toEqual([['Check-in'], ['Check-out'], ['Pets']]);
    for (const c of chunks) {
      expect(ready!.content!.slice(c.startOffset!, c.endOffset!)).toBe(c.content);
      expect(c).toMatchObject({ embeddingModel: 'frontdesk-hash-384', embeddingDim: 384 });
    }

    for (const mode of ['vector', 'keyword', 'hybrid'] as const) {
      const res = await searchKnowledge(p, tenantId, { query: 'when is late check-out?', mode, k: 2 });
      expect(res.tier).toBe('exact');
      expect(res.results[0]).toMatchObject({
        sourceId: source.id,
        headingPath: ['Check-out'],
        sourceTitle: 'Handbook',
      });
    }
    const explained = await searchKnowledge(p, tenantId, { query: 'dogs', explain: true, k: 1 });
    expect(explained.explain!.results[0]).toMatchObject({ keyword: { rank: 1 }, hybrid: { rank: 1 } });
    expect(explained.explain!.tier).toBe('exact');
    expect((await searchKnowledge(p, tenantId, { query: 'dogs', tags: ['other'] })).results).toEqual([]);
  });

  it('refuses the same content twice and re-ingests atomically', async () => {
    const p = platform();
    await expect(
      createSource(p, tenantId, { kind: 'text', title: 'Copy', content: HANDBOOK }),
    ).rejects.toThrow(/already ingested/);
    const [first] = await withTenant(t.db, tenantId, (tx) => tx.select().from(knowledgeSources));
    const before = (await chunksOf(first!.id)).map((c) => c.id);
    await reingestSource(p, tenantId, first!.id);
    await p.jobs.drain();
    const after = await chunksOf(first!.id);
    expect(after.map((c) => c.position)).toEqual([0, 1, 2]);
    expect(after.map((c) => c.id)).not.toEqual(before);
    expect(await ingestNow(p, tenantId, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('adds several sources all or none, and ingests them in one job where one failure fails only its source', async () => {
    const p = platform();
    const doc = (topic: string) => ({
      kind: 'text' as const,
      title: topic,
      content: `# ${topic}\n\nAll about ${topic}.`,
    });
    const count = async () =>
      (await withTenant(t.db, tenantId, (tx) => tx.select().from(knowledgeSources))).length;
    const before = await count();
    // A duplicate within the batch, or of an existing source, refuses the whole batch.
    await expect(createSources(p, tenantId, [doc('Parking'), doc('Parking')])).rejects.toThrow(
      /documents 1 and 2 have the same content/,
    );
    await expect(
      createSources(p, tenantId, [doc('Parking'), { kind: 'text', title: 'Copy', content: HANDBOOK }]),
    ).rejects.toThrow(/already ingested/);
    expect(await count()).toBe(before);

    const [parking, url, breakfast] = await createSources(p, tenantId, [
      doc('Parking'),
      { kind: 'url', url: 'http://127.0.0.1:9/refused' }, // loopback: refused, a permanent failure
      doc('Breakfast'),
    ]);
    expect(await p.jobs.counts(INGEST_JOB)).toMatchObject({ created: 1 });
    await p.jobs.drain();
    expect(await sourceRow(parking!.id)).toMatchObject({ status: 'ready', chunkCount: 1 });
    expect(await sourceRow(breakfast!.id)).toMatchObject({ status: 'ready', chunkCount: 1 });
    expect(await sourceRow(url!.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/private or reserved address/),
    });
    expect(await chunksOf(url!.id)).toEqual([]);
    expect((await chunksOf(breakfast!.id)).map((c) => c.content)).toEqual([
      expect.stringContaining('All about Breakfast.'),
    ]);
  });
});

describe('vectors as ingestion writes them', () => {
  it('store exactly what their full-precision text stores', async () => {
    const e = new OfflineEmbedder();
    const vectors = HANDBOOK.split('\n')
      .filter(Boolean)
      .map((line) => e.vector(line));
    vectors.push([0.1, -1 / 3, 1e-9, 2.5e-30, -0.027566516529615528, ...new Array<number>(379).fill(0)]);
    const [row] = await t.db.query<{ same: boolean }>(
      `SELECT bool_and(a::vector = b::vector) AS same
         FROM unnest($1::text[], $2::text[]) AS u(a, b)`,
      [vectors.map(vectorText), vectors.map((v) => JSON.stringify(v))],
    );
    expect(row!.same).toBe(true);
  });
});
