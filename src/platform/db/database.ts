/**
 * One way to open the database: embedded PGlite (with pgvector) in a data folder, or a
 * PostgreSQL server through node-postgres. Both are wrapped in the same `Database` handle,
 * with Drizzle on top, so the rest of Frontdesk never asks which engine it runs on.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { collectingDeferred } from './commit.js';
import type { EntryCheck } from './gate.js';
import { yieldingToIo } from './pglite-fair.js';
import { inliningClient } from './pglite-inline.js';
import { parseArraysAsServer } from './pglite-types.js';
import { scopedOn } from './server-scope.js';

/** The extensions every embedded database loads (migrations create them): pgvector, pg_trgm, btree_gin. */
export const PGLITE_EXTENSIONS = { vector, pg_trgm, btree_gin };

export type Engine = 'pglite' | 'postgres';
/** Drizzle over either engine. */
export type Db = PgDatabase<PgQueryResultHKT>;
/**
 * Drizzle inside one scoped transaction (what `withTenant`/`withPlatform` hand to services).
 * No `transaction()`: the scope is the transaction; to undo, throw.
 */
export type Tx = Omit<Db, 'transaction' | 'batch' | '$client'>;

/**
 * A Postgres array parameter sent as one JSON value (drizzle would spread a JS array into a
 * list of parameters): `ARRAY(SELECT jsonb_array_elements_text($1::jsonb))`, each element cast to
 * `type` inside the array. An element cast keeps `col = ANY(…)` leakproof under RLS, where a cast
 * of the whole array (`text[]::uuid[]`) is not and keeps it out of an index condition.
 */
