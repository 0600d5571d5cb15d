import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { resourceSpecs } from '../../api/registry.js';
import { createApp } from '../../app.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { createLogger } from '../../platform/logger.js';
import { listen, type RunningServer } from '../../server.js';
import { createApiKey } from '../identity/api-keys.js';
import { tenants } from '../tenancy/tables.js';
import { knowledgeChunks } from './tables.js';

type Role = 'viewer' | 'agent' | 'admin';
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), not by types.
type Json = Record<string, any>;

const t = useTestDatabase();
let server: RunningServer;
let tenantId: string;
const keys = {} as Record<Role | 'examples', string>;

async function newTenant(): Promise<string> {
  const id = randomUUID();
  await withPlatform(t.db, (tx) =>
    tx.insert(tenants).values({ id, slug: `kb-${id.slice(0, 8)}`, name: 'Paradise Stays' }),
  );
  return id;
}

beforeAll(async () => {
  server = await listen(createApp({ db: t.db, logger: createLogger('silent') }), '127.0.0.1', 0);
  tenantId = await newTenant();
  await withTenant(t.db, tenantId, async (tx) => {
    for (const role of ['viewer', 'agent', 'admin'] as const)
      keys[role] = (await createApiKey(tx, tenantId, { name: role, role })).key;
  });
  const examples = await newTenant(); // the documented examples are created in a tenant of their own
  keys.examples = await withTenant(t.db, examples, async (tx) => {
    return (await createApiKey(tx, examples, { name: 'examples', role: 'admin' })).key;
  });
});
afterAll(() => server?.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
  opts: { as?: keyof typeof keys; headers?: Json } = {},
) {
  const res = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${keys[opts.as ?? 'admin']}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}

const source = { kind: 'text', title: 'House rules', content: 'Check-in is from 3pm.', category: 'policies' };

/** Creates `name` from its documented example, its refs first (each resource at most once). */
const made = new Map<string, Json>();
async function fromExample(name: string): Promise<Json> {
  const spec = resourceSpecs.get(name)!;
  const body: Json = { ...spec.example };
  for (const [field, ref] of Object.entries(spec.refs ?? {}))
    body[field] = (made.get(ref) ?? (await fromExample(ref))).id;
  const res = await call('POST', `/${name}`, body, { as: 'examples' });
  expect({ name, status: res.status, body: res.body }).toMatchObject({ name, status: 201 });
  made.set(name, res.body);
  return res.body;
}

it('creates each resource from its documented example as-is', async () => {
  for (const name of ['knowledge-sources', 'faq-categories', 'faq-items']) await fromExample(name);
});

describe('knowledge sources', () => {
  it('create → get with ETag → list with filters → patch with If-Match → delete', async () => {
    const created = await call('POST', '/knowledge-sources', source);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...source,
      status: 'queued',
      progress: 0,
      chunkCount: 0,
      error: null,
    });
    const id = created.body.id as string;
    await call('POST', '/knowledge-sources', {
      kind: 'url',
      title: 'Site',
      url: 'https://paradise.example/faq',
    });

    const got = await call('GET', `/knowledge-sources/${id}`, undefined, { as: 'viewer' });
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(created.headers.get('etag'));
    const texts = await call('GET', '/knowledge-sources?kind=text&status=queued', undefined, {
      as: 'viewer',
    });
    expect(texts.body.data.map((x: Json) => x.id)).toEqual([id]);
    expect((await call('GET', '/knowledge-sources?status=ready')).body.data).toEqual([]);

    const patched = await call(
      'PATCH',
      `/knowledge-sources/${id}`,
      { title: 'House rules 2027', tags: ['rules'] },
      { headers: { 'if-match': etag } },
    );
    expect(patched.body).toMatchObject({ title: 'House rules 2027', tags: ['rules'] });
    const gone = await call('DELETE', `/knowledge-sources/${id}`, undefined, {
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
  });

  it('ignores server-managed fields in a body', async () => {
    const sneaky = {
      ...source,
      title: 'Sneaky',
      status: 'ready',
      progress: 100,
      chunkCount: 7,
      contentHash: 'abc',
      filePath: '/etc/passwd',
      error: 'x',
    };
    const created = await call('POST', '/knowledge-sources', sneaky);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'queued', progress: 0, chunkCount: 0, contentHash: null });
    expect(created.body.filePath).toBeNull();
    const patched = await call('PATCH', `/knowledge-sources/${created.body.id}`, {
      status: 'failed',
      progress: 50,
    });
    expect(patched.body).toMatchObject({ status: 'queued', progress: 0 });
  });

  it('answers a bad body with 422 and field paths, and refuses agents and viewers', async () => {
    const bad = await call('POST', '/knowledge-sources', {
      kind: 'pdf',
      title: 'x',
      url: 'file:///etc/passwd',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['kind', 'url']);
    for (const as of ['viewer', 'agent'] as const)
      expect((await call('POST', '/knowledge-sources', source, { as })).status).toBe(403);
  });
});

