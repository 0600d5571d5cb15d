/**
 * A revoked key, or a session logged out, is refused at once by every process serving the same
 * database, not only by the one that revoked it: two `frontdesk start` processes on one
 * PostgreSQL database, the credential ended through the first, refused by the second on its very
 * next request. (The server engine only: an embedded data folder is opened by one process at a
 * time.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import { hashPassword } from '../../src/domains/identity/passwords.js';
import { memberships, users } from '../../src/domains/identity/tables.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { type StartedServer, startServer } from '../helpers/cli.js';
import { onServer, useTestDatabase } from '../helpers/db.js';
import { tenantWith } from '../helpers/rules.js';

const t = useTestDatabase();

describe.skipIf(!onServer())('revocation across processes (PostgreSQL): API keys and sessions', () => {
  const servers: StartedServer[] = [];
  let owner = '';
  let doomed = { id: '', key: '' };
  const user = { email: `u-${Date.now()}@people.example`, password: 'correct horse battery staple' };

  beforeAll(async () => {
    const tenantId = await tenantWith(t.db);
    await withPlatform(t.db, async (tx) => {
      const [u] = await tx
        .insert(users)
        .values({ email: user.email, passwordHash: await hashPassword(user.password) })
        .returning();
      await tx.insert(memberships).values({ tenantId, userId: u!.id, role: 'agent' });
    });
    await withTenant(t.db, tenantId, async (tx) => {
      owner = (await createApiKey(tx, tenantId, { name: 'owner', role: 'owner' })).key;
      const made = await createApiKey(tx, tenantId, { name: 'to revoke', role: 'viewer' });
      doomed = { id: made.row.id, key: made.key };
    });
    const env = { DATABASE_URL: t.url!, LOG_LEVEL: 'warn' };
    servers.push(await startServer(env, 120_000));
    servers.push(await startServer({ ...env, FRONTDESK_WORKERS: 'false' }, 120_000));
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  const list = (server: StartedServer, key: string) =>
    fetch(`${server.url}/v1/conversations?limit=1`, { headers: { authorization: `Bearer ${key}` } });

  it('is refused by the other process on its next request', async () => {
    const [first, second] = servers as [StartedServer, StartedServer];
    // Both processes have served the key (anything they keep of it is warm).
    expect((await list(first, doomed.key)).status).toBe(200);
    expect((await list(second, doomed.key)).status).toBe(200);

    const revoked = await fetch(`${first.url}/v1/api-keys/${doomed.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(revoked.status).toBe(200);

    const after = await list(second, doomed.key);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { type: string }).type).toBe('/problems/unauthorized');
    expect((await list(first, doomed.key)).status).toBe(401);
    // The other keys of the tenant still work on both.
    expect((await list(second, owner)).status).toBe(200);
  });

  it('a session logged out through one process is refused by the other on its next request', async () => {
    const [first, second] = servers as [StartedServer, StartedServer];
    const login = await fetch(`${first.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user),
    });
    const { token } = (await login.json()) as { token: string };
    // Twice on each: the second request of a session runs in one transaction (its first sizes
    // the rate counters on the platform path).
    for (const server of [first, second, first, second]) expect((await list(server, token)).status).toBe(200);

    const out = await fetch(`${first.url}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(204);
    const after = await list(second, token);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { type: string }).type).toBe('/problems/unauthorized');
  });
});
