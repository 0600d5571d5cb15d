/**
 * The tenant over real HTTP with the typed client: public lookups by slug and domain (public
 * fields only, 404 for unknown or inactive tenants), the owner's PATCH /v1/tenant (validated
 * branding, If-Match, roles), and the audit trail every write leaves (and a failed write does not).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/domains/identity/passwords.js';
import { memberships, type Role, users } from '../../src/domains/identity/tables.js';
import { withPlatform } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';

const api = useTestApi();
let A: TestTenant;
beforeAll(async () => {
  A = await makeTenant(api.db);
});

const PUBLIC_FIELDS = ['brandConfig', 'id', 'locale', 'name', 'slug', 'timezone', 'vertical'];

describe('public tenant lookups', () => {
  it('finds a tenant by slug and by domain without credentials, with public fields only', async () => {
    const T = await makeTenant(api.db);
    const domain = `${T.slug}.brand.example`;
    // Domains are the platform's to set (they route public traffic); an owner's PATCH ignores them.
    await withPlatform(api.db, (tx) => tx.update(tenants).set({ domain }).where(eq(tenants.id, T.id)));
    const set = await api.client(T.keys.owner).PATCH('/v1/tenant', {
      body: {
        brandConfig: { productName: 'Brand', colors: { primary: '#112233' } },
        emailConfig: { fromEmail: 'hello@brand.example' },
        settings: { corsOrigins: ['https://brand.example'], secretThing: 'hidden' },
      },
    });
    expect(set.response.status).toBe(200);
    const anonymous = api.client();
    const bySlug = await anonymous.GET('/v1/tenants/by-slug/{slug}', {
      params: { path: { slug: T.slug.toUpperCase() } },
    });
    expect(bySlug.response.status).toBe(200);
    expect(Object.keys(bySlug.data!).sort()).toEqual(PUBLIC_FIELDS);
    expect(bySlug.data).toMatchObject({
      id: T.id,
      brandConfig: { productName: 'Brand', colors: { primary: '#112233' } },
    });
    const byDomain = await anonymous.GET('/v1/tenants/by-domain/{domain}', {
      params: { path: { domain: `${domain.toUpperCase()}:443` } },
    });
    expect(byDomain.data).toEqual(bySlug.data);
    // Another tenant's owner cannot claim the domain.
    const other = await makeTenant(api.db);
    const claim = await api.fetch('/v1/tenant', {
      method: 'PATCH',
      token: other.keys.owner,
      body: JSON.stringify({ customDomain: domain, domain }),
    });
    expect(claim.status).toBe(200);
    const still = await anonymous.GET('/v1/tenants/by-domain/{domain}', { params: { path: { domain } } });
    expect(still.data?.id).toBe(T.id);
    const text = JSON.stringify(byDomain.data);
    for (const secret of ['hello@brand.example', 'secretThing', 'corsOrigins', 'emailConfig', 'settings']) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers 404 for an unknown or inactive tenant', async () => {
    const anonymous = api.client();
    expect(
      (await anonymous.GET('/v1/tenants/by-slug/{slug}', { params: { path: { slug: 'no-such-tenant' } } }))
        .response.status,
    ).toBe(404);
    expect(
      (
        await anonymous.GET('/v1/tenants/by-domain/{domain}', {
          params: { path: { domain: 'nowhere.example' } },
        })
      ).response.status,
    ).toBe(404);
    const T = await makeTenant(api.db);
    const domain = `${T.slug}.gone.example`;
    await withPlatform(api.db, (tx) =>
      tx.update(tenants).set({ domain, active: false }).where(eq(tenants.id, T.id)),
    );
    const slug = await anonymous.GET('/v1/tenants/by-slug/{slug}', { params: { path: { slug: T.slug } } });
    const host = await anonymous.GET('/v1/tenants/by-domain/{domain}', { params: { path: { domain } } });
    expect([slug.response.status, host.response.status]).toEqual([404, 404]);
    expect(slug.error).toMatchObject({ code: 'not_found' });
  });
});

describe('PATCH /v1/tenant', () => {
  it('validates branding field by field', async () => {
    const bad = await api.client(A.keys.owner).PATCH('/v1/tenant', {
      body: { brandConfig: { colors: { primary: 'blue' } }, locale: 'x' },
    });
    expect(bad.response.status).toBe(422);
    expect(bad.error!.errors!.map((e) => e.path).sort()).toEqual(['brandConfig.colors.primary', 'locale']);
  });

  it('is the owner’s: viewers and admins get 403', async () => {
    for (const role of ['viewer', 'admin'] as const) {
      const res = await api.client(A.keys[role]).PATCH('/v1/tenant', { body: { name: 'Taken over' } });
      expect({ role, status: res.response.status }).toEqual({ role, status: 403 });
    }
    expect((await api.client(A.keys.viewer).GET('/v1/tenant')).data!.name).not.toBe('Taken over');
  });

  it('honours If-Match', async () => {
    const owner = api.client(A.keys.owner);
    const etag = (await owner.GET('/v1/tenant')).response.headers.get('etag')!;
    const ok = await owner.PATCH('/v1/tenant', {
      body: { timezone: 'Europe/Berlin' },
      headers: { 'if-match': etag },
    });
    expect(ok.response.status).toBe(200);
    const stale = await owner.PATCH('/v1/tenant', {
      body: { timezone: 'Asia/Tokyo' },
      headers: { 'if-match': etag },
    });
    expect(stale.response.status).toBe(412);
    expect((await owner.GET('/v1/tenant')).data!.timezone).toBe('Europe/Berlin');
  });
});

describe('audit trail', () => {
  type Entry = {
    actorType: string;
    actorId: string;
    action: string;
    resourceType: string;
    resourceId: string;
    requestId: string;
  };
  let keyIds: Record<string, string>;
  beforeAll(async () => {
    const { data } = await api
      .client(A.keys.owner)
      .GET('/v1/api-keys', { params: { query: { limit: 100 } } });
    keyIds = Object.fromEntries(
      (['owner', 'admin', 'agent', 'viewer'] as const).map((role) => [
        role,
        data!.data.find((k) => A.keys[role].startsWith(`fd_${k.prefix}_`))!.id,
      ]),
    );
  });
  const rid = () => `audit-${randomUUID()}`;
  async function entries(requestId: string): Promise<Entry[]> {
    const res = await api.fetch(`/v1/audit-log?requestId=${requestId}`, { token: A.keys.admin });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: Entry[] }).data;
  }
  async function expectOne(requestId: string, expected: Partial<Entry>) {
    const found = await entries(requestId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ requestId, ...expected });
  }

  it('records exactly one entry per write: create, update, delete, action, key and invitation creation', async () => {
    const agent = api.client(A.keys.agent);
    const owner = api.client(A.keys.owner);
    const byAgent = { actorType: 'api_key', actorId: keyIds.agent };
    const byOwner = { actorType: 'api_key', actorId: keyIds.owner };

    const r1 = rid();
    const created = await agent.POST('/v1/contacts', {
      body: { name: 'Audited' },
      headers: { 'x-request-id': r1 },
    });
    const id = created.data!.id;
    await expectOne(r1, { ...byAgent, action: 'contacts.create', resourceType: 'contacts', resourceId: id });
    const r2 = rid();
    await agent.PATCH('/v1/contacts/{id}', {
      params: { path: { id } },
      body: { name: 'Edited' },
      headers: { 'x-request-id': r2 },
    });
    await expectOne(r2, { ...byAgent, action: 'contacts.update', resourceType: 'contacts', resourceId: id });
    const r3 = rid();
    await agent.DELETE('/v1/contacts/{id}', { params: { path: { id } }, headers: { 'x-request-id': r3 } });
    await expectOne(r3, { ...byAgent, action: 'contacts.delete', resourceType: 'contacts', resourceId: id });

    const r4 = rid();
    const key = await owner.POST('/v1/api-keys', {
      body: { name: 'Audited key' },
      headers: { 'x-request-id': r4 },
    });
    await expectOne(r4, {
      ...byOwner,
      action: 'api-keys.create',
      resourceType: 'api-keys',
      resourceId: key.data!.id,
    });
    const r5 = rid();
    await owner.POST('/v1/api-keys/{id}/revoke', {
      params: { path: { id: key.data!.id } },
      headers: { 'x-request-id': r5 },
    });
    await expectOne(r5, {
      ...byOwner,
      action: 'api-keys.revoke',
      resourceType: 'api-keys',
      resourceId: key.data!.id,
    });
    const r6 = rid();
    const inv = await owner.POST('/v1/invitations', {
      body: { email: 'audit@people.example' },
      headers: { 'x-request-id': r6 },
    });
    await expectOne(r6, {
      ...byOwner,
      action: 'invitations.create',
      resourceType: 'invitations',
      resourceId: inv.data!.id,
    });
    const r7 = rid();
    await owner.PATCH('/v1/tenant', { body: { name: 'Audited tenant' }, headers: { 'x-request-id': r7 } });
    await expectOne(r7, { ...byOwner, action: 'tenant.update', resourceType: 'tenants', resourceId: A.id });
  });

  it('names a session user as the actor', async () => {
    const email = `owner-${randomBytes(4).toString('hex')}@people.example`;
    const userId = await withPlatform(api.db, async (tx) => {
      const [u] = await tx
        .insert(users)
        .values({ email, passwordHash: await hashPassword('a long enough password') })
        .returning();
      await tx.insert(memberships).values({ tenantId: A.id, userId: u!.id, role: 'owner' as Role });
      return u!.id;
    });
    const { data } = await api
      .client()
      .POST('/v1/auth/login', { body: { email, password: 'a long enough password' } });
    const r = rid();
    await api
      .client(data!.token)
      .PATCH('/v1/tenant', { body: { locale: 'de' }, headers: { 'x-request-id': r } });
    await expectOne(r, { actorType: 'user', actorId: userId, action: 'tenant.update' });
  });

  it('records nothing for a write that fails', async () => {
    const agent = api.client(A.keys.agent);
    const failures: [string, Promise<{ response: Response }>][] = [];
    const r422 = rid();
    failures.push([
      r422,
      agent.POST('/v1/contacts', {
        body: { sentiment: 'ecstatic' as never },
        headers: { 'x-request-id': r422 },
      }),
    ]);
    const rDb = rid();
    failures.push([
      rDb,
      agent.POST('/v1/accounts', { body: { name: 'Neg', arrCents: -5 }, headers: { 'x-request-id': rDb } }),
    ]);
    const r403 = rid();
    failures.push([
      r403,
      api
        .client(A.keys.viewer)
        .POST('/v1/contacts', { body: { name: 'no' }, headers: { 'x-request-id': r403 } }),
    ]);
    const r412 = rid();
    const { data } = await agent.POST('/v1/contacts', { body: { name: 'Guarded' } });
    failures.push([
      r412,
      agent.PATCH('/v1/contacts/{id}', {
        params: { path: { id: data!.id } },
        body: { name: 'x' },
        headers: { 'x-request-id': r412, 'if-match': '"stale"' },
      }),
    ]);
    for (const [requestId, sent] of failures) {
      expect((await sent).response.status).toBeGreaterThanOrEqual(400);
      expect(await entries(requestId)).toEqual([]);
    }
  });
});
