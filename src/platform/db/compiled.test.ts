import { and, desc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeTenant } from '../../../test/helpers/api.js';
import { sentTexts as sent, useTestDatabase } from '../../../test/helpers/db.js';
import { contacts } from '../../domains/crm/tables.js';
import { auditLog } from '../http/tables.js';
import {
  bound,
  compiledRows,
  insertReturning,
  insertStatement,
  lastRows,
  updateReturning,
} from './compiled.js';
import { deferToCommit, type Tx } from './database.js';
import { withTenant } from './tenant.js';

const t = useTestDatabase();

/** A contact with a value of every kind the table has: text, boolean, enum, text[], timestamptz, jsonb. */
const full = (email: string) => ({
  name: 'Ada',
  email,
  isPrimary: true,
  sentiment: 'positive' as const,
  tags: ['vip', "it's"],
  firstSeenAt: new Date('2026-01-02T03:04:05.678Z'),
  metadata: { plan: 'pro', nested: { n: 1, none: null } },
});
const comparable = (row: Record<string, unknown>) => {
  const { id: _id, email: _email, createdAt: _c, updatedAt: _u, ...rest } = row;
  return rest;
};

describe('statements built once (compiled.ts)', () => {
  it('inserts and returns the same row as Drizzle’s own insert, for full and sparse rows', async () => {
    const tenant = await makeTenant(t.db);
    await withTenant(t.db, tenant.id, async (tx) => {
      for (const [n, row] of [full('a@x.test'), { name: 'Sparse' }, { name: null, metadata: {} }].entries()) {
        const values = { ...row, tenantId: tenant.id };
        const ours = await insertReturning(tx, contacts, { ...values, email: `ours${n}@x.test` });
        const [theirs] = await tx
          .insert(contacts)
          .values({ ...values, email: `theirs${n}@x.test` })
          .returning();
        expect(comparable(ours)).toEqual(comparable(theirs!));
        expect(ours.id).not.toBe(theirs!.id); // $defaultFn ran for each row
        expect(ours.createdAt).toBeInstanceOf(Date);
      }
      // The second call of a shape reuses its SQL and still sends this call's values.
      const again = await insertReturning(tx, contacts, {
        ...full('again@x.test'),
        name: 'Grace',
        tenantId: tenant.id,
      });
      expect(again).toMatchObject({ name: 'Grace', email: 'again@x.test', tags: ['vip', "it's"] });
    });
  });

  it('sends a JSON null as SQL NULL, as Drizzle does, and a SQL value through Drizzle itself', async () => {
    const tenant = await makeTenant(t.db);
    await withTenant(t.db, tenant.id, async (tx) => {
      const row = {
        tenantId: tenant.id,
        actorType: 'system' as const,
        action: 'test.null',
        resourceType: 'test',
      };
      await deferToCommit(
        tx,
        insertStatement(tx, auditLog, { ...row, oldValues: null, newValues: { a: 1 } }),
      );
      await deferToCommit(
        tx,
        insertStatement(tx, auditLog, { ...row, action: sql`'test.' || 'sql'` as never }),
      );
    });
    const entries = await withTenant(t.db, tenant.id, (tx) =>
      tx
        .select({
          action: auditLog.action,
          isNull: sql<boolean>`${auditLog.oldValues} IS NULL`,
          newValues: auditLog.newValues,
        })
        .from(auditLog)
        .where(eq(auditLog.resourceType, 'test'))
        .orderBy(auditLog.action),
    );
    expect(entries).toEqual([
      { action: 'test.null', isNull: true, newValues: { a: 1 } },
      { action: 'test.sql', isNull: true, newValues: null },
    ]);
  });

  it('runs a select built once with each call’s values, encoded by their columns', async () => {
    const tenant = await makeTenant(t.db);
    const other = await makeTenant(t.db);
    const since = new Date('2026-03-01T00:00:00.000Z');
    await withTenant(t.db, tenant.id, async (tx) => {
      await insertReturning(tx, contacts, {
        tenantId: tenant.id,
        name: 'Old',
        firstSeenAt: new Date('2026-01-01T00:00:00Z'),
      });
      await insertReturning(tx, contacts, {
        tenantId: tenant.id,
        name: 'New',
        firstSeenAt: new Date('2026-04-01T00:00:00Z'),
      });
    });
    const seenSince = (tenantId: string, at: Date) =>
      withTenant(t.db, tenantId, (tx) =>
        compiledRows<{ name: string }>(
          tx,
          'test:contacts-seen-since',
          () =>
            tx
              .select({ name: contacts.name })
              .from(contacts)
              .where(
                and(
                  eq(contacts.tenantId, bound(contacts.tenantId, 'tenant')),
                  sql`${contacts.firstSeenAt} >= ${bound(contacts.firstSeenAt, 'at')}`,
                ),
              )
              .orderBy(desc(contacts.name)),
          { tenant: tenantId, at },
        ),
      );
    expect(await seenSince(tenant.id, since)).toEqual([{ name: 'New' }]);
    expect(await seenSince(tenant.id, new Date('2025-01-01T00:00:00Z'))).toEqual([
      { name: 'Old' },
      { name: 'New' },
    ]);
    expect(await seenSince(other.id, new Date('2025-01-01T00:00:00Z'))).toEqual([]);
    await expect(
      withTenant(t.db, tenant.id, (tx) =>
        compiledRows(tx, 'test:contacts-seen-since', () => undefined, { tenant: tenant.id }),
      ),
    ).rejects.toThrow('no value for "at"');
  });

  it('updates by a where clause built once and returns the row as Drizzle’s own update does', async () => {
    const tenant = await makeTenant(t.db);
    await withTenant(t.db, tenant.id, async (tx) => {
      const a = await insertReturning(tx, contacts, { tenantId: tenant.id, name: 'A', tags: ['x'] });
      const b = await insertReturning(tx, contacts, { tenantId: tenant.id, name: 'B', tags: ['x'] });
      const byId = () =>
        and(
          eq(contacts.tenantId, bound(contacts.tenantId, 'tenant')),
          eq(contacts.id, bound(contacts.id, 'id')),
        );
      const set = {
        name: 'Renamed',
        email: null,
        tags: ['vip', "it's"],
        metadata: { n: 1 },
        lastSeenAt: new Date('2026-05-01T00:00:00.000Z'),
      };
      const [ours] = await updateReturning(tx, contacts, 'test', set, byId, { tenant: tenant.id, id: a.id });
      const [theirs] = await tx
        .update(contacts)
        .set(set)
        .where(and(eq(contacts.tenantId, tenant.id), eq(contacts.id, b.id)))
        .returning();
      expect(comparable(ours!)).toEqual(comparable(theirs!));
      // The same shape again, another row and other values; then a value that is SQL.
      const [again] = await updateReturning(tx, contacts, 'test', { ...set, name: 'Again' }, byId, {
        tenant: tenant.id,
        id: b.id,
      });
      expect(again).toMatchObject({ id: b.id, name: 'Again' });
      const [computed] = await updateReturning(tx, contacts, 'test', { name: sql`'A' || 'B'` }, byId, {
        tenant: tenant.id,
        id: a.id,
      });
      expect(computed).toMatchObject({ id: a.id, name: 'AB', tags: ['vip', "it's"] });
    });
  });

  describe('a transaction’s last read (lastRows)', () => {
    const byTenant = (tx: Tx, _key: string) => () =>
      tx
        .select()
        .from(contacts)
        .where(eq(contacts.tenantId, bound(contacts.tenantId, 'tenant')))
        .orderBy(desc(contacts.name))
        .limit(sql.placeholder('limit') as never);
    it('answers the rows compiledRows answers, the deferred writes committed with it', async () => {
      const tenant = await makeTenant(t.db);
      const other = await makeTenant(t.db);
      await withTenant(t.db, tenant.id, async (tx) => {
        for (const email of ['a@x.test', 'b@x.test'])
          await insertReturning(tx, contacts, { ...full(email), tenantId: tenant.id });
      });
      await withTenant(t.db, other.id, (tx) =>
        insertReturning(tx, contacts, { name: 'Theirs', tenantId: other.id }),
      );
      const values = { tenant: tenant.id, limit: 10 };
      const expected = await withTenant(t.db, tenant.id, (tx) =>
        compiledRows<Record<string, unknown>>(tx, 'test:last', byTenant(tx, 'test:last'), values),
      );
      const texts = await sent(async () => {
        const got = await withTenant(t.db, tenant.id, async (tx) => {
          await deferToCommit(
            tx,
            insertStatement(tx, auditLog, {
              tenantId: tenant.id,
              actorType: 'system',
              action: 'test.last',
              resourceType: 'test',
            }),
          );
          return lastRows<Record<string, unknown>>(tx, 'test:last', byTenant(tx, 'test:last'), values);
        });
        expect(got).toEqual(expected);
        expect(got).toHaveLength(2);
        expect(got[0]).toMatchObject({ tags: ['vip', "it's"], metadata: full('').metadata });
        expect(got[0]!.firstSeenAt).toEqual(full('').firstSeenAt);
      });
      const audit = await withTenant(t.db, tenant.id, (tx) =>
        tx.select().from(auditLog).where(eq(auditLog.action, 'test.last')),
      );
      expect(audit).toHaveLength(1);
      if (t.db.engine === 'postgres') {
        // BEGIN with the tenant's setup (nothing to check), the read, the audit row and COMMIT:
        // one round trip.
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(
          /^BEGIN; SELECT frontdesk_enter_tenant\('[0-9a-f-]+'\);\nselect .*;\ninsert into "audit_log".*;\nCOMMIT$/s,
        );
      }
    });

    it('refuses a statement or a deferred write after it on a server; a failed read rolls back', async () => {
      const tenant = await makeTenant(t.db);
      const values = { tenant: tenant.id, limit: 10 };
      const afterLast = (then: (tx: Tx) => Promise<unknown>) =>
        withTenant(t.db, tenant.id, async (tx) => {
          await lastRows(tx, 'test:last', byTenant(tx, 'test:last'), values);
          await then(tx);
        });
      const insert = (tx: Tx) => insertReturning(tx, contacts, { name: 'After', tenantId: tenant.id });
      const defer = (tx: Tx) =>
        deferToCommit(tx, insertStatement(tx, contacts, { name: 'Deferred', tenantId: tenant.id }));
      if (t.db.engine === 'postgres') {
        // Drizzle wraps the driver's error (a "Failed query"); the gate's refusal is its cause.
        const refusal = await afterLast(insert).catch((e: Error) => e);
        expect((refusal as Error & { cause?: Error }).cause?.message).toMatch('committed with its last read');
        await expect(afterLast(defer)).rejects.toThrow('deferred after the transaction committed');
      } else {
        // PGlite has no round trip to save: the read runs in place and the transaction goes on.
        await afterLast(insert);
        await afterLast(defer);
      }
      // The pooled connection is usable again, in its own transaction.
      await withTenant(t.db, tenant.id, (tx) =>
        insertReturning(tx, contacts, { name: 'Next', tenantId: tenant.id }),
      );
      // A read that fails takes the deferred writes before it down with it.
      await expect(
        withTenant(t.db, tenant.id, async (tx) => {
          await deferToCommit(tx, insertStatement(tx, contacts, { name: 'Lost', tenantId: tenant.id }));
          await lastRows(tx, 'test:last-bad', () => tx.select({ n: sql`1 / 0` }).from(contacts), {});
        }),
      ).rejects.toThrow();
      const names = await withTenant(t.db, tenant.id, (tx) =>
        tx.select({ name: contacts.name }).from(contacts),
      );
      expect(names.map((r) => r.name).sort()).toEqual(
        t.db.engine === 'postgres' ? ['Next'] : ['After', 'Deferred', 'Next'],
      );
      await expect(
        withTenant(t.db, tenant.id, (tx) => lastRows(tx, 'test:last-write', () => tx.delete(contacts), {})),
      ).rejects.toThrow('lastRows is for a read');
    });

    it('falls back to a read then COMMIT for a value with no literal form', async () => {
      const tenant = await makeTenant(t.db);
      await withTenant(t.db, tenant.id, (tx) =>
        insertReturning(tx, contacts, { name: 'Tagged', tags: ['a'], tenantId: tenant.id }),
      );
      const texts = await sent(async () => {
        const got = await withTenant(t.db, tenant.id, (tx) =>
          lastRows<{ name: string }>(
            tx,
            'test:last-any',
            () =>
              tx
                .select({ name: contacts.name })
                .from(contacts)
                .where(sql`${contacts.name} = ANY(${sql.placeholder('names')})`),
            { names: ['Tagged', 'Other'] },
          ),
        );
        expect(got).toEqual([{ name: 'Tagged' }]);
      });
      if (t.db.engine === 'postgres') expect(texts.at(-1)).toBe('COMMIT');
    });
  });
});
