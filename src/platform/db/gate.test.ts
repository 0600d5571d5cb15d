import { desc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeTenant } from '../../../test/helpers/api.js';
import { sentTexts as sent, useTestDatabase, withOwner } from '../../../test/helpers/db.js';
import { contacts } from '../../domains/crm/tables.js';
import { apiKeys } from '../../domains/identity/tables.js';
import { sha256 } from '../hash.js';
import { auditLog } from '../http/tables.js';
import { bound, insertReturning, insertStatement, lastRows } from './compiled.js';
import { deferToCommit, type Tx } from './database.js';
import { type KeyEntry, withApiKeyLazily, withTenant } from './tenant.js';

const t = useTestDatabase();
const onServer = () => t.db.engine === 'postgres';

const REFUSED = new Error('refused by the check');
/** The check a request makes of its key: valid, or refused. */
const requireKey = (seen: (KeyEntry | undefined)[]) => (entry: KeyEntry | undefined) => {
  seen.push(entry);
  if (!entry) throw REFUSED;
};
/** What a statement's caller gets: Drizzle wraps what the driver threw, which is the cause. */
const rootOf = (e: unknown) => ((e as { cause?: unknown }).cause ?? e) as Error;

function keyOf(tenantId: string, key: string) {
  const prefix = key.split('_')[1]!;
  return { prefix, hash: sha256(key), at: new Date(), tenantId };
}

const names = (tenantId: string) =>
  withOwner(t.db, async (tx) =>
    (await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.tenantId, tenantId)))
      .map((r) => r.name)
      .sort(),
  );

