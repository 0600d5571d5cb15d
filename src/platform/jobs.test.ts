import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../test/helpers/db.js';
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

  it('refuses a job nobody defined', async () => {
    const jobs = newJobs();
    await expect(jobs.send('nope', {})).rejects.toThrow(/no job named nope/);
  });
});
