/**
 * Hot statements whose SQL is built once. Drizzle renders a query's SQL text from its builder on
 * every call: for the API's create (the row and its audit entry) that was a fifth of the server's
 * CPU per request, for a list a tenth (`PROFILE=create npx tsx bench/profile-api.ts postgres`).
 * Here a statement is built once per shape (its table and the columns or filters it names) with
 * placeholders, and each call fills in the values and runs the text through the transaction's own
 * Drizzle session: the same text, the same value encoding and the same row mapping as the builder.
 *
 *   const rows = await compiledRows<Row>(tx, `contacts:by-email`, () =>
 *     tx.select().from(contacts).where(eq(contacts.email, bound(contacts.email, 'email'))),
 *     { email },
 *   );
 *   const created = await insertReturning(tx, contacts, { name, email });
 *   await deferToCommit(tx, insertStatement(tx, auditLog, row));
 */
import { type Column, getTableColumns, getTableName, is, Param, Placeholder, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { commitWith } from './commit.js';
import type { Tx } from './database.js';

type Values = Record<string, unknown>;

/** A statement as built once: its text, its parameters (placeholders among them), how its rows map. */
interface Shape {
  sql: string;
  params: unknown[];
  fields: unknown;
  joins: unknown;
}

/** What Drizzle's builders and sessions expose to their own query classes (stable across 0.4x). */
interface PreparedQuery {
  query: { sql: string; params: unknown[] };
  fields?: unknown;
  joinsNotNullableMap?: unknown;
  execute(): Promise<unknown>;
}
interface Builder {
  _prepare(): PreparedQuery;
}
interface Session {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: unknown,
    name: undefined,
    isResponseInArrayMode: boolean,
  ): PreparedQuery;
}

/** Shapes come from code (a table and the filters an API names), so they are few; the cap is a backstop. */
const MAX_SHAPES = 2_000;
const shapes = new Map<string, Shape>();

function shapeOf(key: string, build: () => unknown): Shape {
  let shape = shapes.get(key);
  if (!shape) {
    shape = shapeFrom(build());
    if (shapes.size < MAX_SHAPES) shapes.set(key, shape);
  }
  return shape;
}

function shapeFrom(builder: unknown): Shape {
  const prepared = (builder as Builder)._prepare();
  return {
    sql: prepared.query.sql,
    params: prepared.query.params,
    fields: prepared.fields,
    joins: prepared.joinsNotNullableMap,
  };
}

/** The shape's parameters with `values` in place of its placeholders, each encoded as Drizzle encodes a bound value. */
function fill(shape: Shape, values: Values): unknown[] {
  return shape.params.map((p) => {
    const bound = is(p, Param) && is(p.value, Placeholder);
    const name = bound ? (p.value as Placeholder).name : is(p, Placeholder) ? p.name : undefined;
    if (name === undefined) return p;
    if (!(name in values)) throw new Error(`compiled statement: no value for "${name}"`);
    const value = values[name];
    if (!bound || value === null) return value;
    const encoded = (p as Param).encoder.mapToDriverValue(value);
    if (is(encoded, SQL)) throw new Error(`compiled statement: "${name}" encodes as SQL, not a value`);
    return encoded;
  });
}

/** A placeholder named `name`, encoded by `column` (as `eq(column, value)` encodes a plain value). */
export const bound = (column: Column, name: string): SQL =>
  sql`${sql.param(sql.placeholder(name), column as never)}`;

/**
 * Runs the statement `build` makes (a Drizzle builder on `tx` whose values are placeholders),
 * built once per `key`, with `values` for its placeholders; returns its rows as Drizzle maps them.
 */
export async function compiledRows<T>(
  tx: Tx,
  key: string,
  build: () => unknown,
  values: Values,
): Promise<T[]> {
  return run<T>(tx, shapeOf(key, build), values);
}

/**
 * `compiledRows` for the last statement of a request's transaction, a read: on a server it goes
 * with the deferred writes and COMMIT in one round trip (commit.ts `commitWith`), one fewer
 * than the read and then COMMIT. Nothing may run on `tx` after it (the transaction is over; a
 * statement is refused). On PGlite, or where the read cannot go with COMMIT, it runs as
 * `compiledRows` does and the transaction commits as usual.
 */
export async function lastRows<T>(tx: Tx, key: string, build: () => unknown, values: Values): Promise<T[]> {
  const shape = shapeOf(key, build);
  if (!/^select /i.test(shape.sql)) throw new Error(`lastRows is for a read, not: ${shape.sql.slice(0, 40)}`);
  return run<T>(tx, shape, values, true);
}

