import { systemClock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { guardProcess } from '../../platform/process-guard.js';
import { openRuntime } from '../../runtime.js';
import type { RunningServer } from '../../server.js';
import type { Command } from '../command.js';
import type { DemoKey } from '../first-start.js';

/** Where a start spends its time, in ms per phase (LOG_LEVEL=debug logs it; docs/operations.md). */
function phaseTimer() {
  const phases: Record<string, number> = { modules: Math.round(performance.now()) };
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - mark);
    mark = now;
  };
  return { phases, phase };
}

export const start: Command = {
  async run(_args, { config, logger }) {
    // A lost database connection outside a request is logged, not fatal (see process-guard.ts).
    let draining = false;
    const unguard = guardProcess(logger, { stopping: () => draining });
    const { phases, phase } = phaseTimer();
    // The application's modules load while PGlite starts: it waits on its WASM compiling and its
    // files for a good part of its open, time the main thread spends evaluating them instead.
    const loading = import('./serving.js');
    loading.catch(() => {}); // a failed open is the error to report; the import's is seen below
    const runtime = await openRuntime(config, { prepared: true });
    phase('openDatabase');
    let serving: typeof import('./serving.js');
    let server: RunningServer;
    let jobs: Jobs | undefined;
    let demoKeys: DemoKey[] = [];
    try {
      serving = await loading;
      phase('loadApp');
      const { createApp, createJobs, listen, readyDatabase, REQUEUE_JOB } = serving;
      // An empty embedded folder is prepared (or restored from the snapshot) and gets its own
      // demo secrets and keys; an existing database is migrated (see ../first-start.ts).
      demoKeys = await readyDatabase(runtime, config, logger);
      phase('readyDatabase');
      // A worker process also fires the recurring ticks (pg-boss cron, once per slot overall).
      jobs = createJobs({ db: runtime.db, logger, clock: systemClock, config }, { schedule: config.workers });
      const app = createApp({
        db: runtime.db,
        logger,
        bodyLimitBytes: config.bodyLimitBytes,
        config,
        jobs,
        draining: () => draining,
      });
      phase('createApp');
      await jobs.start({ work: config.workers });
      phase('jobsStart');
      if (config.workers) {
        await jobs.scheduleRecurring();
        phase('scheduleRecurring');
        // Work is queued in the transaction that records it, so nothing polls for lost jobs. Once
        // at start: what was recorded without a job (before the queue existed: the demo seed; a
        // job that failed for good; an older version) is queued now.
        await jobs.send(REQUEUE_JOB, {});
        await serving.sweepInboundEvents(app.platform);
        await serving.recoverWebhookDeliveries(app.platform);
        phase('recoveryPasses');
      }
      // Listening comes last: once the URL is printed, the start has nothing left that can fail
      // (started before its recovery passes, a database outage right after the start would end
      // the process: test/faults/database-away.faults.ts).
      server = await listen(app, config.host, config.port);
      phase('listen');
      logger.debug({ startupMs: phases }, 'start-up phases');
    } catch (error) {
      await jobs?.stop();
      await runtime.close();
      unguard();
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

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    draining = true;
    // A second signal: the operator wants out now.
    const now = (second: NodeJS.Signals) => {
      logger.warn({ signal: second }, 'second signal: exiting without finishing');
      process.exit(second === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', now);
    process.once('SIGTERM', now);
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    await shutdown({
      server,
      streams: serving.messageHub(runtime.db),
      jobs,
      runtime,
      logger,
      timeoutMs: config.shutdownTimeoutMs,
    });
    // The guard stays on until the process exits: a connection that reports its loss late
    // (after the pool closed) is a warning, not exit code 1 on a clean stop.
    logger.info('stopped');
    return 0;
  },
};

/**
 * Graceful shutdown, bounded by `timeoutMs`: stop accepting and end the live streams (visitors'
 * EventSources reconnect elsewhere), let in-flight requests finish, stop fetching jobs and let
 * running ones finish, then fail those still running so another worker retries them at once
 * (pg-boss `failWip`), and close the database. Past the deadline, open connections are cut.
 */
async function shutdown(parts: {
  server: RunningServer;
  streams: { close(): Promise<void> };
  jobs: Jobs;
  runtime: { db: Database; close(): Promise<void> };
  logger: Logger;
  timeoutMs: number;
}): Promise<void> {
  const { server, streams, jobs, runtime, logger } = parts;
  // The shutdown budget is elapsed real time (monotonic), not the Clock's business time.
  const deadline = performance.now() + parts.timeoutMs;
  const requests = server.close();
  await streams.close().catch((error) => logger.warn({ err: error }, 'closing the live streams failed'));
  const work = Promise.allSettled([
    requests,
    // Leave a second of the budget for failing the leftovers and closing.
    jobs.stop(Math.max(1000, deadline - performance.now() - 1000)),
  ]);
  let timer: NodeJS.Timeout | undefined;
  const overran = await Promise.race([
    work.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now()));
    }),
  ]);
  clearTimeout(timer);
  if (overran) {
    logger.warn({ timeoutMs: parts.timeoutMs }, 'shutdown time is up: cutting open connections');
    server.closeAllConnections();
  }
  for (const r of await Promise.race([work, Promise.resolve([])])) {
    if (r.status === 'rejected') logger.warn({ err: r.reason }, 'shutdown step failed');
  }
  await runtime.close().catch((error) => logger.warn({ err: error }, 'closing the database failed'));
}
