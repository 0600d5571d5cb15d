/** Users for the plans tests: a member of a tenant and a platform admin, each logged in. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { hashPassword } from '../../src/domains/identity/passwords.js';
import { memberships, users } from '../../src/domains/identity/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform } from '../../src/platform/db/tenant.js';
import type { TestApi } from '../helpers/api.js';

const PASSWORD = 'plans-test-password';

/** A user (a member of `tenantId` with `role`, or a platform admin) and their session token. */
export async function loggedIn(
  api: TestApi,
  who: { tenantId?: string; role?: 'owner' | 'admin' | 'agent' | 'viewer'; platformAdmin?: boolean },
): Promise<{ userId: string; email: string; token: string }> {
  const email = `u-${randomBytes(5).toString('hex')}@example.com`;
  const userId = await createUser(api.db, email, who.platformAdmin ?? false);
  if (who.tenantId) {
    await withPlatform(api.db, (tx) =>
      tx.insert(memberships).values({ tenantId: who.tenantId!, userId, role: who.role ?? 'admin' }),
    );
  }
  const res = await api.fetch('/v1/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return { userId, email, token: ((await res.json()) as { token: string }).token };
}

async function createUser(db: Database, email: string, isPlatformAdmin: boolean): Promise<string> {
  const passwordHash = await hashPassword(PASSWORD);
  const [u] = await withPlatform(db, (tx) =>
    tx.insert(users).values({ email, passwordHash, isPlatformAdmin }).returning({ id: users.id }),
  );
  return u!.id;
}