describe('a key checked with the transaction’s first statement (withApiKeyLazily, gate.ts)', () => {
  const list = (tx: Tx, tenantId: string) =>
    lastRows<{ name: string }>(
      tx,
      'test:gate-list',
      () =>
        tx
          .select()
          .from(contacts)
          .where(eq(contacts.tenantId, bound(contacts.tenantId, 'tenant')))
          .orderBy(desc(contacts.name)),
      { tenant: tenantId },
    );

  it('sends BEGIN and the key’s check with a list’s read and COMMIT, a create’s insert: one round trip fewer', async () => {
    const tenant = await makeTenant(t.db);
    const key = keyOf(tenant.id, tenant.keys.admin);
    const seen: (KeyEntry | undefined)[] = [];
    let rows: { name: string }[] = [];
    const created = await sent(() =>
      withApiKeyLazily(t.db, key, requireKey(seen), async (tx) => {
        await insertReturning(tx, contacts, { name: 'Ada', tenantId: tenant.id });
        await deferToCommit(
          tx,
          insertStatement(tx, auditLog, {
            tenantId: tenant.id,
            actorType: 'system',
            action: 'test.gate',
            resourceType: 'test',
          }),
        );
      }),
    );
    const listed = await sent(() =>
      withApiKeyLazily(t.db, key, requireKey(seen), async (tx) => {
        rows = await list(tx, tenant.id);
      }),
    );
    expect(rows.map((r) => r.name)).toEqual(['Ada']);
    expect(seen.map((e) => e?.key_tenant)).toEqual([tenant.id, tenant.id]);
    expect(seen[0]).toMatchObject({ key_role: 'admin', subscription: expect.any(String) });
    if (onServer()) {
      expect(created).toHaveLength(2);
      expect(created[0]).toMatch(
        /^BEGIN; SELECT \* FROM frontdesk_enter_with_key\(.*\);\ninsert into "contacts"/s,
      );
      expect(created[1]).toMatch(/^insert into "audit_log".*;\nCOMMIT$/s);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatch(
        /^BEGIN; SELECT \* FROM frontdesk_enter_with_key\(.*\);\nselect .*;\nCOMMIT$/s,
      );
    }
  });

  it('sends a value holding a quote, a dollar sign and digits as it is, in the first statement and in a read that commits', async () => {
    const tenant = await makeTenant(t.db);
    const key = keyOf(tenant.id, tenant.keys.admin);
    const name = "Pay $1 o'clock -- $2 /* now */";
    await withApiKeyLazily(t.db, key, requireKey([]), (tx) =>
      insertReturning(tx, contacts, { name, tenantId: tenant.id }),
    );
    const found = await withApiKeyLazily(t.db, key, requireKey([]), (tx) =>
      lastRows<{ name: string }>(
        tx,
        'test:gate-by-name',
        () =>
          tx
            .select()
            .from(contacts)
            .where(eq(contacts.name, bound(contacts.name, 'name'))),
        { name },
      ),
    );
    expect(found.map((r) => r.name)).toEqual([name]);
    expect(await names(tenant.id)).toEqual([name]);
  });

  it('hands a revoked key’s refusal to the first statement’s caller and writes nothing', async () => {
    const tenant = await makeTenant(t.db);
    const key = keyOf(tenant.id, tenant.keys.agent);
    await withOwner(t.db, (tx) =>
      tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.prefix, key.prefix)),
    );
    const seen: (KeyEntry | undefined)[] = [];
    let after = 'not reached';
    const error = await withApiKeyLazily(t.db, key, requireKey(seen), async (tx) => {
      await insertReturning(tx, contacts, { name: 'Revoked', tenantId: tenant.id });
      after = 'reached';
    }).catch(rootOf);
    expect(error).toBe(REFUSED);
    expect(after).toBe('not reached');
    expect(seen).toEqual([undefined]);
    // A list's read with COMMIT: its rows (none: no tenant was entered) are never handed back.
    await expect(
      withApiKeyLazily(t.db, key, requireKey(seen), (tx) => list(tx, tenant.id)),
    ).rejects.toSatisfy((e) => rootOf(e) === REFUSED);
    expect(await names(tenant.id)).toEqual([]);
  });

  it('checks the key even when nothing was sent: at the end, or before the error that ended it', async () => {
    const tenant = await makeTenant(t.db);
    const good = keyOf(tenant.id, tenant.keys.viewer);
    const bad = { ...good, hash: sha256('fd_000000000000_not-a-key') };
    const seen: (KeyEntry | undefined)[] = [];
    await expect(withApiKeyLazily(t.db, good, requireKey(seen), async () => 'nothing')).resolves.toBe(
      'nothing',
    );
    await expect(withApiKeyLazily(t.db, bad, requireKey(seen), async () => 'nothing')).rejects.toBe(REFUSED);
    const invalidInput = new Error('422: the body is not valid');
    await expect(
      withApiKeyLazily(t.db, good, requireKey(seen), async () => {
        throw invalidInput;
      }),
    ).rejects.toBe(invalidInput);
    // The credential's refusal comes first: a revoked key learns nothing about its input.
    await expect(
      withApiKeyLazily(t.db, bad, requireKey(seen), async () => {
        throw invalidInput;
      }),
    ).rejects.toBe(REFUSED);
    expect(seen.map((e) => e?.key_role)).toEqual(['viewer', undefined, 'viewer', undefined]);
  });

  it('when the first statement fails: its error for a valid key, the refusal for another; nothing runs after it', async () => {
    const tenant = await makeTenant(t.db);
    const good = keyOf(tenant.id, tenant.keys.admin);
    const bad = { ...good, hash: sha256('fd_000000000000_not-a-key') };
    const failing = (tx: Tx) => tx.execute(sql`SELECT 1 / 0`);
    const seen: (KeyEntry | undefined)[] = [];
    const valid = (await withApiKeyLazily(t.db, good, requireKey(seen), failing).catch(rootOf)) as Error;
    expect(valid.message).toMatch('division by zero');
    const refused = await withApiKeyLazily(t.db, bad, requireKey(seen), failing).catch(rootOf);
    expect(refused).toBe(REFUSED);
    // A caller that catches the failure and goes on writes nothing, now or at COMMIT.
    const next = (await withApiKeyLazily(t.db, good, requireKey(seen), async (tx) => {
      await failing(tx).catch(() => {});
      await insertReturning(tx, contacts, { name: 'After a failure', tenantId: tenant.id });
    }).catch(rootOf)) as Error;
    expect(next.message).toMatch(onServer() ? 'current transaction is aborted' : /aborted/);
    const deferred = await withApiKeyLazily(t.db, good, requireKey(seen), async (tx) => {
      await failing(tx).catch(() => {});
      await deferToCommit(tx, insertStatement(tx, contacts, { name: 'Deferred', tenantId: tenant.id }));
    }).catch(rootOf);
    expect(deferred).toBeInstanceOf(Error);
    expect(await names(tenant.id)).toEqual([]);
    // The pooled connections are usable again.
    await withApiKeyLazily(t.db, good, requireKey(seen), (tx) =>
      insertReturning(tx, contacts, { name: 'Next', tenantId: tenant.id }),
    );
    expect(await names(tenant.id)).toEqual(['Next']);
  });

  it('sends the check on its own first for a value with no literal form (an array) or a named statement', async () => {
    const tenant = await makeTenant(t.db);
    const key = keyOf(tenant.id, tenant.keys.admin);
    const seen: (KeyEntry | undefined)[] = [];
    await withOwner(t.db, (tx) => tx.insert(contacts).values({ name: 'Tagged', tenantId: tenant.id }));
    let got: { name: string | null }[] = [];
    const texts = await sent(() =>
      withApiKeyLazily(t.db, key, requireKey(seen), async (tx) => {
        got = await tx
          .select({ name: contacts.name })
          .from(contacts)
          .where(sql`${contacts.name} = ANY(${sql.param(['Tagged', 'Other'])})`);
      }),
    );
    expect(seen).toHaveLength(1);
    expect(got).toEqual([{ name: 'Tagged' }]);
    // A named (prepared) statement takes a text of one statement: the check goes first too.
    const named = await sent(() =>
      withApiKeyLazily(t.db, key, requireKey(seen), async (tx) => {
        got = await tx.select({ name: contacts.name }).from(contacts).prepare('gate_test_named').execute();
      }),
    );
    expect(got).toEqual([{ name: 'Tagged' }]);
    expect(seen).toHaveLength(2);
    if (onServer()) {
      for (const texts_ of [texts, named]) {
        expect(texts_[0]).toMatch(/^BEGIN; SELECT \* FROM frontdesk_enter_with_key\([^;]*\)$/);
        expect(texts_[1]).toMatch(/^select /);
      }
    }
  });
});

