/**
 * A scoped transaction on a server's pooled connection (database.ts `scoped`, `scopedLazily`):
 * BEGIN and the setup in one round trip, or in front of the first statement (gate.ts); the
 * deferred writes and COMMIT in one round trip, or with the last read (commit.ts `commitWith`).
 */
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { closerByTx, collectingDeferred } from './commit.js';
import { type EntryCheck, GatedClient } from './gate.js';

/** Drizzle on one connection (database.ts `Db`; not imported from there, which imports this). */
type Db = PgDatabase<PgQueryResultHKT>;

/**
 * One Drizzle instance per pooled connection, made once. Drizzle gets no schema: Frontdesk uses the
 * query builder, not the relational `db.query` API, so the platform layer needs no domain's tables.
 */
const drizzleByClient = new WeakMap<pg.PoolClient, { db: Db; gate: GatedClient }>();
function drizzleFor(client: pg.PoolClient): { db: Db; gate: GatedClient } {
  let made = drizzleByClient.get(client);
  if (!made) {
    const gate = new GatedClient(client);
    made = { db: drizzleNodePg(gate as unknown as pg.PoolClient) as unknown as Db, gate };
    drizzleByClient.set(client, made);
  }
  return made;
}

/**
 * A scoped transaction on a pooled connection: BEGIN and the setup in one round trip (or, with
 * `lazy`, in front of the first statement: gate.ts), `fn`, then the deferred writes and COMMIT in
 * one round trip, or with the last read (`commitWith`).
 */
export async function scopedOn<T>(
  pool: pg.Pool,
  setupSql: string,
  lazy: EntryCheck | undefined,
  fn: (tx: Db, setup: Record<string, unknown>[]) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const { db: tx, gate } = drizzleFor(client);
  gate.reset();
  let broken = false;
  try {
    let setup: Record<string, unknown>[] = [];
    if (lazy) gate.enterLazily(setupSql, lazy);
    else {
      // Two statements, two results: BEGIN's, then the setup's.
      const results = (await client.query(`BEGIN; ${setupSql}`)) as unknown as pg.QueryResult[];
      setup = results[1]?.rows ?? [];
    }
    const pending: string[] = [];
    let committed = false;
    closerByTx.set(tx, async (read, config) => {
      // With writes deferred before it, an entry to check goes first: they must not commit
      // unchecked. One with nothing to check goes in front of them.
      if (pending.length && gate.checking) await gate.enter();
      // The read, the deferred writes and COMMIT in one round trip (BEGIN and the setup in front
      // of them if not sent yet); if one fails, nothing after it runs.
      const readResult = await gate.send({ ...config, text: [read, ...pending, 'COMMIT'].join(';\n') });
      committed = true;
      gate.open = false;
      pending.length = 0;
      return readResult;
    });
    const [result] = await collectingDeferred(tx, () => fn(tx, setup), pending);
    if (gate.entering && !pending.length) {
      // A transaction with no statement yet still checks its entry (and sends nothing else); one
      // with nothing to check sends nothing at all.
      if (gate.checking) await gate.send({ text: 'COMMIT' });
    } else if (gate.failed) {
      if (pending.length) throw new Error('a write was deferred in a transaction that failed');
    } else if (!committed) {
      // The deferred writes and COMMIT in one round trip (BEGIN and a setup with nothing to
      // check in front of them); if one fails, nothing after it runs.
      const text = [...pending, 'COMMIT'].join(';\n');
      if (gate.entering && !gate.checking) await gate.send({ text });
      else {
        await gate.enter();
        await client.query(text);
      }
    } else if (pending.length) throw new Error('a write was deferred after the transaction committed');
    return result;
  } catch (error) {
    // An entry with nothing to check that was never sent: nothing began, nothing to roll back.
    if (gate.entering && !gate.checking) throw error;
    // A credential the entry refuses is the answer, whatever `fn` failed with before sending anything.
    const refusal = gate.entering
      ? await gate.enter().then(
          () => undefined,
          (e: unknown) => e,
        )
      : undefined;
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw refusal ?? error;
  } finally {
    closerByTx.delete(tx);
    gate.reset();
    client.release(broken || undefined);
  }
}
