/**
 * Keeps an embedded server answering while PGlite is busy. PGlite runs each statement to its end
 * on the main thread, synchronously, and its promises settle at once: a job that runs statement
 * after statement (a scheduling tick, a knowledge requeue) continues from one microtask to the
 * next and never hands the event loop back. Node reads sockets only between macrotasks, so every
 * request that arrives meanwhile, even one that needs no database (`/healthz`, the console's
 * files), waits for the whole job: 0.3 s after a start on the demo folder (docs/operations.md).
 *
 * `yieldingToIo` makes the instance give the event loop a turn before a statement once
 * `BUDGET_MS` have passed without one: a waiting request is read within a few
 * milliseconds and one statement. Statements still run one at a time, in order, under PGlite's
 * own lock; a transaction keeps that lock while it yields, so nothing else enters it.
 */
import type { PGlite } from '@electric-sql/pglite';

/** Continuous database work, in ms, after which the event loop gets a turn. */
export const BUDGET_MS = 5;

/**
 * Gives the event loop a turn (`setImmediate`). Sockets are read in the loop's poll phase, before
 * its `setImmediate` callbacks: a request that was waiting is read by this turn or, when the run
 * began in the poll phase itself, by the next one.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The same instance, its statements preceded by an event-loop turn once the budget is spent. */
export function yieldingToIo(pglite: PGlite): PGlite {
  // Every statement, inside a transaction or not, goes through `execProtocolStream`.
  const send = pglite.execProtocolStream.bind(pglite);
  /** When this run of statements without a turn of the event loop began. */
  let since = 0;
  /** Set by a callback that runs only once the loop has turned: the current run has ended. */
  let turned = true;
  const markTurned = () => {
    turned = true;
  };
  pglite.execProtocolStream = async (...args: Parameters<PGlite['execProtocolStream']>) => {
    if (turned) {
      // The first statement since the loop last turned: a new run begins, nothing is waiting on it.
      turned = false;
      since = performance.now();
      setImmediate(markTurned);
    } else if (performance.now() - since >= BUDGET_MS) {
      await turn();
      since = performance.now();
    }
    return send(...args);
  };
  return pglite;
}
