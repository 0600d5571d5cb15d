import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { onServer, useTestDatabase } from '../../test/helpers/db.js';
import { signal } from '../../test/helpers/signal.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { defineJob, Jobs } from './jobs.js';
import { createLogger } from './logger.js';

const t = useTestDatabase();
const newJobs = () =>
  new Jobs({ db: t.db, logger: createLogger('silent'), clock: systemClock, config: loadConfig({}) });

describe('jobs on the Postgres-backed queue', () => {
  it('runs sent jobs through drain, retries failures and runs them in workers', async () => {
    const seen: string[] = [];
    let failuresLeft = 1;
    const jobs = newJobs();
    jobs.define(
      defineJob<{ word: string }>({
        name: 'test-echo',
        handle: async ({ word }) => {
          seen.push(word);
        },
      }),
      defineJob<{ word: string }>({
        name: 'test-flaky',
        retryDelay: 1,
        retryBackoff: false,
        handle: async ({ word }) => {
          if (failuresLeft-- > 0) throw new Error('first attempt fails');
          seen.push(word);
        },
      }),
    );
    try {
      await jobs.send('test-echo', { word: 'a' });
      await jobs.send('test-echo', { word: 'b' });
      expect(await jobs.drain()).toBe(2);
      expect(seen).toEqual(['a', 'b']);

      await jobs.send('test-flaky', { word: 'c' });
      expect(await jobs.drain()).toBe(1);
      expect(seen).toEqual(['a', 'b']);
      expect(await jobs.counts('test-flaky')).toEqual({ retry: 1 });

      await jobs.start({ work: true });
      await vi.waitFor(() => expect(seen).toEqual(['a', 'b', 'c']), { timeout: 15_000, interval: 100 });
      await jobs.send('test-echo', { word: 'd' });
      await vi.waitFor(() => expect(seen).toContain('d'), { timeout: 15_000, interval: 100 });
      // (the handler has run; pg-boss marks the job completed just after it returns)
      await vi.waitFor(async () => expect(await jobs.counts('test-echo')).toEqual({ completed: 3 }), {
        timeout: 15_000,
        interval: 100,
      });
    } finally {
      await jobs.stop();
    }
  });

  it('starts workers for the named queues only, and the others on a later call', async () => {
    const seen: string[] = [];
    const jobs = newJobs();
    jobs.define(
      defineJob<{ word: string }>({ name: 'test-first', handle: async ({ word }) => void seen.push(word) }),
      defineJob<{ word: string }>({ name: 'test-later', handle: async ({ word }) => void seen.push(word) }),
    );
    try {
      await jobs.start({ work: true, queues: ['test-first'] });
      await jobs.send('test-later', { word: 'later' });
      await jobs.send('test-first', { word: 'first' });
      await vi.waitFor(async () => expect(await jobs.counts('test-first')).toEqual({ completed: 1 }), {
        timeout: 15_000,
        interval: 100,
      });
      // The first queue's job ran; the other queue's, sent before it, still waits for a worker.
      expect(seen).toEqual(['first']);
      expect(await jobs.counts('test-later')).toEqual({ created: 1 });
      await jobs.start({ work: true });
      await vi.waitFor(() => expect(seen).toEqual(['first', 'later']), { timeout: 15_000, interval: 100 });
    } finally {
      await jobs.stop();
    }
  });

  // pg-boss records a job's outcome without awaiting it: its worker calls `complete` and moves
  // on, so pg-boss's own stop can return while that statement still runs. `frontdesk start` closes
  // the database right after `stop`: the statement then failed on a closed pool, an unhandled
  // rejection, and a clean SIGTERM exited 1 (seen in CI's fault lane). A second connection holds
  // the job's row, so the completion waits for as long as the test needs.
  it.skipIf(!onServer())('stop returns only once the outcome of a finished job is recorded', async () => {
    const gate = signal();
    const running = signal();
    const jobs = newJobs();
    jobs.define(
      defineJob<Record<string, never>>({
        name: 'test-gated',
        handle: async () => {
          running.fire();
          await gate.done;
        },
      }),
    );
    const locker = new pg.Client({ connectionString: t.url });
    await locker.connect();
    try {
      await jobs.start({ work: true });
      const id = await jobs.send('test-gated', {});
      await running.done;
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM pgboss.job WHERE id = $1 FOR UPDATE', [id]);
      gate.fire();
      // The handler returned; pg-boss's completion now waits for the row.
      await vi.waitFor(
        async () => {
          const [row] = await t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%completed_on%'`,
          );
          expect(row!.n).toBe(1);
        },
        { timeout: 15_000, interval: 50 },
      );
      let stopped = false;
      const stopping = jobs.stop().then(() => {
        stopped = true;
      });
      // pg-boss's own stop returns within half a second of the handler's end; ours must not.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(stopped).toBe(false);
      await locker.query('COMMIT');
      await stopping;
      expect(await jobs.counts('test-gated')).toEqual({ completed: 1 });
    } finally {
      await locker.end();
      await jobs.stop();
    }
  });

  it('lets the process handle its I/O while a worker works off a backlog', async () => {
    // On PGlite a query never waits for I/O: a worker fetching, running and completing job after
    // job kept the event loop to itself until the backlog was gone (13 s without one HTTP
    // request read, seen in the inbound bench). A timer stands for any I/O (a request arriving):
    // it must fire while most of the backlog is still queued. (On the server every query is I/O.)
    const BACKLOG = 80;
    let ran = 0;
    const jobs = newJobs();
    jobs.define(
      defineJob<{ n: number }>({
        name: 'test-backlog',
        batchSize: 5,
        handle: async () => {
          await t.db.query('SELECT 1');
          ran++;
        },
      }),
    );
    try {
      for (let n = 0; n < BACKLOG; n++) await jobs.send('test-backlog', { n });
      await jobs.start({ work: true });
      const ranWhenTheTimerFired = await new Promise<number>((resolve) => setTimeout(() => resolve(ran), 1));
      expect(ranWhenTheTimerFired).toBeLessThan(BACKLOG / 2);
      await vi.waitFor(() => expect(ran).toBe(BACKLOG), { timeout: 30_000, interval: 50 });
    } finally {
      await jobs.stop();
    }
  });

  it('refuses a job nobody defined', async () => {
    const jobs = newJobs();
    await expect(jobs.send('nope', {})).rejects.toThrow(/no job named nope/);
  });
});
