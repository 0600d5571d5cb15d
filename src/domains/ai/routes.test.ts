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
import { agentTemplates } from './tables.js';

type Role = 'viewer' | 'agent' | 'admin';
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), not by types.
type Json = Record<string, any>;

const t = useTestDatabase();
let server: RunningServer;
const keys = {} as Record<Role | 'examples', string>;

async function newTenant(): Promise<string> {
  const id = randomUUID();
  await withPlatform(t.db, (tx) =>
    tx.insert(tenants).values({ id, slug: `ai-${id.slice(0, 8)}`, name: 'Paradise Stays' }),
  );
  return id;
}

beforeAll(async () => {
  server = await listen(createApp({ db: t.db, logger: createLogger('silent') }), '127.0.0.1', 0);
  const tenantId = await newTenant();
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

const newAgent = async (extra: Json = {}) => {
  const res = await call('POST', '/agents', { name: `Agent ${randomUUID().slice(0, 6)}`, ...extra });
  expect(res.status).toBe(201);
  return res.body;
};
const newVersion = async (agentId: string, extra: Json = {}) => {
  const res = await call('POST', '/prompt-versions', { agentId, content: 'You are Mark.', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const published = async (agentId: string) =>
  (await call('GET', `/prompt-versions?agentId=${agentId}&isPublished=true`)).body.data as Json[];

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
  for (const name of ['agents', 'prompt-versions', 'brand-voices']) await fromExample(name);
});

describe('agents', () => {
  it('create → get with ETag → list with a filter → patch with If-Match → delete', async () => {
    const created = await call('POST', '/agents', {
      name: 'Guest messaging',
      assistantName: 'Mark',
      type: 'concierge',
      status: 'active',
      quietHoursStart: '22:00',
      quietHoursEnd: '08:00',
      confidenceThreshold: 0.8,
      escalationCategories: ['refund', 'emergency'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/v1/agents/${id}`);
    expect(created.body).toMatchObject({ quietHoursStart: '22:00:00', confidenceThreshold: 0.8 });

    const got = await call('GET', `/agents/${id}`, undefined, { as: 'viewer' });
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(created.headers.get('etag'));

    const active = await call('GET', '/agents?status=active&type=concierge', undefined, { as: 'viewer' });
    expect(active.body.data.map((a: Json) => a.id)).toEqual([id]);
    expect((await call('GET', '/agents?status=paused')).body.data).toEqual([]);

    const stale = await call(
      'PATCH',
      `/agents/${id}`,
      { status: 'paused' },
      { headers: { 'if-match': '"x"' } },
    );
    expect(stale.status).toBe(412);
    const patched = await call(
      'PATCH',
      `/agents/${id}`,
      { status: 'paused' },
      { headers: { 'if-match': etag } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('paused');
    expect(patched.headers.get('etag')).not.toBe(etag);

    const gone = await call('DELETE', `/agents/${id}`, undefined, {
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
    expect((await call('GET', `/agents/${id}`)).status).toBe(404);
  });

  it('ignores read-only fields and answers a bad body with 422 and field paths', async () => {
    const agent = await newAgent({ createdBy: randomUUID() });
    expect(agent.createdBy).toBeNull();
    const bad = await call('POST', '/agents', {
      name: 'x',
      confidenceThreshold: 2,
      quietHoursStart: '25:00',
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual([
      'confidenceThreshold',
      'quietHoursStart',
    ]);
  });

  it('lets viewers and agents read but not configure', async () => {
    const agent = await newAgent();
    for (const as of ['viewer', 'agent'] as const) {
      expect((await call('POST', '/agents', { name: 'No' }, { as })).status).toBe(403);
      expect((await call('PATCH', `/agents/${agent.id}`, { name: 'No' }, { as })).status).toBe(403);
      expect((await call('DELETE', `/agents/${agent.id}`, undefined, { as })).status).toBe(403);
      expect((await call('GET', `/agents/${agent.id}`, undefined, { as })).status).toBe(200);
    }
  });
});

describe('prompt versions', () => {
  it('numbers versions per agent unless the client names a free number', async () => {
    const a = await newAgent();
    const b = await newAgent();
    expect((await newVersion(a.id)).version).toBe(1);
    expect((await newVersion(a.id)).version).toBe(2);
    expect((await newVersion(b.id)).version).toBe(1);
    expect((await newVersion(a.id, { version: 7 })).version).toBe(7);
    expect((await newVersion(a.id)).version).toBe(8);
    expect((await call('POST', '/prompt-versions', { agentId: a.id, content: 'x', version: 2 })).status).toBe(
      409,
    );
    const unknown = await call('POST', '/prompt-versions', { agentId: randomUUID(), content: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: 'agentId', message: 'no such agent' }]);
    expect(
      (await call('POST', '/prompt-versions', { agentId: a.id, content: 'x' }, { as: 'viewer' })).status,
    ).toBe(403);
  });

  it('keeps a version’s content fixed: PATCH changes notes only', async () => {
    const v = await newVersion((await newAgent()).id);
    const res = await call('PATCH', `/prompt-versions/${v.id}`, {
      content: 'changed',
      version: 9,
      notes: 'why',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      content: 'You are Mark.',
      version: 1,
      notes: 'why',
      isPublished: false,
    });
  });

  it('publish moves the published mark atomically; rollback = publish an older one; unpublish', async () => {
    const agent = await newAgent();
    const v1 = await newVersion(agent.id);
    const v2 = await newVersion(agent.id);
    const first = await call('POST', `/prompt-versions/${v1.id}/publish`);
    expect(first.status).toBe(200);
    expect(first.body.isPublished).toBe(true);
    expect(first.body.publishedAt).toEqual(expect.any(String));

    expect((await call('POST', `/prompt-versions/${v2.id}/publish`)).body.isPublished).toBe(true);
    expect((await published(agent.id)).map((v) => v.id)).toEqual([v2.id]);
    expect((await call('GET', `/prompt-versions/${v1.id}`)).body.isPublished).toBe(false);

    await call('POST', `/prompt-versions/${v1.id}/publish`); // rollback
    expect((await published(agent.id)).map((v) => v.id)).toEqual([v1.id]);
    expect((await call('POST', `/prompt-versions/${v1.id}/publish`)).status).toBe(200); // idempotent

    const un = await call('POST', `/prompt-versions/${v1.id}/unpublish`);
    expect(un.body.isPublished).toBe(false);
    expect(await published(agent.id)).toEqual([]);
    expect((await call('POST', `/prompt-versions/${v2.id}/publish`, undefined, { as: 'agent' })).status).toBe(
      403,
    );
  });

  it('concurrent publishes leave exactly one published version', async () => {
    const agent = await newAgent();
    const versions = [];
    for (let i = 0; i < 4; i++) versions.push(await newVersion(agent.id));
    const results = await Promise.all(versions.map((v) => call('POST', `/prompt-versions/${v.id}/publish`)));
    // Publishes of one agent queue on the agent row: each one wins in turn, none fails.
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await published(agent.id)).toHaveLength(1);
  });
});

describe('brand voices', () => {
  const voice = async (name: string, extra: Json = {}) => {
    const res = await call('POST', '/brand-voices', { name, toneGuidelines: 'Warm and brief.', ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const defaults = async () =>
    ((await call('GET', '/brand-voices?isDefault=true')).body.data as Json[]).map((v) => v.id);

  it('set-default clears the previous default in the same transaction; isDefault in a body is ignored', async () => {
    const a = await voice('Warm', {
      isDefault: true,
      responsePatterns: [{ situation: 'refund', pattern: 'Apologise.' }],
    });
    expect(a.isDefault).toBe(false);
    const b = await voice('Formal');
    expect((await call('POST', `/brand-voices/${a.id}/set-default`)).body.isDefault).toBe(true);
    expect(await defaults()).toEqual([a.id]);
    expect((await call('POST', `/brand-voices/${b.id}/set-default`)).body.isDefault).toBe(true);
    expect(await defaults()).toEqual([b.id]);
    expect((await call('PATCH', `/brand-voices/${a.id}`, { isDefault: true })).body.isDefault).toBe(false);
    await call('POST', `/brand-voices/${b.id}/unset-default`);
    expect(await defaults()).toEqual([]);
  });

  it('validates response patterns and refuses viewers', async () => {
    const bad = await call('POST', '/brand-voices', {
      name: 'Bad',
      toneGuidelines: 'x',
      responsePatterns: [{}],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual([
      'responsePatterns.0.situation',
      'responsePatterns.0.pattern',
    ]);
    expect(
      (await call('POST', '/brand-voices', { name: 'V', toneGuidelines: 'x' }, { as: 'viewer' })).status,
    ).toBe(403);
  });
});

describe('agent templates', () => {
  it('lists the active global templates to any role, with filters', async () => {
    await withPlatform(t.db, (tx) =>
      tx.insert(agentTemplates).values([
        {
          slug: 'faq-bot',
          name: 'FAQ bot',
          agentType: 'support',
          category: 'support',
          basePrompt: 'Answer FAQs.',
        },
        {
          slug: 'sdr',
          name: 'Sales rep',
          agentType: 'sales',
          category: 'sales',
          basePrompt: 'Qualify leads.',
        },
        { slug: 'old', name: 'Retired', basePrompt: 'x', isActive: false },
      ]),
    );
    const all = await call('GET', '/agent-templates', undefined, { as: 'viewer' });
    expect(all.status).toBe(200);
    expect(all.body.data.map((x: Json) => x.slug).sort()).toEqual(['faq-bot', 'sdr']);
    const sales = await call('GET', '/agent-templates?agentType=sales', undefined, { as: 'viewer' });
    expect(sales.body.data.map((x: Json) => x.slug)).toEqual(['sdr']);
    const page = await call('GET', '/agent-templates?limit=1');
    expect(page.body.data).toHaveLength(1);
    const rest = await call('GET', `/agent-templates?limit=1&cursor=${page.body.next_cursor}`);
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.next_cursor).toBeNull();
    expect((await call('POST', '/agent-templates', {})).status).toBe(404);
  });
});
