/**
 * Identity over real HTTP with the typed client: sessions (login, tenant choice, logout), API
 * keys (shown once, revocable, role ceiling, last use, expiry), invitations, and the platform
 * admin's tenant routes.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../src/domains/crm/tables.js';
import { hashPassword } from '../../src/domains/identity/passwords.js';
import { invitations, memberships, type Role, users } from '../../src/domains/identity/tables.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { plans } from '../../src/schema/tenants.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { withOwner } from '../helpers/db.js';
import { makeTenantPair } from '../helpers/resource-api.js';

const api = useTestApi();
const PASSWORD = 'correct horse battery staple';
let A: TestTenant;
let B: TestTenant;
beforeAll(async () => {
  [A, B] = await makeTenantPair(api.db);
});

/** A user with a password and memberships; returns its id and email. */
async function makeUser(roles: [TestTenant, Role][], options: { platformAdmin?: boolean } = {}) {
  const email = `u-${randomBytes(4).toString('hex')}@people.example`;
  const passwordHash = await hashPassword(PASSWORD);
  const id = await withPlatform(api.db, async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email, passwordHash, isPlatformAdmin: options.platformAdmin ?? false })
      .returning();
    for (const [t, role] of roles)
      await tx.insert(memberships).values({ tenantId: t.id, userId: u!.id, role });
    return u!.id;
  });
  return { id, email };
}

async function login(email: string, password = PASSWORD) {
  return api.client().POST('/v1/auth/login', { body: { email, password } });
}

async function sessionFor(roles: [TestTenant, Role][], options: { platformAdmin?: boolean } = {}) {
  const user = await makeUser(roles, options);
  const { data } = await login(user.email);
  return { ...user, token: data!.token };
}

describe('sessions', () => {
  it('logs in and acts in the tenant with the membership’s role', async () => {
    const user = await makeUser([[A, 'agent']]);
    const { data, response } = await login(user.email.toUpperCase());
    expect(response.status).toBe(200);
    expect(data!.token).toMatch(/^fds_/);
    expect(data!.tenants).toEqual([{ id: A.id, slug: A.slug, name: expect.any(String), role: 'agent' }]);
    const client = api.client(data!.token);
    expect((await client.GET('/v1/tenant')).data).toMatchObject({ id: A.id });
    expect((await client.POST('/v1/contacts', { body: { name: 'By a user' } })).response.status).toBe(201);
    expect((await client.PATCH('/v1/tenant', { body: { name: 'Nope' } })).response.status).toBe(403);
  });

  it('with two memberships, Frontdesk-Tenant (slug or id) picks one; none → 400; a stranger’s → 403', async () => {
    const C = await makeTenant(api.db);
    const { token } = await sessionFor([
      [A, 'viewer'],
      [B, 'admin'],
    ]);
    const bySlug = await api.client(token, { 'frontdesk-tenant': A.slug }).GET('/v1/tenant');
    expect(bySlug.data).toMatchObject({ id: A.id });
    const byId = await api.client(token, { 'frontdesk-tenant': B.id }).GET('/v1/tenant');
    expect(byId.data).toMatchObject({ id: B.id });
    // The role follows the chosen tenant: a viewer in A, an admin in B.
    const inA = await api
      .client(token, { 'frontdesk-tenant': A.slug })
      .POST('/v1/accounts', { body: { name: 'x' } });
    expect(inA.response.status).toBe(403);
    const inB = await api
      .client(token, { 'frontdesk-tenant': B.slug })
      .POST('/v1/accounts', { body: { name: 'x' } });
    expect(inB.response.status).toBe(201);
    const none = await api.client(token).GET('/v1/tenant');
    expect(none.response.status).toBe(400);
    expect(none.error).toMatchObject({
      code: 'bad_request',
      detail: expect.stringMatching(/Frontdesk-Tenant/),
    });
    const stranger = await api.client(token, { 'frontdesk-tenant': C.slug }).GET('/v1/tenant');
    expect(stranger.response.status).toBe(403);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const user = await makeUser([[A, 'viewer']]);
    const wrong = await login(user.email, 'not the password');
    const unknown = await login('nobody-here@people.example');
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    const strip = (e: unknown) => {
      const { requestId: _r, ...rest } = e as Record<string, unknown>;
      return rest;
    };
    expect(strip(wrong.error)).toEqual(strip(unknown.error));
  });

  it('logs out: the token stops working', async () => {
    const { token } = await sessionFor([[A, 'viewer']]);
    const client = api.client(token);
    expect((await client.GET('/v1/tenant')).response.status).toBe(200);
    expect((await client.POST('/v1/auth/logout')).response.status).toBe(204);
    expect((await client.GET('/v1/tenant')).response.status).toBe(401);
  });
});

