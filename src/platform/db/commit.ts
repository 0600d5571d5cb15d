/**
 * What a scoped transaction sends with its COMMIT, in COMMIT's round trip on a server: writes
 * deferred to the end (`deferToCommit`: an audit row, a NOTIFY) and, for a request that ends with
 * a read, that read (`commitWith`). database.ts's `scoped` runs them; this module keeps what each
 * open transaction has queued, by its handle.
 */
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';

const sqlRaw = (text: string) => sql.raw(text);

/** A transaction handle (database.ts `Tx`), as much of it as a deferred write needs. */
interface Tx {
  execute(query: SQL): Promise<unknown>;
}

/**
 * Writes a scoped transaction sends with its COMMIT (see `deferToCommit`), by transaction handle.
 * A handle is registered for the life of one `scoped` call only.
 */
const pendingByTx = new WeakMap<object, string[]>();

/**
 * A driver value (what Drizzle's `toSQL()` puts in `params`) as a quoted literal, untyped as a
 * parameter is: `'5'`, `'true'`, `'2026-01-02T03:04:05.678Z'` take their type from their context
 * as `$1` would. Undefined for a value with no literal form: an array or object (it would need
 * the column's own text form, a Postgres array literal or bytea, which this does not guess), or a
 * number that is not finite. Drizzle hands JSON columns over as strings already.
 */
function literal(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `'${value}'`;
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === 'string') return pg.escapeLiteral(value);
  return undefined;
}

/**
 * `text` with its `$n` parameters replaced by literals (see `literal`); undefined when a value
 * has no literal form. The text is the caller's (Drizzle's, or a fixed statement): a `$n` inside
 * a string or a comment in it would be replaced too.
 */
export function inlineParameters(text: string, params: readonly unknown[]): string | undefined {
  let missing = false;
  const out = text.replace(/\$(\d+)/g, (_, n: string) => {
    const lit = literal(params[Number(n) - 1]);
    if (lit === undefined) missing = true;
    return lit ?? '';
  });
  return missing ? undefined : out;
}

/**
 * A bulk statement (a batch of rows, thousands of values) gains nothing from a round trip or a
 * call fewer and loses on the literals: PostgreSQL lexes every value and the text is built and
 * copied whole (knowledge ingestion's chunk inserts were a third slower inlined). It keeps its
 * parameters.
 */
const MAX_INLINED_PARAMS = 64;

/**
 * Whether every `$n` in `text` is one of its `count` parameters, each once: then none sits inside
 * a string or a comment, where replacing it would change the text. A dollar quote (`$$`, `$tag$`)
 * makes the text unsure too.
 */
function placeholdersOnly(text: string, count: number): boolean {
  if (/\$(?!\d)/.test(text)) return false;
  const seen = new Array<number>(count).fill(0);
  for (const [, n] of text.matchAll(/\$(\d+)/g)) {
    const i = Number(n) - 1;
    if (i >= count || seen[i]! > 0) return false;
    seen[i] = 1;
  }
  return seen.every((s) => s === 1);
}

/**
 * `inlineParameters` for a statement that would otherwise go with its parameters: undefined, so
 * that it keeps them, unless it is small and each of its `$n` is a parameter (`placeholdersOnly`).
 */
export function inlineIfPlain(text: string, params: readonly unknown[]): string | undefined {
  if (params.length > MAX_INLINED_PARAMS || !placeholdersOnly(text, params.length)) return undefined;
  return inlineParameters(text, params);
}

/** Runs `fn` with `tx` taking deferred writes (`deferToCommit`); returns its result and those writes. */
export async function collectingDeferred<T>(
  tx: object,
  fn: () => Promise<T>,
  pending: string[] = [],
): Promise<[T, string[]]> {
  pendingByTx.set(tx, pending);
  try {
    return [await fn(), pending];
  } finally {
    pendingByTx.delete(tx);
  }
}

/** A driver's query config, as Drizzle hands it to node-postgres. */
export type QueryConfig = { text: string; rowMode?: 'array'; types?: pg.CustomTypesConfig };
/** Sends a scoped transaction's last read with its deferred writes and COMMIT; the read's result. */
type Closer = (read: string, config: QueryConfig) => Promise<pg.QueryResult>;
/** The closer of each scoped transaction on a server, by transaction handle (see `commitWith`). */
export const closerByTx = new WeakMap<object, Closer>();

/**
 * How `tx`'s last statement can go with COMMIT: a function that sends the read `text` (its
 * `params` inlined as literals), the deferred writes and COMMIT in one round trip, and answers
 * the read's result (with `config`'s row mode and type parsers); after it, `tx` refuses further
 * statements. Undefined when that is not possible, and the read then runs as usual: on PGlite
 * (no round trips to save), outside a transaction `scoped` opened, or for a parameter with no
 * literal form (an array).
 */
export function commitWith(
  tx: object,
  text: string,
  params: readonly unknown[],
): ((config: QueryConfig) => Promise<pg.QueryResult>) | undefined {
  const close = closerByTx.get(tx);
  if (!close) return undefined;
  const read = inlineParameters(text, params);
  return read === undefined ? undefined : (config) => close(read, config);
}

/**
 * Queues a write to run at the end of `tx`: on a server it goes with COMMIT, in COMMIT's round
 * trip; on PGlite just before it. For writes nothing later in the transaction reads back (a
 * request's audit row, a NOTIFY). An error it raises surfaces at commit and rolls the whole
 * transaction back, as if it had run in place. A query's parameters are sent as escaped
 * literals (a multi-statement text has none); the same text queued twice runs once. Outside a
 * scoped transaction it runs at once. A literal is not quite a parameter: PostgreSQL folds
 * constant expressions when it plans, even in a CASE branch that is never taken, so a statement
 * that casts a value only in some branch (pg-boss's `send`: `CAST($5 AS timestamptz)` when it
 * ends in Z) can fail inlined where it ran with parameters.
 *
 *   await deferToCommit(tx, tx.insert(auditLog).values(row));
 *   await deferToCommit(tx, 'SELECT pg_notify($1, $2)', [channel, payload]);
 */
export async function deferToCommit(
  tx: Tx,
  query: { toSQL(): { sql: string; params: unknown[] } } | string,
  values: unknown[] = [],
) {
  const { sql: text, params } = typeof query === 'string' ? { sql: query, params: values } : query.toSQL();
  const statement = inlineParameters(text, params);
  if (statement === undefined) {
    throw new TypeError(
      `deferToCommit cannot inline a parameter of ${text.slice(0, 60)}: an array, object or non-finite number`,
    );
  }
  const pending = pendingByTx.get(tx);
  if (!pending) await tx.execute(sqlRaw(statement));
  else if (!pending.includes(statement)) pending.push(statement);
}
