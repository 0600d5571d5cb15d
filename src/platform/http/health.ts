import type { Hono } from 'hono';
import type { Database } from '../db/database.js';
import { migrationStatus } from '../db/migrate.js';
import type { AppEnv } from './context.js';
import { problem } from './problem.js';

/** `/healthz`: the process is up. `/readyz`: the database answers and its migrations are current. */
export function registerHealth(app: Hono<AppEnv>, db: Database): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      const status = await migrationStatus(db);
      if (!status.current) {
        return problem(c, 'not_ready', `migrations pending: ${status.pending.join(', ')}`);
      }
      return c.json({ status: 'ready', engine: db.engine, migrations: status.applied.length });
    } catch (error) {
      c.get('log').warn({ err: error }, 'readiness check failed');
      return problem(c, 'not_ready', 'database unreachable');
    }
  });
}
