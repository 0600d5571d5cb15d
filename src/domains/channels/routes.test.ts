import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, useResourceApi } from '../../../test/helpers/resource-api.js';
import { withTenant } from '../../platform/db/tenant.js';
import { auditLog } from '../../platform/http/tables.js';
import { channels, integrations } from './tables.js';

const api = useResourceApi({ reuseRefs: true });
const { call, fromExample, newTenant } = api;
let tenantId: string;

beforeAll(async () => {
  tenantId = await newTenant('', ['viewer', 'agent', 'admin']);
  await newTenant('other-', ['admin']);
});

const secretsIn = async (table: typeof channels | typeof integrations, id: string) => {
  const [row] = await withTenant(api.db, tenantId, (tx) => tx.select().from(table).where(eq(table.id, id)));
  return row!.secrets;
};

it('creates each resource from its documented example as-is', async () => {
  for (const name of ['channels', 'integrations', 'widget-settings']) await fromExample(name, 'other-admin');
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
    const created = await call('admin', 'POST', '/channels', sms);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/v1/channels/${id}`);
    expect(created.body).toMatchObject({ kind: 'sms', externalAccountId: '+15550100001', widgetKey: null });
    expect(await secretsIn(channels, id)).toEqual({ authToken: 'twilio-token-1' });

    const got = await call('viewer', 'GET', `/channels/${id}`);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(created.headers.get('etag'));
    const list = await call('viewer', 'GET', '/channels?kind=sms&status=active');
    expect(list.body.data.map((x: Json) => x.id)).toEqual([id]);

    const patched = await call(
      'admin',
      'PATCH',
      `/channels/${id}`,
      { name: 'Guest SMS (AU)', secrets: { authToken: 'twilio-token-2' } },
      { 'if-match': etag },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Guest SMS (AU)');
    expect(await secretsIn(channels, id)).toEqual({ authToken: 'twilio-token-2' });

    for (const body of [created.body, got.body, list.body.data[0], patched.body]) {
      expect(body).not.toHaveProperty('secrets');
      expect(JSON.stringify(body)).not.toContain('twilio-token');
    }
    const audits = await withTenant(api.db, tenantId, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.resourceId, id)),
    );
    expect(audits.map((a) => a.action).sort()).toEqual(['channels.create', 'channels.update']);
    expect(JSON.stringify(audits)).not.toContain('twilio-token');

    const gone = await call('admin', 'DELETE', `/channels/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
  });

  it('makes the widget key, ignores routing keys in bodies, and rotates widget keys', async () => {
    const widget = await call('admin', 'POST', '/channels', {
      kind: 'widget',
      name: 'Chat',
      widgetKey: 'mine',
      lastError: 'x',
    });
    expect(widget.status).toBe(201);
    expect(widget.body.widgetKey).toMatch(/^wk_[A-Za-z0-9_-]{24}$/);
    expect(widget.body.lastError).toBeNull();
    const id = widget.body.id as string;

    const patched = await call('admin', 'PATCH', `/channels/${id}`, {
      kind: 'sms',
      externalAccountId: '+1555',
      widgetKey: 'x',
    });
    expect(patched.body).toMatchObject({
      kind: 'widget',
      externalAccountId: null,
      widgetKey: widget.body.widgetKey,
    });

    const rotated = await call('admin', 'POST', `/channels/${id}/rotate-widget-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.widgetKey).toMatch(/^wk_/);
    expect(rotated.body.widgetKey).not.toBe(widget.body.widgetKey);
    const found = await call('admin', 'GET', `/channels?widgetKey=${rotated.body.widgetKey}`);
    expect(found.body.data.map((x: Json) => x.id)).toEqual([id]);

    const phone = await call('admin', 'POST', '/channels', { ...sms, externalAccountId: '+15550100002' });
    expect((await call('admin', 'POST', `/channels/${phone.body.id}/rotate-widget-key`)).status).toBe(409);
  });

  it('refuses an external account already routed, in this tenant or another', async () => {
    const first = await call('admin', 'POST', '/channels', { ...sms, externalAccountId: '+15550100003' });
    expect(first.status).toBe(201);
    const again = await call('admin', 'POST', '/channels', { ...sms, externalAccountId: '+15550100003' });
    expect(again.status).toBe(409);
    const hijack = await call('other-admin', 'POST', '/channels', {
      ...sms,
      externalAccountId: '+15550100003',
    });
    expect(hijack.status).toBe(409);
    expect(hijack.body.code).toBe('conflict');
    const otherKind = await call('admin', 'POST', '/channels', {
      ...sms,
      kind: 'whatsapp',
      externalAccountId: '+15550100003',
    });
    expect(otherKind.status).toBe(201);
  });

  it('answers a bad body with 422 and field paths, and refuses agents and viewers', async () => {
    const bad = await call('admin', 'POST', '/channels', {
      kind: 'pigeon',
      name: 'x',
      secrets: { token: 42 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['kind', 'secrets.token']);
    for (const as of ['viewer', 'agent'] as const) {
      expect((await call(as, 'POST', '/channels', { kind: 'widget', name: 'No' })).status).toBe(403);
      expect((await call(as, 'GET', '/channels')).status).toBe(200);
    }
  });
});

describe('integrations', () => {
  it('keeps secrets write-only and returns config', async () => {
    const created = await call('admin', 'POST', '/integrations', {
      type: 'hubspot',
      name: 'HubSpot',
      config: { portalId: '123' },
      secrets: { accessToken: 'hubspot-secret-1' },
      lastSyncAt: '2020-01-01T00:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'hubspot', config: { portalId: '123' }, lastSyncAt: null });
    const id = created.body.id as string;
    const etag = (await call('admin', 'GET', `/integrations/${id}`)).headers.get('etag')!;
    const patched = await call(
      'admin',
      'PATCH',
      `/integrations/${id}`,
      { status: 'inactive', secrets: { accessToken: 'hubspot-secret-2' } },
      { 'if-match': etag },
    );
    expect(patched.body.status).toBe('inactive');
    const list = await call('viewer', 'GET', '/integrations?type=hubspot&status=inactive');
    expect(list.body.data.map((x: Json) => x.id)).toEqual([id]);
    for (const body of [created.body, patched.body, list.body.data[0]])
      expect(JSON.stringify(body)).not.toMatch(/secrets|hubspot-secret/);
    expect(await secretsIn(integrations, id)).toEqual({ accessToken: 'hubspot-secret-2' });
    const gone = await call('admin', 'DELETE', `/integrations/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
    expect((await call('viewer', 'POST', '/integrations', { type: 'zapier', name: 'Z' })).status).toBe(403);
  });
});

