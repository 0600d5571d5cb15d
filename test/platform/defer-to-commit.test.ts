/**
 * deferToCommit: a write queued in a scoped transaction runs with its COMMIT (in COMMIT's round
 * trip on a server). It commits with the transaction, never without it; when it fails, the
 * whole transaction rolls back; its parameters reach the table exactly, whatever their quoting.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../src/domains/crm/tables.js';
import { deferToCommit, type Tx } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { auditLog } from '../../src/platform/http/tables.js';
import { tenants } from '../../src/schema/tenants.js';
import { useTestDatabase, withOwner } from '../helpers/db.js';

const t = useTestDatabase();
const A = randomUUID();

beforeAll(async () => {
  await withPlatform(t.db, (tx) => tx.insert(tenants).values({ id: A, slug: 'defer-a', name: 'A' }));
});

const auditRow = (tx: Tx, action: string, extra: object = {}) =>
  tx
    .insert(auditLog)
    .values({ tenantId: A, actorType: 'system', action, resourceType: 'contacts', ...extra });

const auditActions = () =>
  withOwner(t.db, (tx) =>
    tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.tenantId, A)),
  );

describe('deferToCommit', () => {
  it('writes the row with the commit, not before it', async () => {
    const seenInside = await withTenant(t.db, A, async (tx) => {
      await deferToCommit(tx, auditRow(tx, 'defer.commit'));
      return (await tx.select().from(auditLog).where(eq(auditLog.action, 'defer.commit'))).length;
    });
    expect(seenInside).toBe(0);
    expect((await auditActions()).map((r) => r.action)).toContain('defer.commit');
  });

  it('is dropped when the transaction fails', async () => {
    await expect(
      withTenant(t.db, A, async (tx) => {
        await deferToCommit(tx, auditRow(tx, 'defer.dropped'));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');
    expect((await auditActions()).map((r) => r.action)).not.toContain('defer.dropped');
  });

  it('rolls the whole transaction back when the deferred write fails', async () => {
    const id = randomUUID();
    await expect(
      withTenant(t.db, A, async (tx) => {
        await tx.insert(contacts).values({ tenantId: A, id, name: 'Kept only if all commits' });
        // actor_type 'api_key' without an actor id breaks audit_log_actor_check at commit.
        await deferToCommit(tx, auditRow(tx, 'defer.broken', { actorType: 'api_key' }));
      }),
    ).rejects.toThrow(/audit_log_actor_check/);
    const left = await withOwner(t.db, (tx) => tx.select().from(contacts).where(eq(contacts.id, id)));
    expect(left).toEqual([]);
    expect((await auditActions()).map((r) => r.action)).not.toContain('defer.broken');
  });

  it('sends every value as it was given: quotes, backslashes, unicode, JSON, NULL', async () => {
    const tricky = `it's a \\ back'slash "quoted" $1 ; COMMIT; -- ✓ 日本`;
    const values = { note: tricky, nested: { list: [1, 'two', null], flag: true } };
    await withTenant(t.db, A, async (tx) => {
      await deferToCommit(
        tx,
        auditRow(tx, 'defer.values', { userAgent: tricky, newValues: values, oldValues: null, ip: null }),
      );
    });
    const [row] = await withOwner(t.db, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'defer.values')),
    );
    expect(row).toMatchObject({ userAgent: tricky, newValues: values, oldValues: null, ip: null });
  });

  it('refuses a parameter it cannot write as a literal, before anything is sent', async () => {
    await expect(
      withTenant(t.db, A, (tx) => deferToCommit(tx, 'SELECT $1::int[]', [[1, 2]])),
    ).rejects.toThrow(/cannot inline a parameter of SELECT \$1::int\[\]: an array/);
  });
});
