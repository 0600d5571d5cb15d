import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Json, useResourceApi } from '../../../test/helpers/resource-api.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { agentTemplates } from './tables.js';

// The documented examples are created in a tenant of their own.
const api = useResourceApi({
  tenants: { '': ['viewer', 'agent', 'admin'], 'examples-': ['admin'] },
  reuseRefs: true,
});
const { call, fromExample } = api;

const newAgent = async (extra: Json = {}) => {
  const res = await call('admin', 'POST', '/agents', { name: `Agent ${randomUUID().slice(0, 6)}`, ...extra });
  expect(res.status).toBe(201);
  return res.body;
};
const newVersion = async (agentId: string, extra: Json = {}) => {
  const res = await call('admin', 'POST', '/prompt-versions', {
    agentId,
    content: 'You are Mark.',
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const published = async (agentId: string) =>
  (await call('admin', 'GET', `/prompt-versions?agentId=${agentId}&isPublished=true`)).body.data as Json[];

it('creates each resource from its documented example as-is', async () => {
  for (const name of ['agents', 'prompt-versions', 'brand-voices']) await fromExample(name, 'examples-admin');
});

describe('agents', () => {
  it('create → get with ETag → list with a filter → patch with If-Match → delete', async () => {
    const created = await call('admin', 'POST', '/agents', {
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

    const got = await call('viewer', 'GET', `/agents/${id}`);
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(created.headers.get('etag'));

    const active = await call('viewer', 'GET', '/agents?status=active&type=concierge');
    expect(active.body.data.map((a: Json) => a.id)).toEqual([id]);
    expect((await call('admin', 'GET', '/agents?status=paused')).body.data).toEqual([]);

    const stale = await call('admin', 'PATCH', `/agents/${id}`, { status: 'paused' }, { 'if-match': '"x"' });
    expect(stale.status).toBe(412);
    const patched = await call('admin', 'PATCH', `/agents/${id}`, { status: 'paused' }, { 'if-match': etag });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('paused');
    expect(patched.headers.get('etag')).not.toBe(etag);

    const gone = await call('admin', 'DELETE', `/agents/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
    expect((await call('admin', 'GET', `/agents/${id}`)).status).toBe(404);
  });

  it('ignores read-only fields and answers a bad body with 422 and field paths', async () => {
    const agent = await newAgent({ createdBy: randomUUID() });
    expect(agent.createdBy).toBeNull();
    const bad = await call('admin', 'POST', '/agents', {
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
      expect((await call(as, 'POST', '/agents', { name: 'No' })).status).toBe(403);
      expect((await call(as, 'PATCH', `/agents/${agent.id}`, { name: 'No' })).status).toBe(403);
      expect((await call(as, 'DELETE', `/agents/${agent.id}`)).status).toBe(403);
      expect((await call(as, 'GET', `/agents/${agent.id}`)).status).toBe(200);
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
    expect(
      (await call('admin', 'POST', '/prompt-versions', { agentId: a.id, content: 'x', version: 2 })).status,
    ).toBe(409);
    const unknown = await call('admin', 'POST', '/prompt-versions', { agentId: randomUUID(), content: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: 'agentId', message: 'no such agent' }]);
    expect((await call('viewer', 'POST', '/prompt-versions', { agentId: a.id, content: 'x' })).status).toBe(
      403,
    );
  });

  it('keeps a version’s content fixed: PATCH changes notes only', async () => {
    const v = await newVersion((await newAgent()).id);
    const res = await call('admin', 'PATCH', `/prompt-versions/${v.id}`, {
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
    const first = await call('admin', 'POST', `/prompt-versions/${v1.id}/publish`);
    expect(first.status).toBe(200);
    expect(first.body.isPublished).toBe(true);
    expect(first.body.publishedAt).toEqual(expect.any(String));

    expect((await call('admin', 'POST', `/prompt-versions/${v2.id}/publish`)).body.isPublished).toBe(true);
    expect((await published(agent.id)).map((v) => v.id)).toEqual([v2.id]);
    expect((await call('admin', 'GET', `/prompt-versions/${v1.id}`)).body.isPublished).toBe(false);

    await call('admin', 'POST', `/prompt-versions/${v1.id}/publish`); // rollback
    expect((await published(agent.id)).map((v) => v.id)).toEqual([v1.id]);
    expect((await call('admin', 'POST', `/prompt-versions/${v1.id}/publish`)).status).toBe(200); // idempotent

    const un = await call('admin', 'POST', `/prompt-versions/${v1.id}/unpublish`);
    expect(un.body.isPublished).toBe(false);
    expect(await published(agent.id)).toEqual([]);
    expect((await call('agent', 'POST', `/prompt-versions/${v2.id}/publish`)).status).toBe(403);
  });

  it('concurrent publishes leave exactly one published version', async () => {
    const agent = await newAgent();
    const versions = [];
    for (let i = 0; i < 4; i++) versions.push(await newVersion(agent.id));
    const results = await Promise.all(
      versions.map((v) => call('admin', 'POST', `/prompt-versions/${v.id}/publish`)),
    );
    // Publishes of one agent queue on the agent row: each one wins in turn, none fails.
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await published(agent.id)).toHaveLength(1);
  });
});

describe('brand voices', () => {
  const voice = async (name: string, extra: Json = {}) => {
    const res = await call('admin', 'POST', '/brand-voices', {
      name,
      toneGuidelines: 'Warm and brief.',
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const defaults = async () =>
    ((await call('admin', 'GET', '/brand-voices?isDefault=true')).body.data as Json[]).map((v) => v.id);

  it('set-default clears the previous default in the same transaction; isDefault in a body is ignored', async () => {
    const a = await voice('Warm', {
      isDefault: true,
      responsePatterns: [{ situation: 'refund', pattern: 'Apologise.' }],
    });
    expect(a.isDefault).toBe(false);
    const b = await voice('Formal');
    expect((await call('admin', 'POST', `/brand-voices/${a.id}/set-default`)).body.isDefault).toBe(true);
    expect(await defaults()).toEqual([a.id]);
    expect((await call('admin', 'POST', `/brand-voices/${b.id}/set-default`)).body.isDefault).toBe(true);
    expect(await defaults()).toEqual([b.id]);
    expect((await call('admin', 'PATCH', `/brand-voices/${a.id}`, { isDefault: true })).body.isDefault).toBe(
      false,
    );
    await call('admin', 'POST', `/brand-voices/${b.id}/unset-default`);
    expect(await defaults()).toEqual([]);
  });

  it('validates response patterns and refuses viewers', async () => {
    const bad = await call('admin', 'POST', '/brand-voices', {
      name: 'Bad',
      toneGuidelines: 'x',
      responsePatterns: [{}],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual([
      'responsePatterns.0.situation',
      'responsePatterns.0.pattern',
    ]);
    expect((await call('viewer', 'POST', '/brand-voices', { name: 'V', toneGuidelines: 'x' })).status).toBe(
      403,
    );
  });
});

describe('agent templates', () => {
  it('lists the active global templates to any role, with filters', async () => {
    await withPlatform(api.db, (tx) =>
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
    const all = await call('viewer', 'GET', '/agent-templates');
    expect(all.status).toBe(200);
    expect(all.body.data.map((x: Json) => x.slug).sort()).toEqual(['faq-bot', 'sdr']);
    const sales = await call('viewer', 'GET', '/agent-templates?agentType=sales');
    expect(sales.body.data.map((x: Json) => x.slug)).toEqual(['sdr']);
    const page = await call('admin', 'GET', '/agent-templates?limit=1');
    expect(page.body.data).toHaveLength(1);
    const rest = await call('admin', 'GET', `/agent-templates?limit=1&cursor=${page.body.nextCursor}`);
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    expect((await call('admin', 'POST', '/agent-templates', {})).status).toBe(405);
  });
});