describe('widget settings', () => {
  it('one per agent (plus a tenant default), with checked origins', async () => {
    const agent = (await call('admin', 'POST', '/agents', { name: 'Widget agent' })).body;
    const body = {
      agentId: agent.id,
      appearance: { primaryColor: '#0F766E' },
      allowedOrigins: ['https://a.example'],
    };
    const created = await call('admin', 'POST', '/widget-settings', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);
    expect((await call('admin', 'POST', '/widget-settings', body)).status).toBe(409);
    const tenantDefault = await call('admin', 'POST', '/widget-settings', { behavior: { openOnLoad: true } });
    expect(tenantDefault.body.agentId).toBeNull();
    expect((await call('admin', 'POST', '/widget-settings', {})).status).toBe(409);

    const mine = await call('viewer', 'GET', `/widget-settings?agentId=${agent.id}`);
    expect(mine.body.data.map((x: Json) => x.id)).toEqual([created.body.id]);
    const etag = created.headers.get('etag')!;
    const patched = await call(
      'admin',
      'PATCH',
      `/widget-settings/${created.body.id}`,
      { launcher: { label: 'Chat' } },
      { 'if-match': etag },
    );
    expect(patched.body.launcher).toEqual({ label: 'Chat' });
    const bad = await call('admin', 'PATCH', `/widget-settings/${created.body.id}`, {
      allowedOrigins: ['https://ok.example', 'https://x.example/path'],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['allowedOrigins.1']);
    expect((await call('agent', 'PATCH', `/widget-settings/${created.body.id}`, {})).status).toBe(403);
    const gone = await call('admin', 'DELETE', `/widget-settings/${created.body.id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
  });
});
