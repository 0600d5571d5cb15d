/**
 * Seed rules of the knowledge domain, tried through the request role: sources and chunks
 * (seed 004's knowledge_sources / knowledge_chunks, seed 000's knowledgeBaseDocuments, seed
 * 002's knowledge_base) and the FAQ (seed 003's knowledge_categories / knowledge_items).
 */
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  insertIn,
  queryIn,
  type RowOf,
  SQLSTATE as S,
  type TenantOwned,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import {
  faqCategories,
  faqItems,
  knowledgeChunks,
  knowledgeSources,
  SOURCE_KINDS,
  SOURCE_STATUSES,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let sourceA: string;
let sourceB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  sourceA = (
    await insertIn(t.db, A, knowledgeSources, {
      kind: 'article',
      title: 'Parking',
      content: 'Park in bay 4.',
    })
  ).id;
  sourceB = (
    await insertIn(t.db, B, knowledgeSources, {
      kind: 'article',
      title: 'Parking',
      content: 'Park in bay 4.',
    })
  ).id;
});

const reject = <T extends TenantOwned>(table: T, values: RowOf<T>, code: string, constraint?: string) =>
  expectInsertRejected(t.db, A, table, values, code, constraint);
const source = (extra: Partial<typeof knowledgeSources.$inferInsert> = {}) => ({
  kind: 'text' as const,
  title: uniq('doc'),
  content: 'Some text.',
  ...extra,
});

describe('knowledge sources', () => {
  it('typed-in sources (text, article, faq) carry their content; files and URLs get it later', async () => {
    for (const kind of ['text', 'article', 'faq'] as const) {
      await reject(
        knowledgeSources,
        source({ kind, content: null }),
        '23514',
        'knowledge_sources_content_check',
      );
    }
    expect(
      (
        await insertIn(
          t.db,
          A,
          knowledgeSources,
          source({ kind: 'url', content: null, url: 'https://x.example' }),
        )
      ).kind,
    ).toBe('url');
  });

  it("kind and status are closed lists; status starts 'queued'", async () => {
    expect((await insertIn(t.db, A, knowledgeSources, source())).status).toBe('queued');
    await expectEnum(t.db, A, {
      table: knowledgeSources,
      column: 'kind',
      values: SOURCE_KINDS,
      row: (v) => source({ kind: v as never }),
      constraint: 'knowledge_sources_kind_check',
    });
    await expectEnum(t.db, A, {
      table: knowledgeSources,
      column: 'status',
      values: SOURCE_STATUSES,
      row: (v) => source({ status: v as never }),
      constraint: 'knowledge_sources_status_check',
    });
  });

  it('progress lies in 0–100; counters and sizes are non-negative; only a failed source has an error', async () => {
    for (const progress of [0, 100]) await insertIn(t.db, A, knowledgeSources, source({ progress }));
    for (const progress of [-1, 101]) {
      await reject(
        knowledgeSources,
        source({ progress }),
        S.checkViolation,
        'knowledge_sources_progress_check',
      );
    }
    for (const [key, name] of [
      ['chunkCount', 'chunk_count'],
      ['fileSize', 'file_size'],
      ['viewCount', 'view_count'],
      ['helpfulCount', 'helpful_count'],
    ] as const) {
      await reject(
        knowledgeSources,
        source({ [key]: -1 }),
        S.checkViolation,
        `knowledge_sources_${name}_check`,
      );
    }
    await reject(
      knowledgeSources,
      source({ error: 'boom' }),
      S.checkViolation,
      'knowledge_sources_error_check',
    );
    await insertIn(t.db, A, knowledgeSources, source({ status: 'failed', error: 'boom' }));
  });

  it('the same content (by hash) is stored once per tenant', async () => {
    await insertIn(t.db, A, knowledgeSources, source({ contentHash: 'sha256:abc' }));
    await reject(
      knowledgeSources,
      source({ contentHash: 'sha256:abc' }),
      S.uniqueViolation,
      'knowledge_sources_tenant_hash_key',
    );
    await insertIn(t.db, B, knowledgeSources, source({ contentHash: 'sha256:abc' }));
  });

  it('kind and title are required', async () => {
    await expectNotNull(t.db, A, knowledgeSources, () => source(), ['kind', 'title']);
  });
});

