import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { resourceSpecs } from '../../api/registry.js';
import { createApp } from '../../app.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { createLogger } from '../../platform/logger.js';
import { listen, type RunningServer } from '../../server.js';
import { createApiKey } from '../identity/api-keys.js';
import { auditLog } from '../ops/records.js';
import { tenants } from '../tenancy/tables.js';
import { channels, integrations } from './tables.js';

type Role = 'viewer' | 'agent' | 'admin';
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by expect(), not by types.
type Json = Record<string, any>;

const t = useTestDatabase();
let server: RunningServer;
let tenantId: string;
const keys = {} as Record<Role | 'otherAdmin', string>;

async function newTenant(): Promise<string> {
  const id = randomUUID();
  await withPlatform(t.db, (tx) =>
    tx.insert(tenants).values({ id, slug: `ch-${id.slice(0, 8)}`, name: 'Paradise Stays' }),
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
  const other = await newTenant();
  keys.otherAdmin = await withTenant(t.db, other, async (tx) => {
    return (await createApiKey(tx, other, { name: 'admin', role: 'admin' })).key;
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

const secretsIn = async (table: typeof channels | typeof integrations, id: string) => {
  const [row] = await withTenant(t.db, tenantId, (tx) => tx.select().from(table).where(eq(table.id, id)));
  return row!.secrets;
};

/** Creates `name` from its documented example, its refs first (each resource at most once). */
const made = new Map<string, Json>();
async function fromExample(name: string): Promise<Json> {
  const spec = resourceSpecs.get(name)!;
  const body: Json = { ...spec.example };
  for (const [field, ref] of Object.entries(spec.refs ?? {}))
    body[field] = (made.get(ref) ?? (await fromExample(ref))).id;
  const res = await call('POST', `/${name}`, body, { as: 'otherAdmin' });
  expect({ name, status: res.status, body: res.body }).toMatchObject({ name, status: 201 });
  made.set(name, res.body);
  return res.body;
}

it('creates each resource from its documented example as-is', async () => {
  for (const name of ['channels', 'integrations', 'widget-settings']) await fromExample(name);
});

describe('channels', () => {
  const sms = {
    kind: 'sms',
    name: 'Guest SMS',
    externalAccountId: '+15550100001',
    config: { from: '+15550100001' },
    secrets: { authToken: 'twilio-token-1' },
  };

  it('create → get with ETag → list with filters → patch with If-Match → delete; secrets never returned', async () => {
    const created = await call('POST', '/channels', sms);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/v1/channels/${id}`);
    expect(created.body).toMatchObject({ kind: 'sms', externalAccountId: '+15550100001', widgetKey: null });
    expect(await secretsIn(channels, id)).toEqual({ authToken: 'twilio-token-1' });

    const got = await call('GET', `/channels/${id}`, undefined, { as: 'viewer' });
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(created.headers.get('etag'));
    const list = await call('GET', '/channels?kind=sms&status=active', undefined, { as: 'viewer' });
    expect(list.body.data.map((x: Json) => x.id)).toEqual([id]);

    const patched = await call(
      'PATCH',
      `/channels/${id}`,
      { name: 'Guest SMS (AU)', secrets: { authToken: 'twilio-token-2' } },
      { headers: { 'if-match': etag } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Guest SMS (AU)');
    expect(await secretsIn(channels, id)).toEqual({ authToken: 'twilio-token-2' });

    for (const body of [created.body, got.body, list.body.data[0], patched.body]) {
      expect(body).not.toHaveProperty('secrets');
      expect(JSON.stringify(body)).not.toContain('twilio-token');
    }
    const audits = await withTenant(t.db, tenantId, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.resourceId, id)),
    );
    expect(audits.map((a) => a.action).sort()).toEqual(['channels.create', 'channels.update']);
    expect(JSON.stringify(audits)).not.toContain('twilio-token');

    const gone = await call('DELETE', `/channels/${id}`, undefined, {
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
  });

  it('makes the widget key, ignores routing keys in bodies, and rotates widget keys', async () => {
    const widget = await call('POST', '/channels', {
      kind: 'widget',
      name: 'Chat',
      widgetKey: 'mine',
      lastError: 'x',
    });
    expect(widget.status).toBe(201);
    expect(widget.body.widgetKey).toMatch(/^wk_[A-Za-z0-9_-]{24}$/);
    expect(widget.body.lastError).toBeNull();
    const id = widget.body.id as string;

    const patched = await call('PATCH', `/channels/${id}`, {
      kind: 'sms',
      externalAccountId: '+1555',
      widgetKey: 'x',
    });
    expect(patched.body).toMatchObject({
      kind: 'widget',
      externalAccountId: null,
      widgetKey: widget.body.widgetKey,
    });

    const rotated = await call('POST', `/channels/${id}/rotate-widget-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.widgetKey).toMatch(/^wk_/);
    expect(rotated.body.widgetKey).not.toBe(widget.body.widgetKey);
    const found = await call('GET', `/channels?widgetKey=${rotated.body.widgetKey}`);
    expect(found.body.data.map((x: Json) => x.id)).toEqual([id]);

    const phone = await call('POST', '/channels', { ...sms, externalAccountId: '+15550100002' });
    expect((await call('POST', `/channels/${phone.body.id}/rotate-widget-key`)).status).toBe(409);
  });

  it('refuses an external account already routed, in this tenant or another', async () => {
    const first = await call('POST', '/channels', { ...sms, externalAccountId: '+15550100003' });
    expect(first.status).toBe(201);
    const again = await call('POST', '/channels', { ...sms, externalAccountId: '+15550100003' });
    expect(again.status).toBe(409);
    const hijack = await call(
      'POST',
      '/channels',
      { ...sms, externalAccountId: '+15550100003' },
      { as: 'otherAdmin' },
    );
    expect(hijack.status).toBe(409);
    expect(hijack.body.code).toBe('conflict');
    const otherKind = await call('POST', '/channels', {
      ...sms,
      kind: 'whatsapp',
      externalAccountId: '+15550100003',
    });
    expect(otherKind.status).toBe(201);
  });

  it('answers a bad body with 422 and field paths, and refuses agents and viewers', async () => {
    const bad = await call('POST', '/channels', { kind: 'pigeon', name: 'x', secrets: { token: 42 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['kind', 'secrets.token']);
    for (const as of ['viewer', 'agent'] as const) {
      expect((await call('POST', '/channels', { kind: 'widget', name: 'No' }, { as })).status).toBe(403);
      expect((await call('GET', '/channels', undefined, { as })).status).toBe(200);
    }
  });
});

describe('integrations', () => {
  it('keeps secrets write-only and returns config', async () => {
    const created = await call('POST', '/integrations', {
      type: 'hubspot',
      name: 'HubSpot',
      config: { portalId: '123' },
      secrets: { accessToken: 'hubspot-secret-1' },
      lastSyncAt: '2020-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'hubspot', config: { portalId: '123' }, lastSyncAt: null });
    const id = created.body.id as string;
    const etag = (await call('GET', `/integrations/${id}`)).headers.get('etag')!;
    const patched = await call(
      'PATCH',
      `/integrations/${id}`,
      { status: 'inactive', secrets: { accessToken: 'hubspot-secret-2' } },
      { headers: { 'if-match': etag } },
    );
    expect(patched.body.status).toBe('inactive');
    const list = await call('GET', '/integrations?type=hubspot&status=inactive', undefined, { as: 'viewer' });
    expect(list.body.data.map((x: Json) => x.id)).toEqual([id]);
    for (const body of [created.body, patched.body, list.body.data[0]])
      expect(JSON.stringify(body)).not.toMatch(/secrets|hubspot-secret/);
    expect(await secretsIn(integrations, id)).toEqual({ accessToken: 'hubspot-secret-2' });
    const gone = await call('DELETE', `/integrations/${id}`, undefined, {
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
    expect(
      (await call('POST', '/integrations', { type: 'zapier', name: 'Z' }, { as: 'viewer' })).status,
    ).toBe(403);
  });
});

describe('widget settings', () => {
  it('one per agent (plus a tenant default), with checked origins', async () => {
    const agent = (await call('POST', '/agents', { name: 'Widget agent' })).body;
    const body = {
      agentId: agent.id,
      appearance: { primaryColor: '#0F766E' },
      allowedOrigins: ['https://a.example'],
    };
    const created = await call('POST', '/widget-settings', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);
    expect((await call('POST', '/widget-settings', body)).status).toBe(409);
    const tenantDefault = await call('POST', '/widget-settings', { behavior: { openOnLoad: true } });
    expect(tenantDefault.body.agentId).toBeNull();
    expect((await call('POST', '/widget-settings', {})).status).toBe(409);

    const mine = await call('GET', `/widget-settings?agentId=${agent.id}`, undefined, { as: 'viewer' });
    expect(mine.body.data.map((x: Json) => x.id)).toEqual([created.body.id]);
    const etag = created.headers.get('etag')!;
    const patched = await call(
      'PATCH',
      `/widget-settings/${created.body.id}`,
      { launcher: { label: 'Chat' } },
      { headers: { 'if-match': etag } },
    );
    expect(patched.body.launcher).toEqual({ label: 'Chat' });
    const bad = await call('PATCH', `/widget-settings/${created.body.id}`, {
      allowedOrigins: ['https://ok.example', 'https://x.example/path'],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['allowedOrigins.1']);
    expect((await call('PATCH', `/widget-settings/${created.body.id}`, {}, { as: 'agent' })).status).toBe(
      403,
    );
    const gone = await call('DELETE', `/widget-settings/${created.body.id}`, undefined, {
      headers: { 'if-match': patched.headers.get('etag')! },
    });
    expect(gone.status).toBe(204);
  });
});
