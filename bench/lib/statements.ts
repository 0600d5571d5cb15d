/**
 * Records the SQL a database handle sends (node-postgres clients, or the PGlite instance and its
 * transactions), for the trace scripts: `during(fn)` returns the statements sent while `fn` ran;
 * `timed(fn)` the time spent in each kind of statement (its first 40 characters) while `fn` ran,
 * where the driver's call returns a promise (PGlite's; node-postgres' pool passes a callback).
 */
import pg from 'pg';
import type { Database } from '../../src/platform/db/database.js';

export function recordStatements(db: Database) {
  let log: string[] | undefined;
  let timing: Map<string, number> | undefined;
  const textOf = (q: unknown) => (typeof q === 'string' ? q : ((q as { text?: string })?.text ?? String(q)));
  const record = (q: unknown) => {
    log?.push(textOf(q));
  };
  /** Times a driver call that returns a promise, under its statement's first 40 characters. */
  const time = (q: unknown, result: unknown) => {
    if (!timing || !(result instanceof Promise)) return result;
    const spent = timing;
    const key = textOf(q).replace(/\s+/g, ' ').slice(0, 40);
    const t0 = performance.now();
    return result.finally(() => spent.set(key, (spent.get(key) ?? 0) + performance.now() - t0));
  };
  const wrap = (o: Record<string, unknown>) => {
    for (const m of ['query', 'exec']) {
      const original = o[m] as (...a: unknown[]) => unknown;
      o[m] = function (this: unknown, ...a: unknown[]) {
        record(a[0]);
        return time(a[0], original.apply(this, a));
      };
    }
  };
  if (db.pglite) {
    const instance = db.pglite as unknown as Record<string, unknown>;
    wrap(instance);
    const transaction = instance.transaction as (fn: (tx: unknown) => unknown) => unknown;
    instance.transaction = (fn: (tx: Record<string, unknown>) => unknown) =>
      transaction.call(instance, (tx: unknown) => {
        record('BEGIN');
        wrap(tx as Record<string, unknown>);
        return fn(tx as Record<string, unknown>);
      });
  } else {
    const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
      record(a[0]);
      return time(a[0], query.apply(this, a));
    } as never;
  }
  return {
    async during(fn: () => Promise<unknown>): Promise<string[]> {
      log = [];
      try {
        await fn();
        return log;
      } finally {
        log = undefined;
      }
    },
    async timed(fn: () => Promise<unknown>): Promise<Map<string, number>> {
      timing = new Map();
      try {
        await fn();
        return timing;
      } finally {
        timing = undefined;
      }
    },
  };
}

/** Statements counted by their first `width` characters, most frequent first. */
export function tally(statements: string[], width = 110): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const s of statements) {
    const k = s.replace(/\s+/g, ' ').trim().slice(0, width);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}
