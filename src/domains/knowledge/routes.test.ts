import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, useResourceApi } from '../../../test/helpers/resource-api.js';
import { withTenant } from '../../platform/db/tenant.js';
import { knowledgeChunks } from './tables.js';

const api = useResourceApi({ reuseRefs: true });
const { call, fromExample, newTenant } = api;
let tenantId: string;

beforeAll(async () => {
  tenantId = await newTenant('', ['viewer', 'agent', 'admin']);
  await newTenant('examples-', ['admin']); // the documented examples are created in a tenant of their own
});

const source = { kind: 'text', title: 'House rules', content: 'Check-in is from 3pm.', category: 'policies' };

it('creates each resource from its documented example as-is', async () => {
  for (const name of ['knowledge-sources', 'faq-categories', 'faq-items'])
    await fromExample(name, 'examples-admin');
});

describe('knowledge sources', () => {
  it('create → get with ETag → list with filters → patch with If-Match → delete', async () => {
    const created = await call('admin', 'POST', '/knowledge-sources', source);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...source,
      status: 'queued',
      progress: 0,
      chunkCount: 0,
      error: null,
    });
    const id = created.body.id as string;
    await call('admin', 'POST', '/knowledge-sources', {
      kind: 'url',
      title: 'Site',
      url: 'https://paradise.example/faq',
    });

    const got = await call('viewer', 'GET', `/knowledge-sources/${id}`);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(created.headers.get('etag'));
    const texts = await call('viewer', 'GET', '/knowledge-sources?kind=text&status=queued');
    expect(texts.body.data.map((x: Json) => x.id)).toEqual([id]);
    expect((await call('admin', 'GET', '/knowledge-sources?status=ready')).body.data).toEqual([]);

    const patched = await call(
      'admin',
      'PATCH',
      `/knowledge-sources/${id}`,
      { title: 'House rules 2027', tags: ['rules'] },
      { 'if-match': etag },
    );
    expect(patched.body).toMatchObject({ title: 'House rules 2027', tags: ['rules'] });
    const gone = await call('admin', 'DELETE', `/knowledge-sources/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
  });

  it('ignores server-managed fields in a body', async () => {
    const sneaky = {
      ...source,
      content: 'Sneaky rules.',
      title: 'Sneaky',
      status: 'ready',
      progress: 100,
      chunkCount: 7,
      contentHash: 'abc',
      filePath: '/etc/passwd',
      error: 'x',
    };
    const created = await call('admin', 'POST', '/knowledge-sources', sneaky);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'queued', progress: 0, chunkCount: 0 });
    expect(created.body.contentHash).toMatch(/^[0-9a-f]{64}$/); // sha256 of the text, not the client's
    expect(created.body.filePath).toBeNull();
    const patched = await call('admin', 'PATCH', `/knowledge-sources/${created.body.id}`, {
      status: 'failed',
      progress: 50,
    });
    expect(patched.body).toMatchObject({ status: 'queued', progress: 0 });
  });

  it('answers a bad body with 422 and field paths, and refuses agents and viewers', async () => {
    const bad = await call('admin', 'POST', '/knowledge-sources', {
      kind: 'pdf',
      title: 'x',
      url: 'file:///etc/passwd',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['kind']);
    const badUrl = await call('admin', 'POST', '/knowledge-sources', {
      kind: 'url',
      url: 'file:///etc/passwd',
    });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.errors.map((e: Json) => e.path)).toEqual(['url']);
    for (const as of ['viewer', 'agent'] as const)
      expect((await call(as, 'POST', '/knowledge-sources', source)).status).toBe(403);
  });
});

describe('knowledge chunks', () => {
  it('are written by ingestion, never show their vectors, and can be corrected or removed', async () => {
    const src = (
      await call('admin', 'POST', '/knowledge-sources', {
        ...source,
        content: 'Chunked rules.',
        title: 'Chunked',
      })
    ).body;
    const [chunk] = await withTenant(api.db, tenantId, (tx) =>
      tx
        .insert(knowledgeChunks)
        .values({
          tenantId,
          sourceId: src.id,
          content: 'Check-in is from 3pm.',
          position: 0,
          embedding: [0.1, 0.2, 0.3],
          embeddingModel: 'test-3d',
          embeddingDim: 3,
        })
        .returning(),
    );
    const list = await call('viewer', 'GET', `/knowledge-chunks?sourceId=${src.id}`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((x: Json) => x.id)).toEqual([chunk!.id]);
    const one = await call('viewer', 'GET', `/knowledge-chunks/${chunk!.id}`);
    for (const body of [list.body.data[0], one.body]) {
      expect(body).toMatchObject({
        content: 'Check-in is from 3pm.',
        embeddingModel: 'test-3d',
        position: 0,
      });
      expect(body).not.toHaveProperty('embedding');
      expect(body).not.toHaveProperty('tsv');
      expect(body).not.toHaveProperty('tenantId');
    }
    expect((await call('admin', 'GET', `/knowledge-chunks?sourceId=${randomUUID()}`)).body.data).toEqual([]);
    expect(
      (await call('admin', 'POST', '/knowledge-chunks', { sourceId: src.id, content: 'x', position: 1 }))
        .status,
    ).toBe(405);
    expect((await call('agent', 'PATCH', `/knowledge-chunks/${chunk!.id}`, { content: 'x' })).status).toBe(
      403,
    );
    const edited = await call('admin', 'PATCH', `/knowledge-chunks/${chunk!.id}`, {
      content: 'Check-in is from 4pm.',
    });
    expect(edited.status).toBe(200);
    // Re-embedded with the tenant's model; no longer a span of the source text.
    expect(edited.body).toMatchObject({
      content: 'Check-in is from 4pm.',
      embeddingModel: 'frontdesk-hash-384',
      embeddingDim: 384,
      startOffset: null,
      endOffset: null,
      metadata: { edited: true },
    });
    expect(
      (await call('admin', 'DELETE', `/knowledge-chunks/${chunk!.id}`, undefined, { 'if-match': '"stale"' }))
        .status,
    ).toBe(412);
    expect((await call('admin', 'DELETE', `/knowledge-chunks/${chunk!.id}`)).status).toBe(204);
    expect((await call('viewer', 'GET', `/knowledge-chunks/${chunk!.id}`)).status).toBe(404);
  });
});

describe('FAQ', () => {
  it('categories and items: create, filter, patch with If-Match, delete (items go with their category)', async () => {
    const cat = await call('admin', 'POST', '/faq-categories', {
      name: 'Arrival',
      slug: 'arrival',
      exampleQuestions: ['What time is check-in?'],
    });
    expect(cat.status).toBe(201);
    const other = (await call('admin', 'POST', '/faq-categories', { name: 'Pets', slug: 'pets' })).body;
    expect((await call('viewer', 'GET', '/faq-categories?slug=pets')).body.data).toEqual([other]);
    expect((await call('admin', 'POST', '/faq-categories', { name: 'Dup', slug: 'pets' })).status).toBe(409);

    const item = await call('admin', 'POST', '/faq-items', {
      categoryId: cat.body.id,
      question: 'What time is check-in?',
      answer: 'From 3pm.',
    });
    expect(item.status).toBe(201);
    const hidden = await call('admin', 'POST', '/faq-items', {
      categoryId: cat.body.id,
      question: 'Secret?',
      answer: 'Yes.',
      isActive: false,
    });
    await call('admin', 'POST', '/faq-items', { categoryId: other.id, question: 'Dogs?', answer: 'Yes.' });
    const active = await call('viewer', 'GET', `/faq-items?categoryId=${cat.body.id}&isActive=true`);
    expect(active.body.data.map((x: Json) => x.id)).toEqual([item.body.id]);

    const etag = (await call('admin', 'GET', `/faq-items/${item.body.id}`)).headers.get('etag')!;
    const patched = await call(
      'admin',
      'PATCH',
      `/faq-items/${item.body.id}`,
      { answer: 'From 3pm; early check-in on request.' },
      { 'if-match': etag },
    );
    expect(patched.body.answer).toBe('From 3pm; early check-in on request.');

    const catEtag = (await call('admin', 'GET', `/faq-categories/${cat.body.id}`)).headers.get('etag')!;
    const gone = await call('admin', 'DELETE', `/faq-categories/${cat.body.id}`, undefined, {
      'if-match': catEtag,
    });
    expect(gone.status).toBe(204);
    expect((await call('admin', 'GET', `/faq-items/${hidden.body.id}`)).status).toBe(404);
  });

  it('validates slugs and references, and refuses agents and viewers', async () => {
    const bad = await call('admin', 'POST', '/faq-categories', { name: 'Bad', slug: 'Not A Slug' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['slug']);
    const orphan = await call('admin', 'POST', '/faq-items', {
      categoryId: randomUUID(),
      question: 'q',
      answer: 'a',
    });
    expect(orphan.status).toBe(422);
    const missing = await call('admin', 'POST', '/faq-items', { question: 'q' });
    expect(missing.body.errors.map((e: Json) => e.path).sort()).toEqual(['answer', 'categoryId']);
    for (const as of ['viewer', 'agent'] as const)
      expect((await call(as, 'POST', '/faq-categories', { name: 'No', slug: 'no' })).status).toBe(403);
  });
});
