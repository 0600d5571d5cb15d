import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { resourceSpecs } from '../../api/registry.js';
import { createApp } from '../../app.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { createLogger } from '../../platform/logger.js';
import { listen, type RunningServer } from '../../server.js';
import { createApiKey } from '../identity/api-keys.js';
import type { Role } from '../identity/tables.js';
import { tenants } from '../tenancy/tables.js';

const t = useTestDatabase();
let server: RunningServer;
const key: Record<string, string> = {};

// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON
type Res = { status: number; headers: Headers; body: any };
async function call(
  who: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key[who]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null } as Res;
}
const expectProblem = (r: Res, status: number) => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
};
async function newTenant(prefix: string, roles: Role[]): Promise<void> {
  const id = randomUUID();
  await withPlatform(t.db, (tx) => tx.insert(tenants).values({ id, slug: `t-${id.slice(0, 8)}`, name: 'T' }));
  for (const role of roles) {
    key[`${prefix}${role}`] = (
      await withTenant(t.db, id, (tx) => createApiKey(tx, id, { name: role, role }))
    ).key;
  }
}

/** Creates a resource from its documented example, creating what it refers to first. */
async function fromExample(name: string, who = 'admin'): Promise<Res> {
  const spec = resourceSpecs.get(name)!;
  const body = { ...spec.example };
  for (const [field, target] of Object.entries(spec.refs ?? {}))
    body[field] = (await fromExample(target, who)).body.id;
  const r = await call(who, 'POST', `/${name}`, body);
  expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(201);
  return r;
}

/** create → get (ETag) → list by filter → patch (If-Match) → delete (If-Match), with role and tenant refusals. */
async function lifecycle(name: string, filter: string, patch: Record<string, unknown>) {
  const spec = resourceSpecs.get(name)!;
  const made = await fromExample(name);
  const id = made.body.id;
  expect(made.headers.get('location')).toBe(`/v1/${name}/${id}`);
  const got = await call('viewer', 'GET', `/${name}/${id}`);
  expect(got.headers.get('etag')).toBe(made.headers.get('etag'));
  const list = await call(
    'viewer',
    'GET',
    `/${name}?${filter}=${encodeURIComponent(String(made.body[filter]))}`,
  );
  expect(list.body.data.map((r: { id: string }) => r.id)).toContain(id);
  expectProblem(await call('viewer', 'POST', `/${name}`, spec.example), 403);
  if (spec.writeRole === 'admin') expectProblem(await call('agent', 'POST', `/${name}`, spec.example), 403);
  expectProblem(await call('viewer', 'PATCH', `/${name}/${id}`, patch), 403);
  expectProblem(await call('other-admin', 'GET', `/${name}/${id}`), 404);
  expectProblem(await call('other-admin', 'PATCH', `/${name}/${id}`, patch), 404);
  const etag = got.headers.get('etag')!;
  const patched = await call('admin', 'PATCH', `/${name}/${id}`, patch, { 'if-match': etag });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  expect(patched.body).toMatchObject(patch);
  expectProblem(await call('admin', 'DELETE', `/${name}/${id}`, undefined, { 'if-match': etag }), 412);
  const del = await call('admin', 'DELETE', `/${name}/${id}`, undefined, {
    'if-match': patched.headers.get('etag')!,
  });
  expect(del.status).toBe(204);
  expectProblem(await call('viewer', 'GET', `/${name}/${id}`), 404);
  return made.body;
}

beforeAll(async () => {
  server = await listen(createApp({ db: t.db, logger: createLogger('silent') }), '127.0.0.1', 0);
  await newTenant('', ['viewer', 'agent', 'admin']);
  await newTenant('other-', ['admin']);
});
afterAll(() => server?.close());

describe('customer success resources', () => {
  it('contracts', async () => {
    await lifecycle('contracts', 'accountId', { status: 'terminated', arrCents: 0 });
    expectProblem(
      await call('agent', 'POST', '/contracts', { startDate: '2026-03-01', endDate: '2026-02-01' }),
      422,
    );
  });

  it('entitlements', async () => {
    await lifecycle('entitlements', 'contractId', { quantity: 30 });
    const contract = (await fromExample('contracts')).body;
    expectProblem(
      await call('agent', 'POST', '/entitlements', { contractId: contract.id, name: 'x', quantity: -1 }),
      422,
    );
    // A contract of another tenant cannot be referenced.
    expectProblem(
      await call('other-admin', 'POST', '/entitlements', { contractId: contract.id, name: 'Seats' }),
      422,
    );
  });

  it('meetings', async () => {
    await lifecycle('meetings', 'accountId', { status: 'completed', durationMinutes: 50 });
  });

  it('transcripts', async () => {
    await lifecycle('transcripts', 'meetingId', { wordCount: 5_200 });
  });

  it('insights', async () => {
    const insight = await lifecycle('insights', 'type', { status: 'done' });
    expect(insight).toMatchObject({ source: 'meeting', importance: 'high', dueDate: '2026-04-21' });
    expectProblem(
      await call('agent', 'POST', '/insights', { source: 'meeting', type: 'rumour', content: 'x' }),
      422,
    );
  });

  it('training modules (admin)', async () => {
    await lifecycle('training-modules', 'category', { isActive: false, level: 'advanced' });
  });

  it('training progress: completion needs completed_at', async () => {
    const progress = await lifecycle('training-progress', 'moduleId', { progress: 80 });
    expect(progress).toMatchObject({ status: 'in_progress', progress: 40 });
    const made = (await fromExample('training-progress')).body;
    expectProblem(
      await call('agent', 'PATCH', `/training-progress/${made.id}`, { status: 'completed' }),
      422,
    );
    const done = await call('agent', 'PATCH', `/training-progress/${made.id}`, {
      status: 'completed',
      progress: 100,
      completedAt: '2026-03-20T10:00:00Z',
    });
    expect(done.body).toMatchObject({ status: 'completed', completedAt: '2026-03-20T10:00:00.000Z' });
    expectProblem(await call('agent', 'PATCH', `/training-progress/${made.id}`, { progress: 101 }), 422);
  });
});
