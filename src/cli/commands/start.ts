import { createApp } from '../../app.js';
import { startInboundSweeper } from '../../domains/channels/inbound.js';
import { seedDemoIfEmpty } from '../../domains/demo/index.js';
import { createApiKey } from '../../domains/identity/api-keys.js';
import { REQUEUE_JOB } from '../../domains/knowledge/jobs.js';
import { startWebhookDispatcher } from '../../domains/ops/webhook-delivery.js';
import { tenantBySlug } from '../../domains/tenancy/lookup.js';
import { createJobs } from '../../jobs.js';
import { systemClock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Jobs } from '../../platform/jobs.js';
import { openRuntime } from '../../runtime.js';
import { listen, type RunningServer } from '../../server.js';
import type { Command } from '../command.js';

export const start: Command = {
  async run(_args, { config, logger }) {
    const runtime = await openRuntime(config);
    let server: RunningServer;
    let jobs: Jobs | undefined;
    let stopSweeper: (() => void) | undefined;
    let stopDispatcher: (() => void) | undefined;
    let demoKeys: { slug: string; key: string }[] = [];
    try {
      const applied = await migrate(runtime.db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
      // A fresh embedded data folder starts with the demo tenants, so there is something to try.
      const demo = runtime.db.engine === 'pglite' ? await seedDemoIfEmpty(runtime.db) : null;
      if (demo) {
        logger.info({ tenants: demo.tenants.map((t) => t.slug) }, 'demo data seeded (empty database)');
        demoKeys = await createDemoKeys(
          runtime.db,
          demo.tenants.filter((t) => t.status === 'created').map((t) => t.slug),
        );
      }
      // A worker process also fires the recurring ticks (pg-boss cron, once per slot overall).
      jobs = createJobs({ db: runtime.db, logger, clock: systemClock, config }, { schedule: config.workers });
      const app = createApp({ db: runtime.db, logger, bodyLimitBytes: config.bodyLimitBytes, config, jobs });
      await jobs.start({ work: config.workers });
      // Re-enqueues inbound provider events whose job was lost (accepted, then the process died).
      if (config.workers) stopSweeper = startInboundSweeper(app.platform);
      if (config.workers) {
        await jobs.scheduleRecurring();
        // Sources left queued without a job (a crash, or the demo seed) start ingesting now.
        await jobs.send(REQUEUE_JOB, {});
      }
      // Webhook events are recorded inside other transactions; this turns them into delivery jobs.
      if (config.workers) stopDispatcher = startWebhookDispatcher(app.platform);
      server = await listen(app, config.host, config.port);
    } catch (error) {
      stopSweeper?.();
      await jobs?.stop();
      await runtime.close();
      throw error;
    }
    logger.info({ url: server.url, engine: runtime.db.engine }, 'frontdesk listening');
    process.stdout.write(
      `Frontdesk is running at ${server.url} (engine: ${runtime.db.engine})\n` +
        `  API reference: ${server.url}/docs · OpenAPI: ${server.url}/openapi.json\n`,
    );
    if (demoKeys.length) {
      process.stdout.write('  Demo tenants were loaded. One owner API key each, shown only now:\n');
      for (const k of demoKeys) process.stdout.write(`    ${k.slug.padEnd(20)} ${k.key}\n`);
    }

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    stopDispatcher?.();
    stopSweeper?.();
    await server.close();
    await jobs.stop();
    await runtime.close();
    logger.info('stopped');
    return 0;
  },
};

/** One owner key per freshly seeded demo tenant, so the quick start can call the API at once. */
async function createDemoKeys(db: Database, slugs: string[]): Promise<{ slug: string; key: string }[]> {
  const keys: { slug: string; key: string }[] = [];
  for (const slug of slugs) {
    const tenant = await tenantBySlug(db, slug);
    if (!tenant) continue;
    const { key } = await withTenant(db, tenant.id, (tx) =>
      createApiKey(tx, tenant.id, { name: 'Demo key (printed at first start)', role: 'owner' }),
    );
    keys.push({ slug, key });
  }
  return keys;
}