/** Runs a shape on `tx` with `values` for its placeholders; its rows as Drizzle maps them. */
async function run<T>(tx: Tx, shape: Shape, values: Values, last = false): Promise<T[]> {
  const session = (tx as unknown as { session: Session }).session;
  const params = fill(shape, values);
  const query = session.prepareQuery({ sql: shape.sql, params }, shape.fields, undefined, true);
  if (shape.joins) query.joinsNotNullableMap = shape.joins;
  const close = last ? commitWith(tx, shape.sql, params) : undefined;
  // Drizzle sends the statement through its client's `query(config, params)`: here, with COMMIT.
  if (close) (query as unknown as { client: unknown }).client = { query: close };
  return (await query.execute()) as T[];
}

/**
 * The values Drizzle would write for `given`: the columns given, and the others it fills in
 * itself, called now. An insert fills a column with a `$defaultFn` (or an `$onUpdateFn` and no
 * default) and skips generated ones; an update fills a column with an `$onUpdateFn`. Undefined
 * when one of the values is SQL (not a value).
 */
function writtenValues(table: PgTable, given: Values, op: 'insert' | 'update'): Values | undefined {
  const values: Values = {};
  for (const [name, column] of Object.entries(getTableColumns(table))) {
    if (op === 'insert' && column.generated && column.generated.type !== 'byDefault') continue;
    let value = given[name];
    if (value === undefined) {
      if (op === 'insert' && column.defaultFn) value = column.defaultFn();
      else if ((op === 'update' || !column.default) && column.onUpdateFn) value = column.onUpdateFn();
      else continue;
    }
    if (is(value, SQL)) return undefined;
    values[name] = value;
  }
  return values;
}

const placeholders = (names: string[]): Values =>
  Object.fromEntries(names.map((name) => [name, sql.placeholder(name)]));
const insertKey = (table: PgTable, values: Values, returning: boolean) =>
  `insert:${getTableName(table)}:${returning ? 'returning:' : ''}${Object.keys(values).join(',')}`;

/** `tx.insert(table).values(row).returning()`, its SQL built once per table and set of columns. */
export async function insertReturning<T extends PgTable>(
  tx: Tx,
  table: T,
  row: Values,
): Promise<T['$inferSelect']> {
  const values = writtenValues(table, row, 'insert');
  const [created] = values
    ? await compiledRows<T['$inferSelect']>(
        tx,
        insertKey(table, values, true),
        () =>
          tx
            .insert(table)
            .values(placeholders(Object.keys(values)) as never)
            .returning(),
        values,
      )
    : await tx
        .insert(table)
        .values(row as never)
        .returning();
  return created as T['$inferSelect'];
}

/**
 * `tx.update(table).set(set).where(where()).returning()`, its SQL built once per `key` and set of
 * columns. `where` names its values with placeholders (`bound`), given in `whereValues`; the set's
 * own placeholders are prefixed `set.`, so the two cannot clash.
 */
export async function updateReturning<T extends PgTable>(
  tx: Tx,
  table: T,
  key: string,
  set: Values,
  where: () => SQL | undefined,
  whereValues: Values,
): Promise<T['$inferSelect'][]> {
  const values = writtenValues(table, set, 'update');
  // A value that is SQL: this statement is built for this call alone.
  if (!values)
    return run(
      tx,
      shapeFrom(
        tx
          .update(table)
          .set(set as never)
          .where(where())
          .returning(),
      ),
      whereValues,
    );
  const names = Object.keys(values);
  return compiledRows<T['$inferSelect']>(
    tx,
    `update:${getTableName(table)}:${key}:${names.join(',')}`,
    () =>
      tx
        .update(table)
        .set(Object.fromEntries(names.map((n) => [n, sql.placeholder(`set.${n}`)])) as never)
        .where(where())
        .returning(),
    { ...whereValues, ...Object.fromEntries(names.map((n) => [`set.${n}`, values[n]])) },
  );
}

/** `tx.insert(table).values(row)` as `deferToCommit` takes it, its SQL built once per table and set of columns. */
export function insertStatement(
  tx: Tx,
  table: PgTable,
  row: Values,
): { toSQL(): { sql: string; params: unknown[] } } {
  const values = writtenValues(table, row, 'insert');
  if (!values) return tx.insert(table).values(row as never);
  const shape = shapeOf(insertKey(table, values, false), () =>
    tx.insert(table).values(placeholders(Object.keys(values)) as never),
  );
  return { toSQL: () => ({ sql: shape.sql, params: fill(shape, values) }) };
}