describe('an entry with nothing to check (withTenant, withPlatform)', () => {
  it('sends nothing for a transaction with no statement or failing before one, and its deferred writes with BEGIN and COMMIT', async () => {
    const tenant = await makeTenant(t.db);
    const nothing = await sent(() => withTenant(t.db, tenant.id, async () => 'no statement'));
    const failedFirst = await sent(() =>
      expect(
        withTenant(t.db, tenant.id, async (tx) => {
          await deferToCommit(tx, insertStatement(tx, contacts, { name: 'Dropped', tenantId: tenant.id }));
          throw new Error('fails before any statement');
        }),
      ).rejects.toThrow('fails before any statement'),
    );
    const writes = await sent(() =>
      withTenant(t.db, tenant.id, async (tx) => {
        await deferToCommit(tx, insertStatement(tx, contacts, { name: 'Deferred', tenantId: tenant.id }));
        await deferToCommit(tx, 'SELECT pg_notify($1, $2)', ['frontdesk_test', 'x']);
      }),
    );
    // The deferred insert ran in the tenant's context (its row passes the tenant's policy).
    expect(await names(tenant.id)).toEqual(['Deferred']);
    // Another tenant's row is refused by the policy there too: the setup went first.
    const other = await makeTenant(t.db);
    await expect(
      withTenant(t.db, other.id, (tx) =>
        deferToCommit(tx, insertStatement(tx, contacts, { name: 'Not theirs', tenantId: tenant.id })),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await names(tenant.id)).toEqual(['Deferred']);
    if (onServer()) {
      expect(nothing).toEqual([]);
      expect(failedFirst).toEqual([]);
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(
        /^BEGIN; SELECT frontdesk_enter_tenant\('[0-9a-f-]+'\);\ninsert into "contacts".*;\nSELECT pg_notify\('frontdesk_test', 'x'\);\nCOMMIT$/s,
      );
    }
  });
});