export function jsonArray(values: ReadonlyArray<string | number>, type?: 'uuid' | 'float8'): SQL {
  const cast = type ? sql.raw(`::${type}`) : sql``;
  return sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)${cast})`;
}

/**
 * A PostgreSQL array literal of text (`{"Billing","Refunds"}`), sent as one parameter and cast
 * (`$1::uuid[]`, `$1::text[]`): the same on both drivers, and a value `deferToCommit` can inline.
 */
export const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/** Rows of a raw `sql` query run through Drizzle, on either engine. */
export async function rows<T>(tx: Pick<Tx, 'execute'>, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Runs parameterised SQL text on the connection of a scoped transaction (inside its tenant
 * context, like every other statement of `tx`). For the rare statement whose thousands of
 * parameters cost more to assemble through Drizzle's `sql` than to execute (bulk inserts).
 */
export async function rawQuery<T>(tx: Tx, text: string, params: unknown[]): Promise<T[]> {
  // Both drivers' sessions hold the transaction's own client: a PoolClient inside BEGIN, or
  // PGlite's transaction handle. Each answers `query(text, params)` with `{ rows }`.
  const { client } = (tx as unknown as { session: { client: RawClient } }).session;
  return (await client.query<T>(text, params)).rows;
}
interface PGliteTx {
  exec(sqlText: string): Promise<unknown>;
}
interface RawClient {
  query<T>(text: string, params: unknown[]): Promise<{ rows: T[] }>;
}

export { commitWith, deferToCommit } from './commit.js';

export interface Database {
  readonly engine: Engine;
  /** Drizzle, connected as the migration owner. Use `withTenant`/`withPlatform`, not this, for data. */
  readonly drizzle: Db;
  /** Runs SQL text that may hold several statements and no parameters (migrations, scripts). */
  exec(sqlText: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<T[]>;
  /** Runs `fn` on one connection inside BEGIN … COMMIT (ROLLBACK when it throws). Raw SQL only. */
  transaction<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with Drizzle in one transaction that starts with `setupSql` (parameterless, e.g.
   * the role and tenant settings). On a server, BEGIN and the setup go in one round trip.
   * `fn` also gets the rows the setup statement returned (e.g. the API key it authenticated).
   */
  scoped<T>(setupSql: string, fn: (tx: Tx, setup: Record<string, unknown>[]) => Promise<T>): Promise<T>;
  /**
   * `scoped`, with BEGIN and the setup sent in front of the transaction's first statement, in its
   * round trip, instead of on their own (on a server: gate.ts). `check` gets the setup's rows
   * before that statement's result is handed back, or at the end if `fn` sent none; what it
   * throws rolls the transaction back. For a request that does nothing outside the database
   * before its first statement (its credential is only known good once `check` passed), and for
   * `withTenant` and `withPlatform`, which have nothing to check. On PGlite, `check` runs first.
   */
  scopedLazily<T>(setupSql: string, check: EntryCheck, fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The PGlite instance when embedded (for pg-boss's adapter and data-dir dumps), else undefined. */
  readonly pglite?: PGlite;
  /** The node-postgres pool when on a server, else undefined. */
  readonly pool?: pg.Pool;
}

/** Raw SQL on one connection. */
export interface SqlConnection {
  exec(sqlText: string): Promise<void>;
  query<T extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<T[]>;
}

export type OpenOptions =
  | { engine: 'pglite'; dataDir?: string; pglite?: PGlite }
  | { engine: 'postgres'; url: string; poolSize?: number };

/** Opens the database; the caller owns the handle and must `close()` it. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.engine === 'pglite' ? openPglite(options) : openPostgres(options.url, options.poolSize);
}

async function openPglite(options: { dataDir?: string; pglite?: PGlite }): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Requests are read between long runs of statements (a job's), not only after them.
  const client = yieldingToIo(
    options.pglite ?? (await PGlite.create({ dataDir: options.dataDir, extensions: PGLITE_EXTENSIONS })),
  );
  await parseArraysAsServer(client);
  // Drizzle's statements go to PostgreSQL in one call each where their values allow (pglite-inline.ts).
  const db = drizzlePglite(inliningClient(client)) as unknown as Db;
  const handle: Database = {
    engine: 'pglite',
    drizzle: db,
    pglite: client,
    async exec(sqlText) {
      await client.exec(sqlText);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query<T>(text, params)).rows;
    },
    transaction(fn) {
      return client.transaction((tx) =>
        fn({
          exec: async (text) => {
            await tx.exec(text);
          },
          query: async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows,
        }),
      );
    },
    scopedLazily(setupSql, check, fn) {
      return handle.scoped(setupSql, (tx, setup) => {
        check(setup);
        return fn(tx);
      });
    },
    scoped(setupSql, fn) {
      return db.transaction(async (tx) => {
        // The transaction's own handle: `exec` sends simple-protocol SQL, one call into PostgreSQL
        // (a statement with parameters takes six: parse, describe, bind, describe, execute, sync).
        const own = (tx as unknown as { session: { client: PGliteTx } }).session.client;
        const [setup] = (await own.exec(setupSql)) as { rows: Record<string, unknown>[] }[];
        const [result, pending] = await collectingDeferred(tx, () => fn(tx, setup?.rows ?? []));
        // One call for every deferred write (`exec` takes several statements).
        if (pending.length) await own.exec(pending.join(';\n'));
        return result;
      });
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
  return handle;
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // A connection the server drops (restart, pg_terminate_backend, a proxy cut) emits 'error' on
  // its client. The pool listens only while the client is idle in the pool; a client checked out
  // (between two queries of a transaction, or the LISTEN connection) has no listener, and an
  // 'error' without one kills the process. So every client gets one for its whole life: the
  // error itself reaches the caller through its next query, and the client is then discarded.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  const db = drizzleNodePg(pool) as unknown as Db;
  return {
    engine: 'postgres',
    drizzle: db,
    pool,
    async exec(sqlText) {
      await pool.query(sqlText);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      let failed = false;
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (text) => {
            await client.query(text);
          },
          query: async <T>(text: string, params: unknown[] = []) =>
            (await client.query(text, params)).rows as T[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failed = true;
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release(failed ? true : undefined);
      }
    },
    scoped(setupSql, fn) {
      return scopedOn(pool, setupSql, undefined, fn);
    },
    scopedLazily(setupSql, check, fn) {
      return scopedOn(pool, setupSql, check, (tx) => fn(tx));
    },
    async close() {
      await pool.end();
    },
  };
}
