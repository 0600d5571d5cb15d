/**
 * Drizzle's statements on PGlite in one call each. PGlite runs a statement with parameters as six
 * calls into PostgreSQL (parse, describe, bind, describe, execute, sync), each through its WASM
 * boundary and its protocol parser, and a statement without as two (query, sync). The client
 * Drizzle gets here sends a statement whose parameters are all plain values as simple-protocol
 * SQL with the values inlined as quoted literals (`inlineParameters`): an untyped literal ('5',
 * 'abc') takes its type from its context exactly as an untyped parameter does, so the statement
 * means what it meant with parameters. Anything else goes to PGlite's `query` unchanged: a value
 * with no literal form (an array, an object, bytes), a text with a `$n` that is not one of its
 * parameters or a dollar quote (where a `$1` could sit inside a string: commit.ts
 * `inlineIfPlain`), a bulk statement (more than 64 values), query options other than the row
 * mode and parsers.
 *
 *   const db = drizzle(inliningClient(pglite));
 */
import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { inlineIfPlain } from './commit.js';

const INLINE_OPTIONS = new Set(['rowMode', 'parsers']);

type Query = (text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<unknown>>;
type Exec = (text: string, options?: QueryOptions) => Promise<Results[]>;

/** `query` that sends what it can inline through `exec` (one call), the rest through `query`. */
function inliningQuery(query: Query, exec: Exec): Query {
  return async (text, params = [], options) => {
    const plain = Object.keys(options ?? {}).every((k) => INLINE_OPTIONS.has(k));
    const inlined = plain ? inlineIfPlain(text, params) : undefined;
    if (inlined === undefined) return query(text, params, options);
    const [result] = await exec(inlined, options);
    return result as Results<unknown>;
  };
}

/** The PGlite instance as Drizzle should see it: its queries, and its transactions' queries, inlined. */
export function inliningClient(pglite: PGlite): PGlite {
  const query = inliningQuery(pglite.query.bind(pglite) as Query, pglite.exec.bind(pglite));
  const transaction = <T>(fn: (tx: Transaction) => Promise<T>) =>
    pglite.transaction((tx) =>
      fn(
        Object.assign(Object.create(tx) as Transaction, {
          query: inliningQuery(tx.query.bind(tx) as Query, tx.exec.bind(tx)),
        }),
      ),
    );
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === 'query') return query;
      if (prop === 'transaction') return transaction;
      // PGlite's getters read private fields: `this` must be the instance, not the proxy.
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
