/**
 * Members carry their user's email and display name (GET /v1/members, /members/{id}, and the
 * PATCH answer), read under RLS: a tenant sees its own members' emails, never another tenant's,
 * whatever it asks for (a list filter, another tenant's membership id, a user it does not have).
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/domains/identity/passwords.js';
import { memberships, type Role, users } from '../../src/domains/identity/tables.js';
import { withPlatform } from '../../src/platform/db/tenant.js';
import type { TestTenant } from '../helpers/api.js';
import { useTestApi } from '../helpers/api.js';
import { makeTenantPair } from '../helpers/resource-api.js';

const api = useTestApi();
const PASSWORD = 'members test password';
let A: TestTenant;
let B: TestTenant;

interface Person {
  userId: string;
  email: string;
  /** Membership id per tenant id. */
  in: Record<string, string>;
}

/** A user (with a display name or none) who is a member of the tenants given, with these roles. */
async function person(label: string, name: string | null, roles: [TestTenant, Role][]): Promise<Person> {
  const email = `${label}-${randomBytes(4).toString('hex')}@members.example`;
  const passwordHash = await hashPassword(PASSWORD);
  return withPlatform(api.db, async (tx) => {
    const [u] = await tx.insert(users).values({ email, name, passwordHash }).returning();
    const ids: Record<string, string> = {};
    for (const [t, role] of roles) {
      const [m] = await tx.insert(memberships).values({ tenantId: t.id, userId: u!.id, role }).returning();
      ids[t.id] = m!.id;
    }
    return { userId: u!.id, email, in: ids };
  });
}

let ana: Person; // A's owner, with a name
let ben: Person; // A's agent, without one
let both: Person; // a member of A and of B
let bea: Person; // B's only: never seen from A
beforeAll(async () => {
  [A, B] = await makeTenantPair(api.db);
  ana = await person('ana', 'Ana Lima', [[A, 'owner']]);
  ben = await person('ben', null, [[A, 'agent']]);
  both = await person('both', 'Both Ways', [
    [A, 'viewer'],
    [B, 'admin'],
  ]);
  bea = await person('bea', 'Bea Secret', [[B, 'owner']]);
});

describe('members with their email', () => {
  it("lists the tenant's members with their email and name, and nobody else's", async () => {
    const { data, response } = await api
      .client(A.keys.viewer)
      .GET('/v1/members', { params: { query: { limit: 100 } } });
    expect(response.status).toBe(200);
    const byUser = Object.fromEntries(data!.data.map((m) => [m.userId, m]));
    expect(byUser[ana.userId]).toMatchObject({ email: ana.email, name: 'Ana Lima', role: 'owner' });
    expect(byUser[ben.userId]).toMatchObject({ email: ben.email, name: null, role: 'agent' });
    expect(byUser[both.userId]).toMatchObject({ email: both.email, role: 'viewer' });
    expect(data!.data).toHaveLength(3);
    const text = JSON.stringify(data);
    expect(text).not.toContain(bea.email);
    expect(text).not.toContain(bea.userId);
    expect(text).not.toContain(both.in[B.id]!);
  });

  it('shows the same user to each of its tenants with that tenant’s role', async () => {
    const { data } = await api
      .client(B.keys.viewer)
      .GET('/v1/members', { params: { query: { limit: 100 } } });
    expect(data!.data.map((m) => [m.email, m.role]).sort()).toEqual(
      [
        [bea.email, 'owner'],
        [both.email, 'admin'],
      ].sort(),
    );
    expect(JSON.stringify(data)).not.toContain(ana.email);
  });

  it('gives the email on one member, and on the answer to a role change (the ETag still matches)', async () => {
    const client = api.client(A.keys.owner);
    const id = ben.in[A.id]!;
    const got = await client.GET('/v1/members/{id}', { params: { path: { id } } });
    expect(got.data).toMatchObject({ id, email: ben.email, name: null });
    const etag = got.response.headers.get('etag')!;
    const changed = await client.PATCH('/v1/members/{id}', {
      params: { path: { id } },
      body: { role: 'admin' },
      headers: { 'if-match': etag },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data).toMatchObject({ id, role: 'admin', email: ben.email });
  });

  it("answers 404 for another tenant's membership, filters find none of its users", async () => {
    const client = api.client(A.keys.owner);
    for (const id of [bea.in[B.id]!, both.in[B.id]!]) {
      const res = await client.GET('/v1/members/{id}', { params: { path: { id } } });
      expect(res.response.status).toBe(404);
      expect(JSON.stringify(res.error)).not.toContain(bea.email);
      const patch = await client.PATCH('/v1/members/{id}', {
        params: { path: { id } },
        body: { role: 'viewer' },
      });
      expect(patch.response.status).toBe(404);
    }
    const filtered = await client.GET('/v1/members', { params: { query: { userId: bea.userId } } });
    expect(filtered.data!.data).toEqual([]);
  });

  it("is the same through a member's session: their tenant's emails only", async () => {
    const login = await api
      .client()
      .POST('/v1/auth/login', { body: { email: both.email, password: PASSWORD } });
    const inB = api.client(login.data!.token, { 'frontdesk-tenant': B.id });
    const { data } = await inB.GET('/v1/members', { params: { query: { limit: 100 } } });
    expect(data!.data.map((m) => m.email).sort()).toEqual([bea.email, both.email].sort());
    const inA = api.client(login.data!.token, { 'frontdesk-tenant': A.id });
    const fromA = JSON.stringify((await inA.GET('/v1/members', { params: { query: { limit: 100 } } })).data);
    expect(fromA).toContain(ana.email);
    expect(fromA).not.toContain(bea.email);
  });
});
