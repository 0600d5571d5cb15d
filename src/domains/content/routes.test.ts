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

type Role = 'viewer' | 'agent' | 'admin';
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), not by types.
type Json = Record<string, any>;

const t = useTestDatabase();
let server: RunningServer;
const keys = {} as Record<Role | 'examples', string>;

async function newTenant(): Promise<string> {
  const id = randomUUID();
  await withPlatform(t.db, (tx) =>
    tx.insert(tenants).values({ id, slug: `content-${id.slice(0, 8)}`, name: 'Paradise Stays' }),
  );
  return id;
}

beforeAll(async () => {
  server = await listen(createApp({ db: t.db, logger: createLogger('silent') }), '127.0.0.1', 0);
  const tenantId = randomUUID();
  await withPlatform(t.db, (tx) =>
    tx
      .insert(tenants)
      .values({ id: tenantId, slug: `content-${tenantId.slice(0, 8)}`, name: 'Paradise Stays' }),
  );
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
  for (const name of ['message-templates', 'canned-responses']) await fromExample(name);
});

describe('message templates', () => {
  const T3 = { channel: 'sms', trigger: 'T_MINUS_3', body: 'Hi {{guest_first_name}}, see you in 3 days!' };

  it('create → get with ETag → list with filters → patch with If-Match → delete', async () => {
    const created = await call('POST', '/message-templates', { ...T3, name: 'T-3 SMS' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ ...T3, version: 1, isActive: true });

    const got = await call('GET', `/message-templates/${id}`, undefined, { as: 'viewer' });
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;

    const email = await call('POST', '/message-templates', { ...T3, channel: 'email', subject: 'Soon!' });
    expect(email.status).toBe(201);
    const sms = await call('GET', '/message-templates?channel=sms&trigger=T_MINUS_3', undefined, {
      as: 'viewer',
    });
    expect(sms.body.data.map((x: Json) => x.id)).toEqual([id]);
    expect((await call('GET', '/message-templates?trigger=DAY_OF')).body.data).toEqual([]);

    const patched = await call(
      'PATCH',
      `/message-templates/${id}`,
      { body: 'Hi {{guest_first_name}}, 3 days to go!' },
      { headers: { 'if-match': etag } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.body).toBe('Hi {{guest_first_name}}, 3 days to go!');
    expect(
      (
        await call(
          'PATCH',
          `/message-templates/${id}`,
          { isActive: false },
          { headers: { 'if-match': etag } },
        )
      ).status,
    ).toBe(412);

    const gone = await call('DELETE', `/message-templates/${id}`, undefined, {
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
    expect((await call('GET', `/message-templates/${id}`)).status).toBe(404);
  });

  it('ignores the server-owned version and answers 409 for a second template of a channel × trigger', async () => {
    const first = await call('POST', '/message-templates', { ...T3, trigger: 'T_MINUS_1', version: 5 });
    expect(first.body.version).toBe(1);
    const patched = await call('PATCH', `/message-templates/${first.body.id}`, { version: 9 });
    expect(patched.body.version).toBe(1);
    expect((await call('POST', '/message-templates', { ...T3, trigger: 'T_MINUS_1' })).status).toBe(409);
  });

  it('answers a bad body with 422 and field paths, and refuses agents and viewers', async () => {
    const bad = await call('POST', '/message-templates', { channel: 'fax', trigger: 'T_MINUS_3', body: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['body', 'channel']);
    for (const as of ['viewer', 'agent'] as const)
      expect((await call('POST', '/message-templates', { ...T3, trigger: 'DAY_OF' }, { as })).status).toBe(
        403,
      );
  });
});

describe('canned responses', () => {
  const reply = {
    shortcut: 'refund',
    title: 'Refunds',
    content: 'Refunds take 5 days.',
    category: 'billing',
  };

  it('agents create, list by shortcut or category, patch with If-Match and delete', async () => {
    const created = await call('POST', '/canned-responses', { ...reply, usageCount: 99 }, { as: 'agent' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...reply, usageCount: 0, isTeam: true });
    const id = created.body.id as string;
    await call(
      'POST',
      '/canned-responses',
      { ...reply, shortcut: 'wifi', category: 'stay' },
      { as: 'agent' },
    );

    const byShortcut = await call('GET', '/canned-responses?shortcut=refund', undefined, { as: 'viewer' });
    expect(byShortcut.body.data.map((x: Json) => x.id)).toEqual([id]);
    const billing = await call('GET', '/canned-responses?category=billing');
    expect(billing.body.data.map((x: Json) => x.id)).toEqual([id]);

    const etag = (await call('GET', `/canned-responses/${id}`)).headers.get('etag')!;
    const patched = await call(
      'PATCH',
      `/canned-responses/${id}`,
      { title: 'Refund timing', usageCount: 50 },
      { as: 'agent', headers: { 'if-match': etag } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Refund timing', usageCount: 0 });
    const gone = await call('DELETE', `/canned-responses/${id}`, undefined, {
      as: 'agent',
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
  });

  it('use adds one to usageCount each time, for agents but not viewers', async () => {
    const { body } = await call(
      'POST',
      '/canned-responses',
      { ...reply, shortcut: 'checkin' },
      { as: 'agent' },
    );
    expect(
      (await call('POST', `/canned-responses/${body.id}/use`, undefined, { as: 'agent' })).body.usageCount,
    ).toBe(1);
    const uses = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/canned-responses/${body.id}/use`, {}, { as: 'agent' })),
    );
    expect(uses.map((u) => u.status)).toEqual([200, 200, 200]);
    expect((await call('GET', `/canned-responses/${body.id}`)).body.usageCount).toBe(4);
    expect((await call('POST', `/canned-responses/${body.id}/use`, undefined, { as: 'viewer' })).status).toBe(
      403,
    );
  });

  it('answers a bad shortcut with 422 and a duplicate shortcut with 409', async () => {
    const bad = await call('POST', '/canned-responses', { ...reply, shortcut: 'has space' }, { as: 'agent' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['shortcut']);
    await call('POST', '/canned-responses', { ...reply, shortcut: 'dup' }, { as: 'agent' });
    expect(
      (await call('POST', '/canned-responses', { ...reply, shortcut: 'dup' }, { as: 'agent' })).status,
    ).toBe(409);
    expect((await call('POST', '/canned-responses', reply, { as: 'viewer' })).status).toBe(403);
  });
});
