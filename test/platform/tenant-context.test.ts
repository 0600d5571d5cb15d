/**
 * withTenant / withPlatform: the tenant and the role live exactly as long as the transaction.
 * After a transaction, committed or failed, the connection carries neither, directly and (on
 * the server engine) through pgbouncer in transaction-pooling mode.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rawQuery, rows } from '../../src/platform/db/database.js';
import { InvalidTenantError, withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';
import { onServer, useTestDatabase } from '../helpers/db.js';

const t = useTestDatabase();
const A = randomUUID();

beforeAll(async () => {
  await withPlatform(t.db, (tx) => tx.insert(tenants).values({ id: A, slug: 'ctx-a', name: 'A' }));
});

async function sessionState(db: Database) {
  const [row] = await db.query<{ role: string; tenant: string | null }>(
    `SELECT current_user::text AS role, nullif(current_setting('app.tenant_id', true), '') AS tenant`,
  );
  return row!;
}

/** Commits one tenant transaction and fails another, then checks what the connection kept. */
async function expectCleanAfterTransactions(db: Database, owner: string) {
  for (let i = 0; i < 10; i++) {
    const inside = await withTenant(db, A, async (tx) => {
      const [r] = await rows(tx, sql`SELECT current_user::text AS role, current_tenant_id()::text AS tenant`);
      return r;
    });
    expect(inside).toEqual({ role: 'frontdesk_app', tenant: A });
    expect(await sessionState(db)).toEqual({ role: owner, tenant: null });

    await expect(
      withTenant(db, A, async (tx) => {
        await tx.execute(sql`SELECT 1/0`);
      }),
    ).rejects.toThrow();
    expect(await sessionState(db)).toEqual({ role: owner, tenant: null });

    await expect(
      withTenant(db, A, async () => {
        throw new Error('application failure mid-transaction');
      }),
    ).rejects.toThrow('application failure');
    expect(await sessionState(db)).toEqual({ role: owner, tenant: null });
  }
}

describe('tenant context', () => {
  it('runs as the request role with the tenant set, and sees the tenant row', async () => {
    const rows = await withTenant(t.db, A, (tx) => tx.select({ slug: tenants.slug }).from(tenants));
    expect(rows).toEqual([{ slug: 'ctx-a' }]);
  });

  it('rawQuery runs on the scoped transaction: its role, its tenant, its rollback', async () => {
    const inside = await withTenant(t.db, A, (tx) =>
      rawQuery<{ role: string; tenant: string; slugs: string[] }>(
        tx,
        'SELECT current_user::text AS role, current_tenant_id()::text AS tenant, ARRAY(SELECT slug FROM tenants) AS slugs',
        [],
      ),
    );
    expect(inside).toEqual([{ role: 'frontdesk_app', tenant: A, slugs: ['ctx-a'] }]);
    await expect(
      withTenant(t.db, A, async (tx) => {
        await rawQuery(tx, 'UPDATE tenants SET name = $1', ['renamed']);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const [tenant] = await withPlatform(t.db, (tx) =>
      rawQuery<{ name: string }>(tx, 'SELECT name FROM tenants WHERE id = $1', [A]),
    );
    expect(tenant).toEqual({ name: 'A' });
  });

  it('rejects a tenant id that is not a UUID before touching the database', async () => {
    await expect(withTenant(t.db, "x'; drop table tenants; --", async () => 1)).rejects.toThrow(
      InvalidTenantError,
    );
  });

  it('the platform path runs as frontdesk_platform and sees every tenant', async () => {
    const role = await withPlatform(
      t.db,
      async (tx) => (await rows(tx, sql`SELECT current_user::text AS r`))[0],
    );
    expect(role).toEqual({ r: 'frontdesk_platform' });
  });

  it('leaves the connection with neither tenant nor role, after commit and after failure', async () => {
    const single = t.url ? await openDatabase({ engine: 'postgres', url: t.url, poolSize: 1 }) : t.db;
    try {
      const owner = (await sessionState(single)).role;
      await expectCleanAfterTransactions(single, owner);
    } finally {
      if (single !== t.db) await single.close();
    }
  });

  if (onServer()) {
    it('leaves pooled server connections clean through pgbouncer in transaction mode', async () => {
      const bouncer = process.env.TEST_PGBOUNCER_URL;
      expect(
        bouncer,
        'TEST_PGBOUNCER_URL must point at pgbouncer (scripts/install-pgbouncer.sh start)',
      ).toBeTruthy();
      const url = new URL(bouncer!);
      url.pathname = new URL(t.url!).pathname;
      const db = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 3 });
      try {
        const [mode] = await db.query<{ port: number }>(`SELECT inet_server_port() AS port`);
        expect(mode).toBeDefined();
        await expectCleanAfterTransactions(db, 'postgres');
        // Many clients at once, so pgbouncer hands server connections around between them.
        await Promise.all(Array.from({ length: 6 }, () => expectCleanAfterTransactions(db, 'postgres')));
      } finally {
        await db.close();
      }
    });
  }
});
