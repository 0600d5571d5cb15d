/**
 * Shared setup for the seed-rule tests (`src/domains/<domain>/rules.test.ts`): make a tenant,
 * write rows through the request role (`withTenant` + Drizzle, as the application does), and
 * assert that a bad value is refused with the expected SQLSTATE and constraint while the table
 * keeps its row count.
 * @example
 *   const tenant = await tenantWith(t.db);
 *   await expectRejected(t.db, agents, () => insertIn(t.db, tenant, agents, { name: 'x', confidenceThreshold: 2 }),
 *     '23514', 'agents_confidence_threshold_check');
 */
import { randomUUID } from 'node:crypto';
import { getTableName, type InferInsertModel, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { expect } from 'vitest';
import type { Database, Tx } from '../../src/platform/db/database.js';
import { columnOf, constraintOf, databaseError } from '../../src/platform/db/error-names.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';
import { enumChecks } from './catalog.js';

export const SQLSTATE = {
  checkViolation: '23514',
  uniqueViolation: '23505',
  notNullViolation: '23502',
  foreignKeyViolation: '23503',
  insufficientPrivilege: '42501',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  invalidTextRepresentation: '22P02',
} as const;

export interface PgErrorInfo {
  code: string | undefined;
  constraint: string | undefined;
  column: string | undefined;
  message: string;
}

/** A short unique suffix for slugs, names and keys. */
export const uniq = (prefix = 'x'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * Awaits `promise`, which must reject with a database error, and returns its SQLSTATE, constraint
 * (named alike on every engine, Citus included: src/platform/db/error-names.ts) and column.
 * Drizzle wraps driver errors (DrizzleQueryError): the `cause` chain is followed to the PGlite /
 * node-postgres error that carries the fields.
 */
export async function pgError(promise: Promise<unknown>): Promise<PgErrorInfo> {
  try {
    await promise;
  } catch (error) {
    const db = databaseError(error);
    if (!db) return { code: undefined, constraint: undefined, column: undefined, message: String(error) };
    return { code: db.code, constraint: constraintOf(db), column: columnOf(db), message: String(db.message) };
  }
  throw new Error('expected the statement to be rejected, but it succeeded');
}

/** Expects `promise` to reject with SQLSTATE `code` (and, when given, the named constraint). */
export async function expectPgError(
  promise: Promise<unknown>,
  code: string,
  constraint?: string,
): Promise<PgErrorInfo> {
  const error = await pgError(promise);
  const seen = { code: error.code, constraint: constraint === undefined ? undefined : error.constraint };
  expect(seen, error.message).toEqual({ code, constraint });
  return error;
}

/** Rows in `table`, counted on the owner connection (a superuser in tests, so outside RLS). */
export async function countRows(db: Database, table: PgTable | string): Promise<number> {
  const name = typeof table === 'string' ? table : getTableName(table);
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
  return row!.n;
}

/**
 * Runs `write`, which must fail with `code` (and `constraint`), and checks that `table` has as
 * many rows afterwards as before: bad input changes nothing.
 */
export async function expectRejected(
  db: Database,
  table: PgTable | string,
  write: () => Promise<unknown>,
  code: string,
  constraint?: string,
): Promise<PgErrorInfo> {
  const before = await countRows(db, table);
  const error = await expectPgError(write(), code, constraint);
  expect(await countRows(db, table)).toBe(before);
  return error;
}

/** Creates a tenant on the platform path and returns its id. */
export async function tenantWith(
  db: Database,
  values: Partial<InferInsertModel<typeof tenants>> = {},
): Promise<string> {
  const id = values.id ?? randomUUID();
  await withPlatform(db, (tx) =>
    tx.insert(tenants).values({ slug: uniq('t'), name: 'Tenant', ...values, id }),
  );
  return id;
}

export type TenantOwned = PgTable & { tenantId: unknown; $inferInsert: object; $inferSelect: object };
/** What to insert into a tenant table: its columns, tenant_id filled in from the context. */
export type RowOf<T extends TenantOwned> = Omit<T['$inferInsert'], 'tenantId'>;

/** Inserts one row in the tenant's context (request role, RLS) with Drizzle and returns it. */
export async function insertIn<T extends TenantOwned>(
  db: Database,
  tenantId: string,
  table: T,
  values: RowOf<T>,
): Promise<T['$inferSelect']> {
  const [row] = await withTenant(db, tenantId, (tx) => insertRows(tx, tenantId, table, [values]));
  return row!;
}

/** Expects inserting `values` in the tenant's context to fail with `code` (and `constraint`), changing nothing. */
export function expectInsertRejected<T extends TenantOwned>(
  db: Database,
  tenantId: string,
  table: T,
  values: RowOf<T>,
  code: string,
  constraint?: string,
): Promise<PgErrorInfo> {
  return expectRejected(db, table, () => insertIn(db, tenantId, table, values), code, constraint);
}

/** Inserts rows inside an open tenant transaction. */
export async function insertRows<T extends TenantOwned>(
  tx: Tx,
  tenantId: string,
  table: T,
  values: RowOf<T>[],
): Promise<T['$inferSelect'][]> {
  if (values.length === 0) return [];
  const rows = values.map((v) => ({ ...v, tenantId }));
  return (await tx
    .insert(table)
    .values(rows as never)
    .returning()) as T['$inferSelect'][];
}

/**
 * An enum column (text + CHECK): the CHECK lists exactly `values`, every value is accepted
 * through the request role, and an unknown one is refused with `constraint`, changing nothing.
 * `row(value, i)` builds a complete row for the value (unique where the table needs it).
 */
export async function expectEnum<T extends TenantOwned>(
  db: Database,
  tenantId: string,
  spec: {
    table: T;
    column: string;
    values: readonly string[];
    row: (value: string, i: number) => RowOf<T>;
    constraint: string;
  },
): Promise<void> {
  const name = getTableName(spec.table);
  const allowed = (await enumChecks(db, name)).get(spec.column);
  expect({ table: name, column: spec.column, allowed: [...(allowed ?? [])].sort() }).toEqual({
    table: name,
    column: spec.column,
    allowed: [...spec.values].sort(),
  });
  const made = await withTenant(db, tenantId, (tx) =>
    insertRows(
      tx,
      tenantId,
      spec.table,
      spec.values.map((v, i) => spec.row(v, i)),
    ),
  );
  expect(made).toHaveLength(spec.values.length);
  await expectRejected(
    db,
    spec.table,
    () => insertIn(db, tenantId, spec.table, spec.row('not_a_valid_value', spec.values.length)),
    SQLSTATE.checkViolation,
    spec.constraint,
  );
}

/** Each listed column refuses NULL (23502, naming the column) when the rest of the row is valid. */
export async function expectNotNull<T extends TenantOwned>(
  db: Database,
  tenantId: string,
  table: T,
  row: () => RowOf<T>,
  columns: (keyof RowOf<T> & string)[],
): Promise<void> {
  for (const key of columns) {
    const error = await expectRejected(
      db,
      table,
      () => insertIn(db, tenantId, table, { ...row(), [key]: null }),
      SQLSTATE.notNullViolation,
    );
    expect(error.column).toBe((table as unknown as Record<string, { name: string }>)[key]!.name);
  }
}

/** Rows of a raw query run in the tenant's context. */
export async function queryIn<T>(db: Database, tenantId: string, query: SQL): Promise<T[]> {
  return withTenant(db, tenantId, async (tx) => {
    const result = (await tx.execute(query)) as unknown as { rows: T[] };
    return result.rows;
  });
}

/** The SQL data type of a column, from the catalog. */
export async function columnType(db: Database, table: string, column: string): Promise<string | undefined> {
  const [row] = await db.query<{ type: string }>(
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attname = $2 AND NOT attisdropped`,
    [`public.${table}`, column],
  );
  return row?.type;
}
