/**
 * The pooled client Drizzle sees inside a scoped transaction on a server (database.ts `scoped`,
 * `scopedLazily`). It does two things for the transaction:
 *
 * - **A closed gate.** Once the transaction was committed with its last read (`commitWith`), a
 *   further statement is a bug: it would run outside the transaction, as the connection's own
 *   role, without the tenant's context. The gate refuses it.
 * - **An entry sent with the first statement** (`scopedLazily`). BEGIN and the setup (the
 *   statement that enters the tenant or the platform path, checking a request's credential on
 *   the way for an API key or a session) are not sent on their own:
 *   they go in front of the transaction's first statement, in its round trip, with that
 *   statement's values inlined as literals (commit.ts `inlineIfPlain`). The setup's rows are
 *   handed to `check` before the statement's result is handed back; what `check` throws is what
 *   the statement's caller gets, and the transaction is rolled back. A statement whose values have
 *   no literal form, a bulk one, or one with a `$n` that is not one of its parameters sends the
 *   entry on its own first. Every statement goes through `query`, so none can run before the
 *   entry: the tenant's context is in place for all of them.
 */
import type pg from 'pg';
import { inlineIfPlain, type QueryConfig } from './commit.js';

/** The setup's rows (an empty list when it returned none). */
export type EntryCheck = (setup: Record<string, unknown>[]) => void;

/**
 * The check of an entry that cannot be refused (entering a tenant or the platform path): such an
 * entry may go with the deferred writes and COMMIT, and a transaction that sends nothing need not
 * send it at all (server-scope.ts).
 */
export const NOTHING_TO_CHECK: EntryCheck = () => {};

/** BEGIN and the setup, not sent yet, and what must hold of the setup's rows. */
interface Entry {
  text: string;
  check: EntryCheck;
}

/** The setup's rows as objects, whatever the row mode of the statement it went with. */
function rowsOf(result: pg.QueryResult | undefined): Record<string, unknown>[] {
  if (!result) return [];
  const names = result.fields.map((f) => f.name);
  return (result.rows as unknown[]).map((row) =>
    Array.isArray(row)
      ? Object.fromEntries(names.map((n, i) => [n, row[i]]))
      : (row as Record<string, unknown>),
  );
}

export class GatedClient {
  open = true;
  /** Set when the transaction's first statement failed with the entry in front of it (see `query`). */
  failed = false;
  #entry: Entry | undefined;

  constructor(private readonly client: pg.PoolClient) {}

  /** Starts a transaction whose BEGIN and setup go with its first statement (`scopedLazily`). */
  enterLazily(setupSql: string, check: EntryCheck): void {
    this.#entry = { text: `BEGIN; ${setupSql}`, check };
  }

  /** Whether BEGIN and the setup are still to be sent. */
  get entering(): boolean {
    return this.#entry !== undefined;
  }

  /** Whether BEGIN and the setup are still to be sent and the setup's rows must be checked. */
  get checking(): boolean {
    return this.#entry !== undefined && this.#entry.check !== NOTHING_TO_CHECK;
  }

  /** Resets the gate for the next transaction on this connection. */
  reset(): void {
    this.open = true;
    this.failed = false;
    this.#entry = undefined;
  }

  /** Sends BEGIN and the setup on their own (if still to be sent), then checks the setup's rows. */
  async enter(): Promise<void> {
    const entry = this.#entry;
    if (!entry) return;
    this.#entry = undefined;
    const results = (await this.client.query(entry.text)) as unknown as pg.QueryResult[];
    entry.check(rowsOf(results[1]));
  }

  /**
   * `text` (a statement, or several ending the transaction: commitWith's read with COMMIT) with
   * BEGIN and the setup in front of it when they are still to be sent, in one round trip; the
   * statement's result (the first after the setup's, or the only one).
   */
  async send(config: QueryConfig, values: readonly unknown[] = []): Promise<pg.QueryResult> {
    const entry = this.#entry;
    // A named (prepared) statement takes one statement per text: the entry goes on its own first.
    const named = (config as { name?: string }).name !== undefined;
    // A text with no values is sent as it is: it may hold literals inlined already (commitWith's
    // read), whose `$1` inside a string is text, not a parameter.
    const inlined =
      entry && !named ? (values.length ? inlineIfPlain(config.text, values) : config.text) : undefined;
    if (!entry || inlined === undefined) {
      await this.enter();
      const result = await this.client.query(config, values as unknown[]);
      return Array.isArray(result) ? (result[0] as pg.QueryResult) : result;
    }
    this.#entry = undefined;
    let results: pg.QueryResult[];
    try {
      results = (await this.client.query({
        ...config,
        text: `${entry.text};\n${inlined}`,
      })) as unknown as pg.QueryResult[];
    } catch (error) {
      // The statement (or the setup) failed: the transaction is aborted, and what the setup
      // returned is lost with it. Find it out in a transaction of its own, so that a refused
      // credential is answered as such, not with the error its empty context caused. The
      // connection is then outside any transaction: nothing more may run on it.
      this.failed = true;
      this.open = false;
      const again = (await this.client.query(
        `ROLLBACK; ${entry.text}; ROLLBACK`,
      )) as unknown as pg.QueryResult[];
      entry.check(rowsOf(again[2]));
      throw error;
    }
    entry.check(rowsOf(results[1]));
    return results[2]!;
  }

  /** node-postgres's `query(config | text, values)`, as Drizzle and `rawQuery` call it. */
  query(...args: unknown[]): unknown {
    if (!this.open) {
      throw new Error(
        this.failed
          ? 'current transaction is aborted: its first statement failed'
          : 'this transaction was committed with its last read (commitWith): no statement may follow',
      );
    }
    if (!this.#entry) return (this.client.query as (...a: unknown[]) => unknown)(...args);
    const [first, values] = args as [string | QueryConfig, unknown[] | undefined];
    const config = typeof first === 'string' ? { text: first } : first;
    return this.send(config, values ?? []);
  }
}
