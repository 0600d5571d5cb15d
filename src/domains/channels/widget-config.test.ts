/**
 * What the embed script sees (GET /v1/widget/{key}/config) and the console's live feed
 * (GET /v1/live): public settings only, the widget's guards, and one event per stored message
 * of the caller's tenant, none of another tenant's.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../../../test/helpers/api.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { tenants } from '../../schema/tenants.js';

const api = useTestApi();
let tenant: TestTenant;
let other: TestTenant;
let key = '';

async function post(who: TestTenant, path: string, body: object) {
  const res = await api.fetch(path, { method: 'POST', token: who.keys.admin, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  other = await makeTenant(api.db);
  await withPlatform(api.db, (tx) =>
    tx
      .update(tenants)
      .set({
        brandConfig: {
          productName: 'Parcel Help',
          colors: { primary: '#123456' },
          logo: { url: 'https://cdn.example/logo.png', alt: 'Parcel' },
          showPoweredBy: false,
        },
      })
      .where(eq(tenants.id, tenant.id)),
  );
  key = (await post(tenant, '/v1/channels', { kind: 'widget', name: 'Help' })).widgetKey as string;
  await post(tenant, '/v1/widget-settings', {
    allowedOrigins: ['https://shop.example'],
    appearance: { position: 'bottom-left', textColor: '#ffffff', primaryColor: 'red; background:url(x)' },
    behavior: { greeting: 'Hello there', offlineMessage: 'We are away' },
    launcher: { label: 'Ask us' },
    chatWindow: { title: 'Parcel support', width: 5000 },
  });
});

describe('GET /v1/widget/{key}/config', () => {
  it('gives the page the public settings and brand, and nothing else', async () => {
    const res = await fetch(`${api.url}/v1/widget/${key}/config`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(await res.json()).toEqual({
      title: 'Parcel support',
      subtitle: null,
      greeting: 'Hello there',
      offlineMessage: 'We are away',
      online: false,
      preChatEmail: 'off',
      preChatMessage: null,
      launcher: { label: 'Ask us', icon: null },
      // A colour that is not a hex colour is not passed on (it would reach the widget's CSS).
      appearance: {
        primaryColor: '#123456',
        textColor: '#ffffff',
        position: 'bottom-left',
        fontFamily: null,
      },
      window: { width: 640, height: 560 },
      brand: {
        name: 'Parcel Help',
        logoUrl: 'https://cdn.example/logo.png',
        logoAlt: 'Parcel',
        showPoweredBy: false,
      },
    });
  });

  it('is online once an active agent answers', async () => {
    await post(tenant, '/v1/agents', { name: 'Helper', type: 'support', status: 'active' });
    const res = await fetch(`${api.url}/v1/widget/${key}/config`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(((await res.json()) as { online: boolean }).online).toBe(true);
  });

  it('keeps the widget guards: 403 on another origin, 404 for an unknown key', async () => {
    const elsewhere = await fetch(`${api.url}/v1/widget/${key}/config`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(elsewhere.status).toBe(403);
    const unknown = await fetch(`${api.url}/v1/widget/wk_nope/config`);
    expect(unknown.status).toBe(404);
  });
});

describe('GET /v1/live', () => {
  it("sends an event per message stored in the caller's tenant, none of another tenant's", async () => {
    const controller = new AbortController();
    const res = await api.fetch('/v1/live', { token: tenant.keys.viewer, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
        text += value;
      }
    };
    await until(/event: ready/);
    const theirs = await post(other, '/v1/conversations', { subject: 'theirs' });
    await post(other, `/v1/conversations/${theirs.id}/messages`, { content: 'not for you' });
    const ours = await post(tenant, '/v1/conversations', { subject: 'ours' });
    const message = await post(tenant, `/v1/conversations/${ours.id}/messages`, { content: 'hello' });
    await until(new RegExp(`"messageId":"${message.id}"`));
    expect(text).toContain(`"conversationId":"${ours.id}"`);
    expect(text).not.toContain(String(theirs.id));
    controller.abort();
  });

  it('needs credentials', async () => {
    expect((await api.fetch('/v1/live')).status).toBe(401);
  });
});

describe('GET /v1/me', () => {
  it('names the tenant and the role of the caller', async () => {
    const res = await api.fetch('/v1/me', { token: tenant.keys.agent });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      tenant: { id: tenant.id, slug: tenant.slug },
      role: 'agent',
      actor: 'api_key',
      userId: null,
    });
  });
});
