/**
 * The knowledge base over HTTP: FAQ sources, search (modes, filters, explain, validation),
 * re-ingestion, deletion, and the tenant settings that re-embed in the background.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import type { Json } from '../helpers/resource-api.js';

const api = useTestApi();
let tenant: TestTenant;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  role: keyof TestTenant['keys'] = 'admin',
) {
  const res = await api.fetch(`/v1${path}`, {
    method,
    token: tenant.keys[role],
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
}
const drain = () => api.app.platform.jobs.drain();
const chunks = () =>
  withTenant(api.db, tenant.id, (tx) =>
    rows<{
      source_id: string;
      content: string;
      embedding_dim: number;
      embedding_model: string;
      ts_config: string;
    }>(
      tx,
      sql`SELECT source_id, content, embedding_dim, embedding_model, ts_config::text FROM knowledge_chunks ORDER BY source_id, position`,
    ),
  );

let faqId: string;
let guideId: string;

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  const faq = await call('POST', '/knowledge-sources', {
    kind: 'faq',
    title: 'Shipping FAQ',
    tags: ['shipping'],
    items: [
      { question: 'How long does delivery take?', answer: 'Parcels arrive in 2 to 4 working days.' },
      { question: 'Can I change the delivery address?', answer: 'Yes, until the parcel is dispatched.' },
      { question: 'Do you ship abroad?', answer: 'We ship to every EU country.' },
    ],
  });
  const guide = await call('POST', '/knowledge-sources', {
    kind: 'article',
    format: 'markdown',
    title: 'Returns guide',
    tags: ['returns'],
    content:
      '# Returns\n\nReturn any item within 30 days for a refund.\n\n# Damaged items\n\nSend a photo of the damage within 48 hours.',
  });
  expect([faq.status, guide.status]).toEqual([201, 201]);
  faqId = faq.body.id;
  guideId = guide.body.id;
  await drain();
});

describe('sources', () => {
  it('indexes FAQ items one chunk per Q/A pair', async () => {
    const faqChunks = (await chunks()).filter((c) => c.source_id === faqId);
    expect(faqChunks.map((c) => c.content)).toEqual([
      'Q: How long does delivery take?\nA: Parcels arrive in 2 to 4 working days.',
      'Q: Can I change the delivery address?\nA: Yes, until the parcel is dispatched.',
      'Q: Do you ship abroad?\nA: We ship to every EU country.',
    ]);
    const got = await call('GET', `/knowledge-sources/${faqId}`, undefined, {}, 'viewer');
    expect(got.body).toMatchObject({ kind: 'faq', status: 'ready', chunkCount: 3, progress: 100 });
  });

  it('re-ingests with new text (If-Match checked) and replaces the chunks', async () => {
    const stale = await call(
      'POST',
      `/knowledge-sources/${guideId}/reingest`,
      { content: 'x' },
      { 'if-match': '"old"' },
    );
    expect(stale.status).toBe(412);
    const etag = (await call('GET', `/knowledge-sources/${guideId}`)).headers.get('etag')!;
    const res = await call(
      'POST',
      `/knowledge-sources/${guideId}/reingest`,
      { content: '# Returns\n\nReturn any item within 60 days for a refund.' },
      { 'if-match': etag },
    );
    expect(res).toMatchObject({ status: 202, body: { status: 'queued' } });
    await drain();
    expect((await chunks()).filter((c) => c.source_id === guideId).map((c) => c.content)).toEqual([
      '# Returns\n\nReturn any item within 60 days for a refund.',
    ]);
    expect(
      (await call('POST', `/knowledge-sources/${faqId}/reingest`, { url: 'https://x.example' })).status,
    ).toBe(422);
  });
});

describe('FAQ items', () => {
  it('are indexed as one faq source, refreshed when they change, removed when none is left', async () => {
    const category = await call('POST', '/faq-categories', { name: 'Stay', slug: 'stay', displayOrder: 1 });
    const first = await call('POST', '/faq-items', {
      categoryId: category.body.id,
      question: 'Is there parking?',
      answer: 'Yes, free, behind the house.',
      displayOrder: 2,
    });
    await call('POST', '/faq-items', {
      categoryId: category.body.id,
      question: 'When is check-in?',
      answer: 'From 3pm.',
      displayOrder: 1,
    });
    const synced = await call('POST', '/knowledge/faq/sync');
    expect(synced.body).toMatchObject({
      kind: 'faq',
      title: 'FAQ',
      status: 'queued',
      metadata: { origin: 'faq_items' },
    });
    await drain();
    const faqChunks = () =>
      chunks().then((all) => all.filter((c) => c.source_id === synced.body.id).map((c) => c.content));
    expect(await faqChunks()).toEqual([
      'Q: When is check-in?\nA: From 3pm.',
      'Q: Is there parking?\nA: Yes, free, behind the house.',
    ]);
    expect((await call('POST', '/knowledge/faq/sync')).body).toMatchObject({
      id: synced.body.id,
      status: 'ready',
    });

    await call('PATCH', `/faq-items/${first.body.id}`, { answer: 'Yes, two spaces behind the house.' });
    expect((await call('POST', '/knowledge/faq/sync')).body).toMatchObject({
      id: synced.body.id,
      status: 'queued',
    });
    await drain();
    expect((await faqChunks())[1]).toBe('Q: Is there parking?\nA: Yes, two spaces behind the house.');

    expect((await call('DELETE', `/faq-categories/${category.body.id}`)).status).toBe(204);
    expect((await call('POST', '/knowledge/faq/sync')).status).toBe(204);
    expect((await call('GET', `/knowledge-sources/${synced.body.id}`)).status).toBe(404);
  });
});

describe('POST /v1/knowledge/search', () => {
  it('searches in every mode with citations, filters and explain', async () => {
    for (const mode of ['vector', 'keyword', 'hybrid']) {
      const res = await call(
        'POST',
        '/knowledge/search',
        { query: 'how long does delivery take', mode, k: 2 },
        {},
        'viewer',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode, tier: 'exact' });
      expect(res.body.results[0]).toMatchObject({
        sourceId: faqId,
        sourceTitle: 'Shipping FAQ',
        sourceKind: 'faq',
        position: 0,
        startOffset: 0,
        content: expect.stringContaining('2 to 4 working days'),
      });
    }
    const filtered = await call('POST', '/knowledge/search', {
      query: 'refund',
      tags: ['returns'],
      kinds: ['article'],
      explain: true,
    });
    expect(filtered.body.results.map((r: Json) => r.sourceId)).toEqual([guideId]);
    expect(filtered.body.explain).toMatchObject({
      tier: 'exact',
      embeddingModel: 'frontdesk-hash-384',
      tsConfig: 'english',
    });
    expect(filtered.body.explain.results[0]).toMatchObject({
      chunkId: filtered.body.results[0].chunkId,
      vector: { rank: 1 },
      keyword: { rank: 1 },
      hybrid: { rank: 1 },
    });
    const bad = await call('POST', '/knowledge/search', { query: '', k: 51, mode: 'magic' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['k', 'mode', 'query']);
  });
});

describe('settings', () => {
  it('a new embedding model re-embeds every chunk in the background; a new language re-indexes', async () => {
    expect((await call('GET', '/knowledge/settings', undefined, {}, 'viewer')).body).toEqual({
      embeddingModel: 'frontdesk-hash-384',
      tsConfig: 'english',
    });
    expect((await call('PATCH', '/knowledge/settings', { embeddingModel: 'ada-002' })).status).toBe(422);
    expect(
      (await call('PATCH', '/knowledge/settings', { embeddingModel: 'frontdesk-hash-256' }, {}, 'agent'))
        .status,
    ).toBe(403);
    const res = await call('PATCH', '/knowledge/settings', {
      embeddingModel: 'frontdesk-hash-256',
      language: 'fr',
    });
    expect(res.body).toEqual({ embeddingModel: 'frontdesk-hash-256', tsConfig: 'french' });
    await drain();
    const all = await chunks();
    expect(all.length).toBe(4); // 3 FAQ pairs + 1 guide chunk
    expect(new Set(all.map((c) => `${c.embedding_model}/${c.embedding_dim}/${c.ts_config}`))).toEqual(
      new Set(['frontdesk-hash-256/256/french']),
    );
    const found = await call('POST', '/knowledge/search', { query: 'ship abroad', mode: 'vector', k: 1 });
    expect(found.body.results[0].content).toContain('every EU country');
  });

  it('deleting a source deletes its chunks', async () => {
    const etag = (await call('GET', `/knowledge-sources/${faqId}`)).headers.get('etag')!;
    expect(
      (await call('DELETE', `/knowledge-sources/${faqId}`, undefined, { 'if-match': etag })).status,
    ).toBe(204);
    expect((await chunks()).filter((c) => c.source_id === faqId)).toEqual([]);
  });
});
