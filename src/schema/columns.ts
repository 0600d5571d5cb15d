/**
 * The one place where columns that every table shares are declared, so all tables look alike:
 * UUIDv7 ids made by the application, `*_at` timestamps with time zone, text enums with a CHECK.
 */
import { type SQL, sql } from 'drizzle-orm';
import { check, type PgColumn, timestamp, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

export { uuidv7 };

/** Primary id: a UUIDv7 (time-ordered, so B-tree inserts stay local) generated in the application. */
export const idColumn = () =>
  uuid('id')
    .notNull()
    .$defaultFn(() => uuidv7());

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/** Maintained by the `set_updated_at` trigger that migrations attach to every table with this column. */
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });

/**
 * Enums are `text` columns with a CHECK constraint, everywhere (one convention): they are
 * easy to extend in a migration and behave the same on PGlite, PostgreSQL and Citus.
 * @example inValues('agents_status_check', t.status, AGENT_STATUSES)
 */
export function inValues(name: string, column: PgColumn, values: readonly string[]) {
  const list = values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
  return check(name, sql`${column} in (${sql.raw(list)})`);
}

/** A CHECK that a numeric column lies within [min, max]. */
export function between(name: string, column: PgColumn, min: number, max: number) {
  return check(name, sql`${column} between ${sql.raw(String(min))} and ${sql.raw(String(max))}`);
}

export function nonNegative(name: string, column: PgColumn) {
  return check(name, sql`${column} >= 0`);
}

export const emptyJsonObject = sql`'{}'::jsonb`;
export const emptyJsonArray = sql`'[]'::jsonb`;
export const emptyTextArray: SQL = sql`'{}'::text[]`;