describe('sessions in the request’s transaction', () => {
  // A session's first request in a process is resolved on the platform path; later ones are
  // checked again inside their own transaction (frontdesk_enter_with_session), so whatever
  // changed in between applies to the very next request.
  it('a removed membership, a second tenant, a logout: each applies to the next request', async () => {
    const user = await makeUser([[A, 'agent']]);
    const token = (await login(user.email)).data!.token;
    const client = api.client(token);
    for (let i = 0; i < 2; i++) expect((await client.GET('/v1/contacts')).response.status).toBe(200);
    const created = await client.POST('/v1/contacts', { body: { name: 'In one transaction' } });
    expect(created.response.status).toBe(201);
    const inTenantA = await withTenant(api.db, A.id, (tx) =>
      tx.select().from(contacts).where(eq(contacts.id, created.data!.id)),
    );
    expect(inTenantA).toHaveLength(1);

    // A second membership: the unnamed tenant is now ambiguous.
    await withPlatform(api.db, (tx) =>
      tx.insert(memberships).values({ tenantId: B.id, userId: user.id, role: 'viewer' }),
    );
    const ambiguous = await client.GET('/v1/contacts');
    expect(ambiguous.response.status).toBe(400);
    expect(ambiguous.error).toMatchObject({ detail: expect.stringMatching(/Frontdesk-Tenant/) });
    const inB = api.client(token, { 'frontdesk-tenant': B.slug });
    for (let i = 0; i < 2; i++) expect((await inB.GET('/v1/contacts')).response.status).toBe(200);
    // The viewer's role, not the agent's, in B.
    expect((await inB.POST('/v1/contacts', { body: { name: 'Viewer' } })).response.status).toBe(403);

    // Removed from B: forbidden there at once.
    await withOwner(api.db, (tx) =>
      tx.delete(memberships).where(and(eq(memberships.tenantId, B.id), eq(memberships.userId, user.id))),
    );
    const removed = await inB.GET('/v1/contacts');
    expect(removed.response.status).toBe(403);
    expect(removed.error).toMatchObject({ detail: 'you are not a member of that tenant' });

    // Logged out: refused at once.
    const inA = api.client(token, { 'frontdesk-tenant': A.slug });
    for (let i = 0; i < 2; i++) expect((await inA.GET('/v1/contacts')).response.status).toBe(200);
    expect((await client.POST('/v1/auth/logout')).response.status).toBe(204);
    const after = await inA.GET('/v1/contacts');
    expect(after.response.status).toBe(401);
    expect(after.response.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('naming the tenant by id (the console): a changed role, a removed membership, a logout apply at once', async () => {
    const user = await makeUser([[A, 'agent']]);
    const token = (await login(user.email)).data!.token;
    const inA = api.client(token, { 'frontdesk-tenant': A.id });
    const create = (name: string) => inA.POST('/v1/contacts', { body: { name } });
    const setRole = (role: 'viewer' | 'agent') =>
      withOwner(api.db, (tx) =>
        tx
          .update(memberships)
          .set({ role })
          .where(and(eq(memberships.tenantId, A.id), eq(memberships.userId, user.id))),
      );
    for (let i = 0; i < 2; i++) expect((await inA.GET('/v1/contacts')).response.status).toBe(200);
    expect((await create('as an agent')).response.status).toBe(201);
    await setRole('viewer');
    expect((await create('as a viewer')).response.status).toBe(403);
    expect((await inA.GET('/v1/contacts')).response.status).toBe(200);
    await setRole('agent');
    expect((await create('an agent again')).response.status).toBe(201);
    await withOwner(api.db, (tx) =>
      tx.delete(memberships).where(and(eq(memberships.tenantId, A.id), eq(memberships.userId, user.id))),
    );
    const removed = await create('removed');
    expect(removed.response.status).toBe(403);
    expect(removed.error).toMatchObject({ detail: 'you are not a member of any tenant' });
    const names = await withTenant(api.db, A.id, (tx) =>
      tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.tenantId, A.id)),
    );
    expect(names.map((r) => r.name)).toEqual(expect.arrayContaining(['as an agent', 'an agent again']));
    expect(names.map((r) => r.name)).not.toContain('as a viewer');
    expect(names.map((r) => r.name)).not.toContain('removed');
    await withOwner(api.db, (tx) =>
      tx.insert(memberships).values({ tenantId: A.id, userId: user.id, role: 'agent' }),
    );
    expect((await inA.GET('/v1/contacts')).response.status).toBe(200);
    expect((await api.client(token).POST('/v1/auth/logout')).response.status).toBe(204);
    expect((await inA.GET('/v1/contacts')).response.status).toBe(401);
    expect((await create('logged out')).response.status).toBe(401);
  });

  it('a suspended user or a header that is no tenant of theirs changes nothing and answers as before', async () => {
    const user = await makeUser([[A, 'admin']]);
    const token = (await login(user.email)).data!.token;
    const odd = api.client(token, { 'frontdesk-tenant': "x'; SELECT 1; --" });
    for (let i = 0; i < 2; i++) {
      const r = await odd.GET('/v1/contacts');
      expect(r.response.status).toBe(403);
    }
    const client = api.client(token);
    for (let i = 0; i < 2; i++) expect((await client.GET('/v1/contacts')).response.status).toBe(200);
    // An empty header names no tenant, on the first request and on the later ones alike.
    const blank = api.client(token, { 'frontdesk-tenant': '' });
    for (let i = 0; i < 2; i++) expect((await blank.GET('/v1/contacts')).response.status).toBe(200);
    await withPlatform(api.db, (tx) =>
      tx.update(users).set({ status: 'suspended' }).where(eq(users.id, user.id)),
    );
    expect((await client.GET('/v1/contacts')).response.status).toBe(401);
  });
});

describe('API keys', () => {
  it('shows a new key once, never lists it or its hash, and revoking stops it at once', async () => {
    const owner = api.client(A.keys.owner);
    const made = await owner.POST('/v1/api-keys', { body: { name: 'Integration', role: 'agent' } });
    expect(made.response.status).toBe(201);
    const { id, key } = made.data!;
    expect(key).toMatch(/^fd_[0-9a-f]{12}_/);
    expect(made.data).not.toHaveProperty('keyHash');
    const listed = JSON.stringify(
      (await owner.GET('/v1/api-keys', { params: { query: { limit: 100 } } })).data,
    );
    const one = JSON.stringify((await owner.GET('/v1/api-keys/{id}', { params: { path: { id } } })).data);
    for (const text of [listed, one]) {
      expect(text).toContain(id);
      expect(text).not.toContain(key);
      expect(text).not.toMatch(/keyHash|key_hash/);
    }
    const client = api.client(key);
    expect((await client.POST('/v1/contacts', { body: { name: 'Via new key' } })).response.status).toBe(201);
    const revoked = await owner.POST('/v1/api-keys/{id}/revoke', { params: { path: { id } } });
    expect(revoked.response.status).toBe(200);
    expect(revoked.data!.revokedAt).toBeTruthy();
    expect((await client.GET('/v1/contacts')).response.status).toBe(401);
    const twice = await owner.POST('/v1/api-keys/{id}/revoke', { params: { path: { id } } });
    expect(twice.response.status).toBe(409);
  });

  it('lets only owners create keys (of any role); an admin key or admin session gets 403', async () => {
    const made = await api
      .client(A.keys.owner)
      .POST('/v1/api-keys', { body: { name: 'Another owner', role: 'owner' } });
    expect(made.response.status).toBe(201);
    const byAdminKey = await api
      .client(A.keys.admin)
      .POST('/v1/api-keys', { body: { name: 'x', role: 'viewer' } });
    expect(byAdminKey.response.status).toBe(403);
    const { token } = await sessionFor([[A, 'admin']]);
    const byAdminUser = await api.client(token).POST('/v1/api-keys', { body: { name: 'x', role: 'viewer' } });
    expect(byAdminUser.response.status).toBe(403);
  });

  it('applies a role change to a key at once', async () => {
    const owner = api.client(A.keys.owner);
    const { id, key } = (await owner.POST('/v1/api-keys', { body: { name: 'Demoted', role: 'agent' } }))
      .data!;
    expect((await api.client(key).POST('/v1/contacts', { body: { name: 'ok' } })).response.status).toBe(201);
    const demoted = await owner.PATCH('/v1/api-keys/{id}', {
      params: { path: { id } },
      body: { role: 'viewer' },
    });
    expect(demoted.data!.role).toBe('viewer');
    expect((await api.client(key).POST('/v1/contacts', { body: { name: 'too late' } })).response.status).toBe(
      403,
    );
  });

  it('applies a raised role at once, and refuses a revoked key before looking at its input', async () => {
    const owner = api.client(A.keys.owner);
    const { id, key } = (await owner.POST('/v1/api-keys', { body: { name: 'Raised', role: 'viewer' } }))
      .data!;
    const create = (body: object) =>
      api.fetch('/v1/contacts', {
        method: 'POST',
        token: key,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await api.client(key).GET('/v1/contacts')).response.status).toBe(200);
    expect((await create({ name: 'not yet' })).status).toBe(403);
    await owner.PATCH('/v1/api-keys/{id}', { params: { path: { id } }, body: { role: 'agent' } });
    expect((await create({ name: 'now' })).status).toBe(201);
    expect((await create({ name: 42 })).status).toBe(422);
    await owner.POST('/v1/api-keys/{id}/revoke', { params: { path: { id } } });
    // Invalid input, a valid create, a list, a read: each 401, nothing written.
    for (const res of [
      await create({ name: 42 }),
      await create({ name: 'revoked' }),
      await api.fetch('/v1/contacts', { token: key }),
    ]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { type: string }).type).toBe('/problems/unauthorized');
    }
    const names = (await owner.GET('/v1/contacts', { params: { query: { limit: 100 } } })).data!.data.map(
      (c) => c.name,
    );
    expect(names).toContain('now');
    expect(names).not.toContain('revoked');
  });

  it('records the last use', async () => {
    const owner = api.client(A.keys.owner);
    const { id, key } = (await owner.POST('/v1/api-keys', { body: { name: 'Used', role: 'viewer' } })).data!;
    const get = () => owner.GET('/v1/api-keys/{id}', { params: { path: { id } } });
    expect((await get()).data!.lastUsedAt).toBeNull();
    await api.client(key).GET('/v1/contacts');
    const used = (await get()).data!.lastUsedAt;
    expect(used).toBeTruthy();
    expect(Math.abs(Date.parse(used!) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses an expired key with 401', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const made = await api
      .client(A.keys.owner)
      .POST('/v1/api-keys', { body: { name: 'Short', role: 'viewer', expiresAt } });
    const client = api.client(made.data!.key);
    expect((await client.GET('/v1/contacts')).response.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const late = await client.GET('/v1/contacts');
    expect(late.response.status).toBe(401);
    expect(late.error).toMatchObject({ code: 'unauthorized' });
  });
});

describe('invitations', () => {
  const invite = async (email: string, role: Role = 'agent') => {
    const { data, response } = await api
      .client(A.keys.owner)
      .POST('/v1/invitations', { body: { email, role } });
    expect(response.status).toBe(201);
    return data!;
  };
  const accept = (body: { token: string; password: string; name?: string }) =>
    api.client().POST('/v1/invitations/accept', { body });

  it('shows the token once; accepting creates the user and membership; a second use is 410', async () => {
    const email = `new-${randomBytes(4).toString('hex')}@people.example`;
    const inv = await invite(email, 'admin');
    expect(inv.token).toMatch(/^fdi_/);
    const listed = JSON.stringify((await api.client(A.keys.admin).GET('/v1/invitations')).data);
    expect(listed).toContain(inv.id);
    expect(listed).not.toContain(inv.token);
    expect(listed).not.toMatch(/tokenHash|token_hash/);

    const joined = await accept({ token: inv.token, password: PASSWORD, name: 'New Person' });
    expect(joined.response.status).toBe(200);
    expect(joined.data).toMatchObject({ tenantId: A.id, role: 'admin' });
    const session = await login(email);
    expect(session.data!.tenants).toEqual([expect.objectContaining({ id: A.id, role: 'admin' })]);
    const members = await api.client(A.keys.viewer).GET('/v1/members', {
      params: { query: { userId: joined.data!.userId } },
    });
    expect(members.data!.data).toEqual([
      expect.objectContaining({ userId: joined.data!.userId, role: 'admin' }),
    ]);

    const again = await accept({ token: inv.token, password: PASSWORD });
    expect(again.response.status).toBe(410);
  });

  it('refuses an expired invitation with 410', async () => {
    const inv = await invite(`late-${randomBytes(4).toString('hex')}@people.example`);
    await withTenant(api.db, A.id, (tx) =>
      tx
        .update(invitations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(invitations.id, inv.id)),
    );
    const res = await accept({ token: inv.token, password: PASSWORD });
    expect(res.response.status).toBe(410);
    expect(res.error).toMatchObject({ code: 'gone' });
  });

  it('adds an existing user only with that user’s own password', async () => {
    const existing = await makeUser([[B, 'viewer']]);
    const inv = await invite(existing.email, 'viewer');
    const wrong = await accept({ token: inv.token, password: 'some other password' });
    expect(wrong.response.status).toBe(401);
    const right = await accept({ token: inv.token, password: PASSWORD });
    expect(right.data).toEqual({ tenantId: A.id, userId: existing.id, role: 'viewer' });
    const session = await login(existing.email);
    expect(session.data!.tenants.map((t) => t.id).sort()).toEqual([A.id, B.id].sort());
  });
});

describe('platform tenants', () => {
  it('serves the tenant list and creation to platform admins only', async () => {
    const admin = await sessionFor([], { platformAdmin: true });
    const client = api.client(admin.token);
    const list = await client.GET('/v1/platform/tenants');
    expect(list.response.status).toBe(200);
    expect(list.data!.data.map((t) => t.slug)).toEqual(expect.arrayContaining([A.slug, B.slug]));
    const slug = `p-${randomBytes(4).toString('hex')}`;
    const created = await client.POST('/v1/platform/tenants', {
      body: { slug, name: 'Made by the platform' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ slug, name: 'Made by the platform' });
    const dup = await client.POST('/v1/platform/tenants', { body: { slug, name: 'Again' } });
    expect(dup.response.status).toBe(409);

    const normal = await sessionFor([[A, 'owner']]);
    expect((await api.client(normal.token).GET('/v1/platform/tenants')).response.status).toBe(403);
    const byNormal = await api
      .client(normal.token)
      .POST('/v1/platform/tenants', { body: { slug: `${slug}-x`, name: 'x' } });
    expect(byNormal.response.status).toBe(403);
    const byKey = await api.client(A.keys.owner).GET('/v1/platform/tenants');
    expect(byKey.response.status).toBe(401);
    expect(byKey.response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
  it('says at login who is a platform admin; the plan catalogue is theirs only', async () => {
    const admin = await makeUser([], { platformAdmin: true });
    const adminLogin = await login(admin.email);
    expect(adminLogin.data).toMatchObject({ tenants: [], platformAdmin: true });
    const member = await makeUser([[A, 'owner']]);
    const memberLogin = await login(member.email);
    expect(memberLogin.data).toMatchObject({ platformAdmin: false });

    const slug = `plan-${randomBytes(4).toString('hex')}`;
    await withPlatform(api.db, (tx) =>
      tx.insert(plans).values({ slug, name: 'Test plan', priceMonthlyCents: 1_900, limits: { seats: 4 } }),
    );
    const catalogue = await api.client(adminLogin.data!.token).GET('/v1/platform/plans');
    expect(catalogue.response.status).toBe(200);
    expect(catalogue.data!.data).toContainEqual(
      expect.objectContaining({ slug, name: 'Test plan', priceMonthlyCents: 1_900, limits: { seats: 4 } }),
    );
    const byMember = await api.client(memberLogin.data!.token).GET('/v1/platform/plans');
    expect(byMember.response.status).toBe(403);
    expect(JSON.stringify(byMember.error)).not.toMatch(/priceMonthlyCents/);
    expect((await api.client(A.keys.owner).GET('/v1/platform/plans')).response.status).toBe(401);
  });
});