describe('knowledge chunks', () => {
  it('are read-only and never show their vectors', async () => {
    const src = (await call('POST', '/knowledge-sources', { ...source, title: 'Chunked' })).body;
    const [chunk] = await withTenant(t.db, tenantId, (tx) =>
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
    const list = await call('GET', `/knowledge-chunks?sourceId=${src.id}`, undefined, { as: 'viewer' });
    expect(list.status).toBe(200);
    expect(list.body.data.map((x: Json) => x.id)).toEqual([chunk!.id]);
    const one = await call('GET', `/knowledge-chunks/${chunk!.id}`, undefined, { as: 'viewer' });
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
    expect((await call('GET', `/knowledge-chunks?sourceId=${randomUUID()}`)).body.data).toEqual([]);
    expect(
      (await call('POST', '/knowledge-chunks', { sourceId: src.id, content: 'x', position: 1 })).status,
    ).toBe(404);
    expect((await call('PATCH', `/knowledge-chunks/${chunk!.id}`, { content: 'x' })).status).toBe(404);
    expect((await call('DELETE', `/knowledge-chunks/${chunk!.id}`)).status).toBe(404);
  });
});

describe('FAQ', () => {
  it('categories and items: create, filter, patch with If-Match, delete (items go with their category)', async () => {
    const cat = await call('POST', '/faq-categories', {
      name: 'Arrival',
      slug: 'arrival',
      exampleQuestions: ['What time is check-in?'],
    });
    expect(cat.status).toBe(201);
    const other = (await call('POST', '/faq-categories', { name: 'Pets', slug: 'pets' })).body;
    expect((await call('GET', '/faq-categories?slug=pets', undefined, { as: 'viewer' })).body.data).toEqual([
      other,
    ]);
    expect((await call('POST', '/faq-categories', { name: 'Dup', slug: 'pets' })).status).toBe(409);

    const item = await call('POST', '/faq-items', {
      categoryId: cat.body.id,
      question: 'What time is check-in?',
      answer: 'From 3pm.',
    });
    expect(item.status).toBe(201);
    const hidden = await call('POST', '/faq-items', {
      categoryId: cat.body.id,
      question: 'Secret?',
      answer: 'Yes.',
      isActive: false,
    });
    await call('POST', '/faq-items', { categoryId: other.id, question: 'Dogs?', answer: 'Yes.' });
    const active = await call('GET', `/faq-items?categoryId=${cat.body.id}&isActive=true`, undefined, {
      as: 'viewer',
    });
    expect(active.body.data.map((x: Json) => x.id)).toEqual([item.body.id]);

    const etag = (await call('GET', `/faq-items/${item.body.id}`)).headers.get('etag')!;
    const patched = await call(
      'PATCH',
      `/faq-items/${item.body.id}`,
      { answer: 'From 3pm; early check-in on request.' },
      { headers: { 'if-match': etag } },
    );
    expect(patched.body.answer).toBe('From 3pm; early check-in on request.');

    const catEtag = (await call('GET', `/faq-categories/${cat.body.id}`)).headers.get('etag')!;
    const gone = await call('DELETE', `/faq-categories/${cat.body.id}`, undefined, {
      headers: { 'if-match': catEtag },
    });
    expect(gone.status).toBe(204);
    expect((await call('GET', `/faq-items/${hidden.body.id}`)).status).toBe(404);
  });

  it('validates slugs and references, and refuses agents and viewers', async () => {
    const bad = await call('POST', '/faq-categories', { name: 'Bad', slug: 'Not A Slug' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['slug']);
    const orphan = await call('POST', '/faq-items', { categoryId: randomUUID(), question: 'q', answer: 'a' });
    expect(orphan.status).toBe(422);
    const missing = await call('POST', '/faq-items', { question: 'q' });
    expect(missing.body.errors.map((e: Json) => e.path).sort()).toEqual(['answer', 'categoryId']);
    for (const as of ['viewer', 'agent'] as const)
      expect((await call('POST', '/faq-categories', { name: 'No', slug: 'no' }, { as })).status).toBe(403);
  });
});
