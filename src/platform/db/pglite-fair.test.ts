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
    const total = await runFor(fair, BUDGET_MS * 8, () => done++);
    expect(firedAfter).toBeDefined();
    expect(firedAfter).toBeLessThan(total);
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
    const writing = fair.transaction(async (tx) => {
      const start = performance.now();
      while (performance.now() - start < BUDGET_MS * 8) {
        await tx.query('INSERT INTO t VALUES ($1)', [inserted]);
        inserted++;
      }
    });
    // Sent from a timer, that is during one of the transaction's turns.
    const seen = await new Promise<number>((resolve, reject) =>
      setTimeout(() => {
        fair
          .query<{ c: number }>('SELECT count(*)::int AS c FROM t')
          .then((r) => resolve(r.rows[0]!.c), reject);
      }, 0),
    );
    await writing;
    expect(inserted).toBeGreaterThan(1);
    expect(seen).toBe(inserted);
  });

  it('answers what PGlite answers, errors included', async () => {
    expect((await fair.query<{ n: number }>('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
    await expect(fair.query('SELECT * FROM missing')).rejects.toThrow(/missing/);
    expect((await fair.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });
});
