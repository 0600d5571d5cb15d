import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { uncaughtHandler } from './process-guard.js';

const logger = createLogger('silent');

/** The exit codes the guard asked for, for each error. */
function verdicts(stopping: boolean, errors: unknown[]): (number | 'kept serving')[] {
  return errors.map((error) => {
    let code: number | undefined;
    uncaughtHandler(logger, { exit: (c) => (code = c), stopping: () => stopping })(
      error,
      'unhandledRejection',
    );
    return code ?? 'kept serving';
  });
}

const lost = Object.assign(new Error('terminating connection due to administrator command'), {
  code: '57P01',
});
const poolEnded = new Error('Cannot use a pool after calling end on the pool');
const pgliteClosed = new Error('PGlite is closed');
const bug = new TypeError("Cannot read properties of undefined (reading 'id')");

describe('the process guard', () => {
  it('while serving: a lost connection is a warning; anything else, a closed pool too, exits 1', () => {
    expect(verdicts(false, [lost, poolEnded, pgliteClosed, bug])).toEqual(['kept serving', 1, 1, 1]);
  });

  it('while stopping: work that meets the closed database is a warning; a bug still exits 1', () => {
    expect(verdicts(true, [lost, poolEnded, pgliteClosed, bug])).toEqual([
      'kept serving',
      'kept serving',
      'kept serving',
      1,
    ]);
  });
});
