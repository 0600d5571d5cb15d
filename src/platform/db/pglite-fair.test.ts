import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET_MS, yieldingToIo } from './pglite-fair.js';

let plain: PGlite;
let fair: PGlite;
beforeAll(async () => {
  [plain, fair] = await Promise.all([PGlite.create(), PGlite.create().then(yieldingToIo)]);
});
afterAll(async () => {
  await Promise.all([plain.close(), fair.close()]);
});

/** Statements one after the other, each awaited, until `ms` have passed: what a job does. */
async function runFor(db: PGlite, ms: number, onEach: () => void = () => {}): Promise<number> {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    await db.query('SELECT $1::int AS n', [count]);
    count++;
    onEach();
  }
  return count;
}

describe('an embedded database gives the event loop turns (yieldingToIo)', () => {
  it('lets a timer (a waiting request) run in the middle of a long run of statements', async () => {
    let done = 0;
    let firedAfter: number | undefined;
    setTimeout(() => {
      firedAfter = done;
    }, 0);
    // Statements until the timer has fired, or 2 s: without the turns it would not fire at all
    // (next test). How many turns that takes depends on where the run began in the event loop's
    // cycle and on how long its first, cold, statements took.
    const start = performance.now();
    while (firedAfter === undefined && performance.now() - start < 2000) {
      await fair.query('SELECT $1::int AS n', [done]);
      done++;
    }
    expect(firedAfter).toBeDefined();
    expect(firedAfter).toBeGreaterThan(0);
  });

  it('without it, the same run keeps the event loop until its end', async () => {
    let firedAfter: number | undefined;
    let done = 0;
    setTimeout(() => {
      firedAfter = done;
    }, 0);
    const total = await runFor(plain, BUDGET_MS * 8, () => done++);
    // What the shim is for: PGlite's promises settle at once, so the timer waits for the whole run.
    expect(firedAfter).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(firedAfter).toBe(total);
  });

  it('keeps a transaction whole: a statement from outside waits for its end, across its turns', async () => {
    await fair.exec('CREATE TABLE t (n int)');
    let inserted = 0;
    let insertedWhenSent: number | undefined;
    let outside: Promise<number> | undefined;
    // Sent from a timer, that is during one of the transaction's turns.
    setTimeout(() => {
      insertedWhenSent = inserted;
      outside = fair.query<{ c: number }>('SELECT count(*)::int AS c FROM t').then((r) => r.rows[0]!.c);
    }, 0);
    await fair.transaction(async (tx) => {
      const start = performance.now();
      let afterSent = 0;
      while (afterSent < 20 && performance.now() - start < 2000) {
        await tx.query('INSERT INTO t VALUES ($1)', [inserted]);
        inserted++;
        if (outside) afterSent++;
      }
    });
    expect(insertedWhenSent).toBeGreaterThan(0);
    expect(insertedWhenSent).toBeLessThan(inserted);
    // Answered after the commit, with every row: it did not run inside the open transaction.
    expect(await outside).toBe(inserted);
  });

  it('answers what PGlite answers, errors included', async () => {
    expect((await fair.query<{ n: number }>('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
    await expect(fair.query('SELECT * FROM missing')).rejects.toThrow(/missing/);
    expect((await fair.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });
});
