/**
 * Smaller rules that bad or careless input used to get past: the last owner stays an owner, an
 * expired key stays expired, webhook endpoints subscribe only to events that fire, and endpoint
 * URLs that reach this machine in disguise or carry credentials are refused at creation.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import { apiKeys, memberships, users } from '../../src/domains/identity/tables.js';
import { EVENT_TYPES } from '../../src/domains/ops/events.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { isPrivateAddress, urlShapeProblem } from '../../src/platform/net/safe-fetch.js';
import { useResourceApi } from '../helpers/resource-api.js';

const r = useResourceApi();
let T = '';
beforeAll(async () => {
  T = await r.newTenant('', ['viewer', 'admin', 'owner']);
});

async function addMember(role: 'owner' | 'agent'): Promise<string> {
  return withPlatform(r.db, async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email: `u-${randomBytes(4).toString('hex')}@people.example` })
      .returning();
    const [m] = await tx.insert(memberships).values({ tenantId: T, userId: u!.id, role }).returning();
    return m!.id;
  });
}

const roleOf = async (id: string) => (await r.call('owner', 'GET', `/members/${id}`)).body.role;

describe('the last owner', () => {
  it('cannot be demoted or removed (409), and can once there is another owner', async () => {
    const only = await addMember('owner');
    const demote = await r.call('owner', 'PATCH', `/members/${only}`, { role: 'admin' });
    r.expectProblem(demote, 409);
    expect(demote.body.type).toBe('/problems/conflict');
    expect(demote.body.detail).toMatch(/at least one owner/);
    r.expectProblem(await r.call('owner', 'DELETE', `/members/${only}`), 409);
    expect(await roleOf(only)).toBe('owner');

    const second = await addMember('owner');
    expect((await r.call('owner', 'PATCH', `/members/${only}`, { role: 'admin' })).status).toBe(200);
    expect(await roleOf(only)).toBe('admin');
    r.expectProblem(await r.call('owner', 'PATCH', `/members/${second}`, { role: 'agent' }), 409);
    expect(await roleOf(second)).toBe('owner');
  });
});

describe('an expired API key', () => {
  it('cannot be revived by PATCH expiresAt (409), and still does not authenticate', async () => {
    const { row, key } = await withTenant(r.db, T, (tx) =>
      createApiKey(tx, T, { name: 'old', role: 'viewer', expiresAt: new Date(Date.now() + 60_000) }),
    );
    await withTenant(r.db, T, (tx) =>
      tx
        .update(apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(apiKeys.id, row.id)),
    );
    const before = (await r.call('owner', 'GET', `/api-keys/${row.id}`)).body;
    const revive = await r.call('owner', 'PATCH', `/api-keys/${row.id}`, {
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    r.expectProblem(revive, 409);
    expect(revive.body.detail).toMatch(/expired/);
    expect((await r.call('owner', 'GET', `/api-keys/${row.id}`)).body).toEqual(before);
    r.expectProblem(await r.call(key, 'GET', '/contacts'), 401);
  });

  it('a living key can still have its expiry moved', async () => {
    const { row } = await withTenant(r.db, T, (tx) => createApiKey(tx, T, { name: 'live', role: 'viewer' }));
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const res = await r.call('owner', 'PATCH', `/api-keys/${row.id}`, { expiresAt: later });
    expect(res.status).toBe(200);
    expect(res.body.expiresAt).toBe(later);
  });
});

describe('webhook endpoint events', () => {
  it('refuses event names that never fire, naming the field, and creates nothing', async () => {
    const res = await r.call('admin', 'POST', '/webhook-endpoints', {
      url: 'https://hooks.example.com/x',
      events: ['conversation.opened', 'escalation.created'],
    });
    r.expectProblem(res, 422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['events.1']);
    expect((await r.call('admin', 'GET', '/webhook-endpoints')).body.data).toEqual([]);
  });

  it('takes every event that fires, and *', async () => {
    const res = await r.call('admin', 'POST', '/webhook-endpoints', {
      url: 'https://hooks.example.com/all',
      events: [...EVENT_TYPES, '*'],
    });
    expect(res.status).toBe(201);
  });
});

describe('endpoint URLs (SSRF)', () => {
  it.each([
    'http://[::127.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[2002:7f00:1::]/',
    'http://localhost./',
    'http://LOCALHOST../x',
    'http://api.localhost./',
    'https://user:secret@hooks.example.com/x',
    'https://token@hooks.example.com/x',
  ])('refuses %s at creation (422 on url) and stores nothing', async (url) => {
    const res = await r.call('admin', 'POST', '/webhook-endpoints', { url });
    r.expectProblem(res, 422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['url']);
    const list = (await r.call('admin', 'GET', '/webhook-endpoints')).body.data;
    expect(list.map((e: { url: string }) => e.url)).not.toContain(url);
  });

  it.each(['http://[::127.0.0.1]/doc', 'http://localhost./doc', 'https://u:p@docs.example.com/faq'])(
    'refuses the knowledge URL source %s at creation (422 on url) and stores nothing',
    async (url) => {
      const res = await r.call('admin', 'POST', '/knowledge-sources', { kind: 'url', url, title: 'Doc' });
      r.expectProblem(res, 422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['url']);
      expect((await r.call('admin', 'GET', '/knowledge-sources')).body.data).toEqual([]);
    },
  );

  it('classifies embedded IPv4 in any IPv6 spelling', () => {
    for (const a of [
      '::7f00:1',
      '::127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '2002:c0a8:101::1',
      '::a9fe:a9fe',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['::ffff:5db8:d822', '2002:5db8:d822::1', '2606:4700::1111'])
      expect(isPrivateAddress(a), a).toBe(false);
    expect(urlShapeProblem('https://a:b@example.com/', true)).toMatch(/credentials/);
    expect(urlShapeProblem('http://localhost./', true)).toBeNull();
  });
});
