import type { Hono } from 'hono';
import type { Database } from '../db/database.js';
import { migrationStatus } from '../db/migrate.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../db/unavailable.js';
import type { AppEnv } from './context.js';
import { problem } from './problem.js';

const RETRY = { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) };

/**
 * How long /readyz waits for the database before answering 503. A connection that is open but
 * gets no answer (behind pgbouncer, a query queues while pgbouncer cannot reach the server) would
 * otherwise hold the check past any load balancer's probe timeout.
 */
export const READY_TIMEOUT_MS = 5_000;

class NoAnswer extends Error {}

/**
 * `/healthz`: the process is up. `/readyz`: the database answers and its migrations are current,
 * and the process is not shutting down (`draining`); otherwise 503 with Retry-After, so a load
 * balancer routes elsewhere. It asks the database each time (waiting at most READY_TIMEOUT_MS): it
 * recovers as soon as the database does.
 */
export function registerHealth(app: Hono<AppEnv>, db: Database, draining: () => boolean = () => false): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (draining()) return problem(c, 'not_ready', 'shutting down', {}, RETRY);
    let timer: NodeJS.Timeout | undefined;
    try {
      const status = await Promise.race([
        migrationStatus(db),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new NoAnswer()), READY_TIMEOUT_MS);
        }),
      ]);
      if (!status.current) {
        return problem(c, 'not_ready', `migrations pending: ${status.pending.join(', ')}`, {}, RETRY);
      }
      return c.json({ status: 'ready', engine: db.engine, migrations: status.applied.length });
    } catch (error) {
      if (error instanceof NoAnswer) {
        c.get('log').warn(`readiness check: no answer from the database within ${READY_TIMEOUT_MS} ms`);
        return problem(
          c,
          'not_ready',
          `the database did not answer within ${READY_TIMEOUT_MS} ms`,
          {},
          RETRY,
        );
      }
      c.get('log').warn({ err: error }, 'readiness check failed');
      return problem(c, 'not_ready', 'database unreachable', {}, RETRY);
    } finally {
      clearTimeout(timer);
    }
  });
}
