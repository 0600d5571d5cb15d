import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant } from '../../../test/helpers/api.js';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { usePlatform } from '../../../test/knowledge/kb.js';
import { withTenant } from '../../platform/db/tenant.js';
import { OfflineEmbedder } from './embed/offline.js';
import { vectorText } from './embed/vectors.js';
import { createSource, createSources, INGEST_JOB, reingestSource } from './ingest.js';
import {
  FIRST_GROUP,
  failUnfinished,
  ingestNow,
  ingestSources,
  WRITE_GROUP,
  writeGroups,
} from './ingest-write.js';
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

describe('a job writes its sources in groups', () => {
  const doc = (topic: string) => ({
    kind: 'text' as const,
    title: topic,
    content: `# ${topic}\n\nAll about ${topic}, in a paragraph of its own.`,
  });
  const chunkIds = async (ids: string[]) =>
    (
      await withTenant(t.db, tenantId, (tx) =>
        tx
          .select({ id: knowledgeChunks.id })
          .from(knowledgeChunks)
          .where(inArray(knowledgeChunks.sourceId, ids)),
      )
    )
      .map((c) => c.id)
      .sort();

  it('a failure keeps the groups already written; the retry takes only the rest, each chunk once', async () => {
    const p = platform();
    // One group, then a second one with a source the database refuses to write.
    const topics = Array.from({ length: FIRST_GROUP }, (_, i) => `Amenity ${i}`);
    topics.push('BOOM Fire drill', 'Lifts');
    const sources = await createSources(p, tenantId, topics.map(doc));
    const ids = sources.map((s) => s.id);
    const [first, rest] = [ids.slice(0, FIRST_GROUP), ids.slice(FIRST_GROUP)];
    // The database fails the second group's write (a transient error: no source is failed).
    await t.db.exec(`
      CREATE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.content LIKE '%BOOM%' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_boom BEFORE INSERT ON knowledge_chunks FOR EACH ROW EXECUTE FUNCTION test_boom();`);
    await expect(ingestSources(p, tenantId, ids)).rejects.toThrow(/disk on fire/);
    for (const id of first) expect(await sourceRow(id)).toMatchObject({ status: 'ready', chunkCount: 1 });
    for (const id of rest) expect(await sourceRow(id)).toMatchObject({ status: 'processing', chunkCount: 0 });
    const written = await chunkIds(first);
    expect(written).toHaveLength(FIRST_GROUP);
    expect(await chunkIds(rest)).toEqual([]);

    await t.db.exec('DROP TRIGGER test_boom ON knowledge_chunks; DROP FUNCTION test_boom();');
    const retry = await ingestSources(p, tenantId, ids);
    expect([...retry.keys()].sort()).toEqual([...rest].sort());
    for (const id of ids) expect(await sourceRow(id)).toMatchObject({ status: 'ready', chunkCount: 1 });
    expect(await chunkIds(first)).toEqual(written); // not written again
    expect(await chunkIds(rest)).toHaveLength(2);
    // The upload's own job finds nothing left to do.
    await p.jobs.drain({ names: [INGEST_JOB] });
    expect(await chunkIds(ids)).toEqual([...written, ...(await chunkIds(rest))].sort());
  });

  it('makes a half group first, then whole groups', () => {
    const ids = Array.from({ length: FIRST_GROUP + 2 * WRITE_GROUP + 3 }, (_, i) => i);
    expect(writeGroups(ids).map((g) => g.length)).toEqual([FIRST_GROUP, WRITE_GROUP, WRITE_GROUP, 3]);
    expect(writeGroups(ids).flat()).toEqual(ids);
    expect(writeGroups([])).toEqual([]);
  });

  it('a job out of retries fails only the sources it had not finished', async () => {
    const p = platform();
    const [done, waiting] = await createSources(p, tenantId, [doc('Towels'), doc('Minibar')]);
    await ingestNow(p, tenantId, done!.id);
    await failUnfinished(p, tenantId, [done!.id, waiting!.id], 'ingestion failed: gave up');
    expect(await sourceRow(done!.id)).toMatchObject({ status: 'ready', chunkCount: 1 });
    expect(await sourceRow(waiting!.id)).toMatchObject({
      status: 'failed',
      error: 'ingestion failed: gave up',
    });
    await p.jobs.drain({ names: [INGEST_JOB] }); // its job takes neither
    expect(await sourceRow(waiting!.id)).toMatchObject({ status: 'failed' });
  });
});

describe('chunk rows as ingestion writes them', () => {
  it('keep heading paths with quotes, commas, braces and backslashes exactly', async () => {
    const p = platform();
    const heading = 'Say "hi", {braces} \\ back\\slash NULL';
    const source = await createSource(p, tenantId, {
      kind: 'text',
      title: 'Odd headings',
      content: `# ${heading}\n\n## Ünïcödé 東京\n\nThe body of the odd section.`,
    });
    await ingestNow(p, tenantId, source.id);
    expect((await chunksOf(source.id)).map((c) => c.headingPath)).toEqual([
      [heading],
      [heading, 'Ünïcödé 東京'],
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