describe('knowledge chunks', () => {
  const chunk = (extra: Partial<typeof knowledgeChunks.$inferInsert> = {}) => ({
    sourceId: sourceA,
    content: 'Parking is behind the building.',
    position: 0,
    ...extra,
  });

  it('position is unique per source and non-negative', async () => {
    await insertIn(t.db, A, knowledgeChunks, chunk({ position: 0 }));
    await reject(
      knowledgeChunks,
      chunk({ position: 0 }),
      S.uniqueViolation,
      'knowledge_chunks_source_position_key',
    );
    await reject(
      knowledgeChunks,
      chunk({ position: -1 }),
      S.checkViolation,
      'knowledge_chunks_position_check',
    );
    await insertIn(t.db, B, knowledgeChunks, chunk({ sourceId: sourceB, position: 0 }));
  });

  it('an embedding comes with its model and dimension, and the dimension matches the vector', async () => {
    const row = await insertIn(
      t.db,
      A,
      knowledgeChunks,
      chunk({ position: 10, embedding: [0.1, 0.2, 0.3], embeddingModel: 'test-3d', embeddingDim: 3 }),
    );
    expect(row.embedding).toEqual([0.1, 0.2, 0.3]);
    await reject(
      knowledgeChunks,
      chunk({ position: 11, embedding: [0.1, 0.2, 0.3] }),
      S.checkViolation,
      'knowledge_chunks_embedding_meta_check',
    );
    await reject(
      knowledgeChunks,
      chunk({ position: 12, embedding: [0.1, 0.2, 0.3], embeddingModel: 'test-3d', embeddingDim: 4 }),
      S.checkViolation,
      'knowledge_chunks_embedding_dim_check',
    );
  });

  it('offsets are ordered; the full-text vector is generated from the content', async () => {
    await reject(
      knowledgeChunks,
      chunk({ position: 20, startOffset: 10, endOffset: 5 }),
      S.checkViolation,
      'knowledge_chunks_offsets_check',
    );
    await reject(
      knowledgeChunks,
      chunk({ position: 21, startOffset: -1 }),
      S.checkViolation,
      'knowledge_chunks_start_offset_check',
    );
    const row = await insertIn(
      t.db,
      A,
      knowledgeChunks,
      chunk({ position: 22, content: 'Late checkout costs extra' }),
    );
    const [hit] = await queryIn<{ ok: boolean }>(
      t.db,
      A,
      sql`SELECT tsv @@ plainto_tsquery('simple', 'checkout') AS ok FROM knowledge_chunks WHERE id = ${row.id}`,
    );
    expect(hit).toEqual({ ok: true });
  });

  it("cannot belong to another tenant's source, and goes with its source", async () => {
    await reject(
      knowledgeChunks,
      chunk({ sourceId: sourceB, position: 30 }),
      S.foreignKeyViolation,
      'knowledge_chunks_source_fk',
    );
    await expectNotNull(t.db, A, knowledgeChunks, () => chunk({ position: 31 }), [
      'sourceId',
      'content',
      'position',
    ]);
    const doomed = await insertIn(t.db, A, knowledgeSources, source());
    await insertIn(t.db, A, knowledgeChunks, chunk({ sourceId: doomed.id }));
    await withTenant(t.db, A, (tx) => tx.delete(knowledgeSources).where(eq(knowledgeSources.id, doomed.id)));
    const left = await withTenant(t.db, A, (tx) =>
      tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, doomed.id)),
    );
    expect(left).toEqual([]);
  });
});

describe('FAQ (seed 003 knowledge_categories, knowledge_items)', () => {
  it('category slug is unique per tenant and well-formed', async () => {
    await insertIn(t.db, A, faqCategories, { name: 'Check-in', slug: 'check-in' });
    await reject(
      faqCategories,
      { name: 'Again', slug: 'check-in' },
      S.uniqueViolation,
      'faq_categories_tenant_slug_key',
    );
    await insertIn(t.db, B, faqCategories, { name: 'Check-in', slug: 'check-in' });
    for (const slug of ['Check In', '-x', '']) {
      await reject(
        faqCategories,
        { name: 'Bad', slug },
        S.checkViolation,
        'faq_categories_slug_format_check',
      );
    }
    await expectNotNull(t.db, A, faqCategories, () => ({ name: 'N', slug: uniq('s') }), ['name', 'slug']);
  });

  it("an item cannot belong to another tenant's category, needs question and answer, and goes with its category", async () => {
    const catA = await insertIn(t.db, A, faqCategories, { name: 'Pets', slug: uniq('pets') });
    const catB = await insertIn(t.db, B, faqCategories, { name: 'Pets', slug: uniq('pets') });
    const item = (categoryId: string) => ({
      categoryId,
      question: 'Are dogs allowed?',
      answer: 'Small dogs, yes.',
    });
    await reject(faqItems, item(catB.id), S.foreignKeyViolation, 'faq_items_category_fk');
    await expectNotNull(t.db, A, faqItems, () => item(catA.id), ['categoryId', 'question', 'answer']);
    await insertIn(t.db, A, faqItems, item(catA.id));
    await withTenant(t.db, A, (tx) => tx.delete(faqCategories).where(eq(faqCategories.id, catA.id)));
    expect(
      await withTenant(t.db, A, (tx) => tx.select().from(faqItems).where(eq(faqItems.categoryId, catA.id))),
    ).toEqual([]);
  });
});
