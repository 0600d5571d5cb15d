/**
 * Seed rules of identity (seed 004's users, roles and team invitations; seed 001's tenant
 * owner): users are global with a case-insensitively unique email, written on the platform path;
 * memberships, invitations and API keys belong to a tenant.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  expectPgError,
  expectRejected,
  insertIn,
  queryIn,
  SQLSTATE as S,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import {
  apiKeys,
  INVITATION_STATUSES,
  invitations,
  memberships,
  ROLES,
  USER_STATUSES,
  users,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
});

const newUser = async (values: Partial<typeof users.$inferInsert> = {}) => {
  const id = randomUUID();
  await withPlatform(t.db, (tx) =>
    tx.insert(users).values({ email: `${uniq('u')}@example.test`, ...values, id }),
  );
  return id;
};
const insertUser = (values: Partial<typeof users.$inferInsert>) => () => newUser(values);

describe('users (seed 004, global)', () => {
  it('email is unique case-insensitively', async () => {
    await newUser({ email: 'Mark@LeadingWithMeaning.com' });
    await expectRejected(
      t.db,
      users,
      insertUser({ email: 'mark@leadingwithmeaning.COM' }),
      S.uniqueViolation,
      'users_email_key',
    );
    await expectRejected(t.db, users, insertUser({ email: null as never }), S.notNullViolation);
  });

  it("status is a closed list with default 'active'", async () => {
    for (const status of USER_STATUSES) await newUser({ status });
    await expectRejected(
      t.db,
      users,
      insertUser({ status: 'banned' as never }),
      S.checkViolation,
      'users_status_check',
    );
    const id = await newUser();
    const [row] = await withPlatform(t.db, (tx) => tx.select().from(users).where(eq(users.id, id)));
    expect(row).toMatchObject({ status: 'active', isPlatformAdmin: false });
  });

  it('a tenant context cannot create users, sees only its members, and never a password hash', async () => {
    await expectRejected(
      t.db,
      users,
      () => withTenant(t.db, A, (tx) => tx.insert(users).values({ email: `${uniq('x')}@example.test` })),
      S.insufficientPrivilege,
    );
    const member = await newUser({ passwordHash: '$argon2id$v=19$…' });
    const outsider = await newUser();
    await insertIn(t.db, A, memberships, { userId: member, role: 'agent' });
    const seen = await withTenant(t.db, A, (tx) => tx.select({ id: users.id }).from(users));
    expect(seen.map((r) => r.id)).toEqual([member]);
    expect(seen.map((r) => r.id)).not.toContain(outsider);
    await expectPgError(queryIn(t.db, A, sql`SELECT password_hash FROM users`), S.insufficientPrivilege);
  });
});

describe('memberships (seed 004 user_role, per tenant)', () => {
  it('role is owner / admin / agent / viewer', async () => {
    const userIds: string[] = [];
    for (const _ of [...ROLES, 'extra']) userIds.push(await newUser());
    await expectEnum(t.db, A, {
      table: memberships,
      column: 'role',
      values: ROLES,
      row: (v, i) => ({ userId: userIds[i]!, role: v as never }),
      constraint: 'memberships_role_check',
    });
  });

  it('a user joins a tenant once, may join several tenants, and must exist', async () => {
    const userId = await newUser();
    await insertIn(t.db, A, memberships, { userId, role: 'owner' });
    await expectInsertRejected(
      t.db,
      A,
      memberships,
      { userId, role: 'admin' },
      S.uniqueViolation,
      'memberships_tenant_user_key',
    );
    await insertIn(t.db, B, memberships, { userId, role: 'viewer' });
    await expectInsertRejected(
      t.db,
      A,
      memberships,
      { userId: randomUUID(), role: 'agent' },
      S.foreignKeyViolation,
      'memberships_user_id_users_id_fk',
    );
    await expectNotNull(t.db, A, memberships, () => ({ userId, role: 'agent' as const }), ['userId', 'role']);
  });
});

describe('invitations (seed 004 team_invitations)', () => {
  const invitation = (extra: Partial<typeof invitations.$inferInsert> = {}) => ({
    email: 'new.agent@example.test',
    role: 'agent' as const,
    tokenHash: uniq('sha256'),
    expiresAt: new Date(Date.now() + 7 * 86_400_000),
    ...extra,
  });

  it("status is pending / accepted / expired / revoked, default 'pending'; role is a closed list", async () => {
    expect((await insertIn(t.db, A, invitations, invitation())).status).toBe('pending');
    await expectEnum(t.db, A, {
      table: invitations,
      column: 'status',
      values: INVITATION_STATUSES,
      row: (v) => invitation({ status: v as never }),
      constraint: 'invitations_status_check',
    });
    await expectInsertRejected(
      t.db,
      A,
      invitations,
      invitation({ role: 'master_admin' as never }),
      S.checkViolation,
      'invitations_role_check',
    );
  });

  it('the token hash is unique per tenant; email, role, token and expiry are required', async () => {
    await insertIn(t.db, A, invitations, invitation({ tokenHash: 'sha256:t1' }));
    await expectInsertRejected(
      t.db,
      A,
      invitations,
      invitation({ tokenHash: 'sha256:t1' }),
      S.uniqueViolation,
      'invitations_tenant_token_key',
    );
    await expectNotNull(t.db, A, invitations, () => invitation(), [
      'email',
      'role',
      'tokenHash',
      'expiresAt',
    ]);
  });
});

describe('API keys', () => {
  const key = (extra: Partial<typeof apiKeys.$inferInsert> = {}) => ({
    name: 'CI',
    prefix: uniq('pk'),
    keyHash: 'sha256:k',
    ...extra,
  });

  it("the prefix is unique per tenant; role defaults to 'admin' and is a closed list", async () => {
    expect((await insertIn(t.db, A, apiKeys, key({ prefix: 'abc123' }))).role).toBe('admin');
    await expectInsertRejected(
      t.db,
      A,
      apiKeys,
      key({ prefix: 'abc123' }),
      S.uniqueViolation,
      'api_keys_tenant_prefix_key',
    );
    await expectInsertRejected(
      t.db,
      A,
      apiKeys,
      key({ role: 'root' as never }),
      S.checkViolation,
      'api_keys_role_check',
    );
    await expectNotNull(t.db, A, apiKeys, () => key(), ['name', 'prefix', 'keyHash']);
  });
});
