/**
 * The audit log is append-only (seed 004's audit_logs "immutable", seed 002's activity_log):
 * the request role may insert and read entries but neither update nor delete them, the platform
 * path may not either, and even the owner's direct UPDATE or DELETE is refused by the
 * `append_only` trigger. Deleting the whole tenant takes its log with it.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  countRows,
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  expectRejected,
  insertIn,
  SQLSTATE as S,
  tenantWith,
} from '../../../test/helpers/rules.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { ACTOR_TYPES, auditLog } from '../../platform/http/tables.js';

const t = useTestDatabase();
let A: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
});

const entry = (extra: Partial<typeof auditLog.$inferInsert> = {}) => ({
  actorType: 'system' as const,
  action: 'agent.updated',
  resourceType: 'agent',
  resourceId: randomUUID(),
  newValues: { status: 'active' },
  ...extra,
});

describe('audit log (append-only)', () => {
  it('the request role may insert and read entries', async () => {
    const row = await insertIn(t.db, A, auditLog, entry({ actorType: 'user', actorId: randomUUID() }));
    const seen = await withTenant(t.db, A, (tx) => tx.select().from(auditLog).where(eq(auditLog.id, row.id)));
    expect(seen).toEqual([row]);
  });

  it('the request role may neither update nor delete an entry (42501)', async () => {
    const row = await insertIn(t.db, A, auditLog, entry());
    await expectRejected(
      t.db,
      auditLog,
      () =>
        withTenant(t.db, A, (tx) =>
          tx.update(auditLog).set({ action: 'forged' }).where(eq(auditLog.id, row.id)),
        ),
      S.insufficientPrivilege,
    );
    await expectRejected(
      t.db,
      auditLog,
      () => withTenant(t.db, A, (tx) => tx.delete(auditLog).where(eq(auditLog.id, row.id))),
      S.insufficientPrivilege,
    );
    await expectRejected(
      t.db,
      auditLog,
      () => withPlatform(t.db, (tx) => tx.delete(auditLog).where(eq(auditLog.id, row.id))),
      S.insufficientPrivilege,
    );
    const [kept] = await withTenant(t.db, A, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.id, row.id)),
    );
    expect(kept!.action).toBe('agent.updated');
  });

  it("even the owner's direct UPDATE and DELETE are refused by the append_only trigger", async () => {
    const row = await insertIn(t.db, A, auditLog, entry());
    for (const statement of [
      `UPDATE audit_log SET action = 'forged' WHERE id = $1`,
      `DELETE FROM audit_log WHERE id = $1`,
    ]) {
      const error = await expectRejected(
        t.db,
        auditLog,
        () => t.db.query(statement, [row.id]),
        S.insufficientPrivilege,
      );
      expect(error.message).toBe('audit_log is append-only');
    }
  });

  it("refuses the owner's TRUNCATE too", async () => {
    await insertIn(t.db, A, auditLog, entry());
    const error = await expectRejected(
      t.db,
      auditLog,
      () => t.db.query('TRUNCATE audit_log'),
      S.insufficientPrivilege,
    );
    expect(error.message).toBe('audit_log is append-only');
  });

  it('deleting the whole tenant (as owner) takes its log with it', async () => {
    const T = await tenantWith(t.db);
    await insertIn(t.db, T, auditLog, entry());
    await insertIn(t.db, A, auditLog, entry());
    const before = await countRows(t.db, auditLog);
    await t.db.query('DELETE FROM tenants WHERE id = $1', [T]);
    expect(await countRows(t.db, auditLog)).toBe(before - 1);
    const [left] = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1',
      [T],
    );
    expect(left!.n).toBe(0);
  });

  it('actor type is user / api_key / system, and only the system acts without an id', async () => {
    await expectEnum(t.db, A, {
      table: auditLog,
      column: 'actor_type',
      values: ACTOR_TYPES,
      row: (v) => entry({ actorType: v as never, actorId: randomUUID() }),
      constraint: 'audit_log_actor_type_check',
    });
    await expectInsertRejected(
      t.db,
      A,
      auditLog,
      entry({ actorType: 'user' }),
      S.checkViolation,
      'audit_log_actor_check',
    );
    await expectNotNull(t.db, A, auditLog, () => entry(), ['actorType', 'action', 'resourceType']);
  });
});
