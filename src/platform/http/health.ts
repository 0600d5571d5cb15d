import type { Hono } from 'hono';
import type { Database } from '../db/database.js';
import { migrationStatus } from '../db/migrate.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../db/unavailable.js';
import type { AppEnv } from './context.js';
import { problem } from './problem.js';

const RETRY = { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) };

/**
 * `/healthz`: the process is up. `/readyz`: the database answers and its migrations are current,
 * and the process is not shutting down (`draining`); otherwise 503 with Retry-After, so a load
 * balancer routes elsewhere. It asks the database each time: it recovers as soon as the database does.
 */
export function registerHealth(app: Hono<AppEnv>, db: Database, draining: () => boolean = () => false): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (draining()) return problem(c, 'not_ready', 'shutting down', {}, RETRY);
    try {
      const status = await migrationStatus(db);
      if (!status.current) {
        return problem(c, 'not_ready', `migrations pending: ${status.pending.join(', ')}`, {}, RETRY);
      }
      return c.json({ status: 'ready', engine: db.engine, migrations: status.applied.length });
    } catch (error) {
      c.get('log').warn({ err: error }, 'readiness check failed');
      return problem(c, 'not_ready', 'database unreachable', {}, RETRY);
    }
  });
}
