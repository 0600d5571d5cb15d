/**
 * A user id in a tenant row names a member of that tenant, in the database: every `*_user_id`
 * column of a tenant table references memberships (tenant_id, user_id) (a catalog test, so a new
 * column is covered the moment its migration runs), another tenant's user is refused exactly like
 * a user who does not exist (no existence oracle), and removing a member touches only the rows of
 * the tenant they leave.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberships, users } from '../../src/domains/identity/tables.js';
import { foreignKeys, tenantTables } from '../helpers/catalog.js';
import { withOwner } from '../helpers/db.js';
import { type Res, useResourceApi } from '../helpers/resource-api.js';

const r = useResourceApi({ reuseRefs: true });
let A = '';
let B = '';
let memberOfA = '';
let memberOfB = '';

async function makeMember(tenantId: string): Promise<string> {
  return withOwner(r.db, async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email: `u-${randomBytes(4).toString('hex')}@people.example` })
      .returning();
    await tx.insert(memberships).values({ tenantId, userId: u!.id, role: 'agent' });
    return u!.id;
  });
}

beforeAll(async () => {
  A = await r.newTenant('', ['viewer', 'agent', 'admin', 'owner']);
  B = await r.newTenant('b-', ['admin']);
  memberOfA = await makeMember(A);
  memberOfB = await makeMember(B);
});

const count = async (table: string, tenantId: string) =>
  (
    await r.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
      tenantId,
    ])
  )[0]!.n;

/** The refusal for a user who is not a member: the same for another tenant's user and for nobody. */
function expectNotAMember(res: Res): void {
  r.expectProblem(res, 422);
  expect(res.body).toMatchObject({
    type: '/problems/validation-failed',
    detail: 'a referenced resource does not exist in your tenant',
  });
}

describe('the catalog', () => {
  it('has every *_user_id column of a tenant table reference memberships (tenant_id, user_id)', async () => {
    const tables = (await tenantTables(r.db)).filter((t) => t.tenantKey === 'tenant_id');
    const fks = await foreignKeys(r.db);
    const columns = await r.db.query<{ table: string; column: string }>(
      `SELECT c.relname AS table, a.attname AS column
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
         AND (a.attname LIKE '%\\_user\\_id' OR a.attname = 'user_id') AND a.atttypid = 'uuid'::regtype`,
    );
    const checked = columns.filter(
      (c) => c.table !== 'memberships' && tables.some((t) => t.name === c.table),
    );
    expect(checked.map((c) => `${c.table}.${c.column}`).sort()).toEqual(
      expect.arrayContaining(['accounts.account_manager_user_id', 'canned_responses.user_id']),
    );
    for (const { table, column } of checked) {
      const ref = fks.find(
        (f) =>
          f.table === table &&
          f.refTable === 'memberships' &&
          f.columns.length === 2 &&
          f.columns[f.refColumns.indexOf('tenant_id')] === 'tenant_id' &&
          f.columns[f.refColumns.indexOf('user_id')] === column,
      );
      expect({ column: `${table}.${column}`, referencesMembership: Boolean(ref) }).toEqual({
        column: `${table}.${column}`,
        referencesMembership: true,
      });
    }
  });
});

describe('accounts.accountManagerUserId', () => {
  it("refuses another tenant's user exactly like a nonexistent one, and creates nothing", async () => {
    const before = await count('accounts', A);
    const foreign = await r.call('admin', 'POST', '/accounts', {
      name: 'Acme',
      accountManagerUserId: memberOfB,
    });
    const nobody = await r.call('admin', 'POST', '/accounts', {
      name: 'Acme',
      accountManagerUserId: randomUUID(),
    });
    expectNotAMember(foreign);
    expectNotAMember(nobody);
    expect(foreign.body.detail).toBe(nobody.body.detail);
    expect(await count('accounts', A)).toBe(before);
  });

  it("takes a member, refuses another tenant's user on PATCH, and clears the link when the member leaves", async () => {
    const made = await r.call('admin', 'POST', '/accounts', {
      name: 'Globex',
      accountManagerUserId: memberOfA,
    });
    expect(made.status).toBe(201);
    const patched = await r.call('admin', 'PATCH', `/accounts/${made.body.id}`, {
      accountManagerUserId: memberOfB,
    });
    expectNotAMember(patched);
    expect((await r.call('viewer', 'GET', `/accounts/${made.body.id}`)).body.accountManagerUserId).toBe(
      memberOfA,
    );

    const leaver = await makeMember(A);
    const other = await r.call('admin', 'POST', '/accounts', {
      name: 'Initech',
      accountManagerUserId: leaver,
    });
    const [membership] = (await r.call('owner', 'GET', `/members?userId=${leaver}`)).body.data;
    const removed = await r.call('owner', 'DELETE', `/members/${membership.id}`);
    expect(removed.status).toBe(204);
    const after = await r.call('viewer', 'GET', `/accounts/${other.body.id}`);
    expect(after.status).toBe(200);
    expect(after.body.accountManagerUserId).toBeNull();
  });
});

describe('canned_responses.userId', () => {
  const reply = (userId: string, shortcut: string) => ({
    shortcut,
    title: 'Mine',
    content: 'Personal reply',
    isTeam: false,
    userId,
  });

  it("refuses another tenant's user on POST and PATCH, and creates or changes nothing", async () => {
    const before = await count('canned_responses', A);
    expectNotAMember(await r.call('agent', 'POST', '/canned-responses', reply(memberOfB, 'x1')));
    expectNotAMember(await r.call('agent', 'POST', '/canned-responses', reply(randomUUID(), 'x2')));
    expect(await count('canned_responses', A)).toBe(before);
    const mine = await r.call('agent', 'POST', '/canned-responses', reply(memberOfA, 'mine'));
    expect(mine.status).toBe(201);
    expectNotAMember(
      await r.call('agent', 'PATCH', `/canned-responses/${mine.body.id}`, { userId: memberOfB }),
    );
    expect((await r.call('viewer', 'GET', `/canned-responses/${mine.body.id}`)).body.userId).toBe(memberOfA);
  });

  it("deleting a user who belongs to two tenants removes only each tenant's own personal replies", async () => {
    const both = await makeMember(A);
    await withOwner(r.db, (tx) =>
      tx.insert(memberships).values({ tenantId: B, userId: both, role: 'agent' }),
    );
    expect((await r.call('agent', 'POST', '/canned-responses', reply(both, 'both-a'))).status).toBe(201);
    expect((await r.call('b-admin', 'POST', '/canned-responses', reply(both, 'both-b'))).status).toBe(201);
    const teamA = await count('canned_responses', A);
    // Leaving tenant B removes the reply in B, and nothing in A.
    const [inB] = (await r.call('b-admin', 'GET', `/canned-responses?userId=${both}`)).body.data;
    expect(inB.shortcut).toBe('both-b');
    await withOwner(r.db, (tx) =>
      tx.delete(memberships).where(and(eq(memberships.tenantId, B), eq(memberships.userId, both))),
    );
    expect((await r.call('b-admin', 'GET', `/canned-responses?userId=${both}`)).body.data).toEqual([]);
    expect(await count('canned_responses', A)).toBe(teamA);
  });
});
