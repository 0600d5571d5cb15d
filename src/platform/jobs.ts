/**
 * Background jobs on the Postgres-backed queue (pg-boss 10), on both engines.
 *
 * - On a server, pg-boss shares Frontdesk's node-postgres pool.
 * - On PGlite, it goes through the embedded instance: parameterless SQL (pg-boss sends
 *   multi-statement scripts such as its schema install) through `exec`, the rest through `query`.
 *
 * Domains declare jobs with `defineJob` and register them on the one `Jobs` of the process.
 * `start({ work: true })` runs them (the server); `start()` alone only sends (CLI, tests).
 *
 * Jobs are queued in the transaction of the row they are about (`sendIn`, `enqueueIn`): pg-boss's
 * own INSERT runs on that transaction's connection, sent with its COMMIT (`deferToCommit`: no
 * round trip of its own), so the job exists if and only if the row commits, and a crash between
 * the two cannot happen. The same transaction sends
 * `NOTIFY frontdesk_jobs, '<queue>'` (with its COMMIT too), delivered on commit: a working process LISTENs and wakes
 * that queue's workers at once instead of waiting for their next poll (the poll stays, slower,
 * for delayed jobs and a lost notification). A worker whose batch came back full fetches again
 * at once. `drain()` fetches and runs every job that is due until none is left: tests and
 * `frontdesk kb ingest` use it to process jobs deterministically, through the same pg-boss
 * fetch/complete/fail calls the workers use.
 *
 * Size (about 730 lines): one class around one pg-boss instance (start, queues, workers, drain,
 * stop) and the two in-transaction senders that share its queue setup; split, each part would
 * reach into the others' private state.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import PgBoss from 'pg-boss';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { type Database, deferToCommit, rawQuery, type Tx } from './db/database.js';
import { listen } from './db/listen.js';
import { PLATFORM_ROLE, REQUEST_ROLE } from './db/tenant.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import type { Logger } from './logger.js';

export const JOBS_SCHEMA = 'pgboss';
/** The NOTIFY channel that wakes workers: the payload is the queue's name. */
export const JOBS_CHANNEL = 'frontdesk_jobs';
/** How often an idle worker polls anyway (delayed jobs, a notification lost with its connection). */
const POLL_SECONDS = 2;

/** What every job handler and request handler can reach besides its own input. */
export interface Platform {
  db: Database;
  logger: Logger;
  clock: Clock;
  config: Config;
}

/** What route handlers reach besides the request: the platform and the job queue. */
export interface AppPlatform extends Platform {
  jobs: Jobs;
}

export interface JobContext extends Platform {
  id: string;
  /** How many times this job has already failed and been retried. */
  retryCount: number;
  jobs: Jobs;
}

export interface JobDefinition<T extends object = object> {
  name: string;
  /** Retries after the first failure (pg-boss `retryLimit`); default 3. */
  retryLimit?: number;
  /** Seconds before the first retry; default 5. */
  retryDelay?: number;
  /** Exponential backoff between retries (pg-boss adds jitter); default true. */
  retryBackoff?: boolean;
  /** An active job not finished after this many seconds is failed (and retried); default 300. */
  expireInSeconds?: number;
  /**
   * Jobs fetched per poll and run one after another (pg-boss `batchSize`); default 1. A large
   * batch suits short database-only jobs; a job that waits on the network wants 1.
   */
  batchSize?: number;
  /**
   * Workers of this queue in one process, each fetching its own batch; default 1. `'cores'`: one
   * per CPU core. Either way capped by the connections the process has (see `workerCount`).
   */
  concurrency?: number | 'cores';
  /** A cron schedule (UTC): the job also runs on it, with an empty payload (`scheduleRecurring`). */
  cron?: string;
  handle(data: T, context: JobContext): Promise<void>;
  /**
   * Runs a fetched batch of more than one job at once (a worker only; `drain` runs `handle`).
   * It must do what `handle` would do for each, idempotently: if it throws, every job of the
   * batch fails and is retried.
   */
  handleBatch?(batch: T[], context: JobContext): Promise<void>;
}

/** Declares a job with its payload type. */
export function defineJob<T extends object>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

/**
 * A recurring "tick": on its cron schedule it finds the work due at `clock.now()` and does it.
 * Ticks must be idempotent (each records what it did), so a late, repeated or overlapping tick
 * is harmless. `run` returns counts of what it did; a tick that did something logs them.
 */
export function defineTick(options: {
  name: string;
  cron: string;
  /** Default 600 s: a tick should not run for ever, but may outlast its slot. */
  expireInSeconds?: number;
  run(context: JobContext): Promise<number | Record<string, number>>;
}): JobDefinition<Record<string, never>> {
  return {
    name: options.name,
    cron: options.cron,
    retryLimit: 2,
    expireInSeconds: options.expireInSeconds ?? 600,
    async handle(_data, context) {
      const result = await options.run(context);
      const counts = typeof result === 'number' ? { done: result } : result;
      if (Object.values(counts).some((n) => n > 0))
        context.logger.info({ job: options.name, ...counts }, 'tick');
    },
  };
}

export interface SendOptions {
  /** Run no earlier than this (a number: seconds from now by the database's clock). */
  startAfter?: Date | number;
  priority?: number;
}

/**
 * Builds pg-boss's INSERT for a job without a connection of its own: every call passes `db`, the
 * caller's transaction. Never started; it only renders SQL and reads the answer.
 */
const sender = new PgBoss({
  db: { executeSql: () => Promise.reject(new Error('the job sender needs a transaction')) },
  schema: JOBS_SCHEMA,
});

/**
 * pg-boss's statement sent with `tx`'s COMMIT (`deferToCommit`), in COMMIT's round trip on a
 * server: for an insert nothing in the transaction reads back. It answers no rows. Only for
 * pg-boss's `insert`, whose values are one JSON text and its defaults: `send`'s statement, its
 * values inlined, would have PostgreSQL fold a relative `startAfter` into a timestamp and fail.
 */
const atCommitOf = (tx: Tx): PgBoss.Db => ({
  executeSql: async (text, values) => {
    await deferToCommit(tx, text, values ?? []);
    return { rows: [] };
  },
});

/**
 * Queues a job on `tx` and wakes the queue's workers when (and only if) `tx` commits; returns
 * the job's id. pg-boss's insert goes with the COMMIT (`deferToCommit`), so it costs no round
 * trip of its own, and an error it raises fails the commit and rolls the transaction back. The
 * queue must exist (`Jobs.start` has run on this database): pg-boss drops a job for a queue that
 * does not exist. Prefer `Jobs.sendIn`, which checks the name; this is for code that holds a
 * transaction but no `Jobs` (ops/events.ts).
 */
export async function enqueueIn<T extends object>(
  tx: Tx,
  name: string,
  data: T,
  options: SendOptions = {},
): Promise<string> {
  const id = randomUUID();
  await enqueueManyIn(tx, [{ id, name, data, ...options }]);
  return id;
}

/** A job of `enqueueManyIn`. */
export interface JobToQueue extends SendOptions {
  name: string;
  data: object;
  /**
   * The job's id; a random one when absent. A job whose id its queue has already is not queued
   * again (pg-boss inserts with ON CONFLICT DO NOTHING): an id derived from what the job is
   * about makes a repeated enqueue a no-op.
   */
  id?: string;
}

/**
 * Queues several jobs on `tx` in one statement (pg-boss `insert`) and wakes their queues on
 * commit. Same rules as `enqueueIn`. The insert goes with the COMMIT (`deferToCommit`): the
 * caller gets nothing back from it, so it costs no round trip of its own, and an error it raises
 * (a revoked grant) fails the commit and rolls the whole transaction back. Every job is given
 * its id here, so two equal batches in one transaction stay two (deferred texts run once each).
 */
export async function enqueueManyIn(tx: Tx, jobs: readonly JobToQueue[]): Promise<void> {
  if (jobs.length === 0) return;
  await sender.insert(
    jobs.map((j) => ({
      id: j.id ?? randomUUID(),
      name: j.name,
      data: j.data,
      ...(j.priority !== undefined ? { priority: j.priority } : {}),
      // pg-boss reads a text: a time ending in Z, or an interval from the database's now.
      ...(j.startAfter instanceof Date
        ? { startAfter: j.startAfter.toISOString() as unknown as Date }
        : j.startAfter
          ? { startAfter: `${Math.ceil(j.startAfter)} seconds` as unknown as Date }
          : {}),
    })),
    { db: atCommitOf(tx) } as PgBoss.InsertOptions,
  );
  for (const name of new Set(jobs.map((j) => j.name)))
    await deferToCommit(tx, 'SELECT pg_notify($1, $2)', [JOBS_CHANNEL, name]);
}

/**
 * Whether the scoped role of `tx` may queue jobs here: pg-boss's schema exists and the grant of
 * `Jobs.start` has been made. False only on a database no process has started jobs on yet (a
 * fresh embedded folder being seeded); callers then leave the work to `Jobs.start`'s recovery.
 */
export async function canEnqueue(tx: Tx): Promise<boolean> {
  const [row] = await rawQuery<{ ok: boolean }>(
    tx,
    `SELECT coalesce(bool_and(has_table_privilege(c.oid, 'INSERT')), false) AS ok
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = 'job'`,
    [JOBS_SCHEMA],
  );
  return row?.ok === true;
}

/**
 * How many workers a definition gets in this process: its `concurrency` (`'cores'`: one per CPU
 * core), at most half the pool on a server (requests need connections too) and at most 2 on
 * PGlite (one connection: more workers only queue behind each other, two overlap one job's
 * waiting with another's queries).
 */
export function workerCount(d: Pick<JobDefinition, 'concurrency'>, db: Database): number {
  const wanted = d.concurrency === 'cores' ? availableParallelism() : (d.concurrency ?? 1);
  const cap = db.engine === 'pglite' ? 2 : Math.max(1, Math.floor((db.pool?.options.max ?? 10) / 2));
  return Math.max(1, Math.min(wanted, cap));
}

/** Resolves after the event loop has had a turn (its I/O callbacks run first). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What the queue still has running: its statements and the handlers of fetched jobs. pg-boss
 * records a job's outcome without awaiting it (its worker calls \`complete\`/\`fail\` and moves
 * on), and a fetch in flight when \`stop\` is called still hands its jobs to a handler; \`stop\`
 * waits for both, so nothing touches the database after the process closes it (a statement on a
 * closed pool is an unhandled rejection: exit code 1 on a clean SIGTERM).
 */
class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const forget = () => this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /**
   * Resolves true once nothing is pending, false at the deadline. Settling work may start more
   * (a fetch hands its jobs to a handler a few microtasks later): emptiness is checked after a
   * turn of the event loop, when those have run.
   */
  async drain(deadline: number): Promise<boolean> {
    for (;;) {
      await nextTurn();
      if (this.#pending.size === 0) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#pending]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
  }
}

/** The pg-boss adapter for PGlite (see the module comment). */
function pgliteExecutor(db: Database): PgBoss.Db {
  const pglite = db.pglite!;
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (!values || values.length === 0) {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      return { rows: (await pglite.query(text, values)).rows };
    },
  };
}

export class Jobs {
  readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition>();
  private started: Promise<void> | undefined;
  private working = false;
  /** pg-boss worker ids per queue, to wake on a notification. */
  private readonly workerIds = new Map<string, string[]>();
  /** Queues to work whose workers are not started yet: nothing was due at start (`start`). */
  private readonly idle = new Set<string>();
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly inFlight = new InFlight();
  private unlisten: (() => Promise<void>) | undefined;
  /** Whether `start()` has finished (the queues exist): `sendIn` needs it. */
  private ready = false;

  readonly db: Database;
  readonly logger: Logger;

  constructor(
    readonly platform: Platform,
    /**
     * `schedule`: fire the cron schedules (one process does). `supervise: false`: no maintenance
     * timer (a short-lived instance that only installs the schema and queues, e.g. for the
     * embedded snapshot, which must not be written to while it is dumped).
     */
    options: { schedule?: boolean; supervise?: boolean } = {},
  ) {
    const { db, logger } = platform;
    this.db = db;
    this.logger = logger;
    const executor: PgBoss.Db =
      db.engine === 'pglite'
        ? pgliteExecutor(db)
        : { executeSql: async (text, values) => db.pool!.query(text, values) };
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => this.inFlight.track(executor.executeSql(text, values)) },
      schema: JOBS_SCHEMA,
      schedule: options.schedule ?? false,
      supervise: options.supervise ?? true,
      // Maintenance fails jobs that overran `expireInSeconds` so that they are retried: their
      // worker was killed, or the connection dropped after the fetch marked them active and
      // before its answer arrived (so no worker has them). pg-boss's default (120 s) would add up
      // to two minutes to every such recovery; one cheap, once-per-cluster pass every 10 s.
      maintenanceIntervalSeconds: 10,
      migrate: true,
    });
    // pg-boss reports its own failures (polling, maintenance, recording an outcome) here, never
    // by throwing: while the database is away they repeat every poll, and stop once it is back.
    this.boss.on('error', (error) =>
      isDatabaseUnavailable(error)
        ? logger.warn({ err: error }, 'job queue: database unavailable')
        : logger.error({ err: error }, 'job queue error'),
    );
  }

  /** Registers job definitions; call before `start`. */
  define(...definitions: JobDefinition<never>[]): this {
    for (const d of definitions) {
      if (this.definitions.has(d.name)) throw new Error(`job ${d.name} is defined twice`);
      this.definitions.set(d.name, d as unknown as JobDefinition);
    }
    return this;
  }

  /** Whether a job of this name is defined (lets one domain trigger another's job if present). */
  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /**
   * Installs or upgrades the queue schema, creates the queues and (with `work`) starts workers:
   * for every queue, or only for `queues` (a later call can add the others).
   */
  start(options: { work?: boolean; queues?: readonly string[] } = {}): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      await this.grantEnqueue();
      await this.ensureQueues();
      this.ready = true;
    })();
    return this.started.then(async () => {
      if (!options.work) return;
      const wanted = [...this.definitions.values()].filter(
        (d) =>
          !this.workerIds.has(d.name) &&
          !this.idle.has(d.name) &&
          (!options.queues || options.queues.includes(d.name)),
      );
      // A pg-boss worker fetches as soon as it starts: dozens of queues, dozens of queries before
      // anything else (on PGlite, one after the other). One query finds the queues with work due;
      // the others start their workers on their first wake-up, or after one polling interval
      // (when a started worker would poll again anyway).
      const due = new Set(wanted.length ? await this.dueQueues(wanted.map((d) => d.name)) : []);
      for (const d of wanted) {
        if (due.has(d.name)) await this.work(d);
        else this.idle.add(d.name);
      }
      this.armIdleTimer();
      if (!this.working) {
        this.working = true;
        this.unlisten = await listen(this.db, JOBS_CHANNEL, (name) => this.wake(name), {
          // Notifications sent while the connection was down are lost: poll every queue once.
          onReconnect: () => {
            for (const name of this.workerIds.keys()) this.wake(name);
          },
          onLost: (error) => this.logger.warn({ err: error }, 'job wake-up LISTEN lost; reconnecting'),
        });
      }
    });
  }

  /**
   * Creates each defined queue, or updates its settings when they differ from the definition
   * (createQueue keeps an existing queue's settings, so a changed definition applies on
   * upgrade). Queues already as defined cost nothing: one read of \`queue\` on a warm start
   * instead of two calls per queue.
   */
  private async ensureQueues(): Promise<void> {
    const rows = await this.db.query<{
      name: string;
      retry_limit: number;
      retry_delay: number;
      retry_backoff: boolean;
      expire_seconds: number;
    }>(`SELECT name, retry_limit, retry_delay, retry_backoff, expire_seconds FROM ${JOBS_SCHEMA}.queue`);
    const existing = new Map(rows.map((r) => [r.name, r]));
    for (const d of this.definitions.values()) {
      const settings = {
        name: d.name,
        retryLimit: d.retryLimit ?? 3,
        retryDelay: d.retryDelay ?? 5,
        retryBackoff: d.retryBackoff ?? true,
        expireInSeconds: d.expireInSeconds ?? 300,
      };
      const now = existing.get(d.name);
      if (
        now &&
        now.retry_limit === settings.retryLimit &&
        now.retry_delay === settings.retryDelay &&
        now.retry_backoff === settings.retryBackoff &&
        now.expire_seconds === settings.expireInSeconds
      )
        continue;
      if (!now) await this.boss.createQueue(d.name, settings);
      await this.boss.updateQueue(d.name, settings);
    }
  }

  /** Starts the workers of one queue (see `workerCount`); a full batch fetches again at once. */
  private async work(d: JobDefinition): Promise<void> {
    const batchSize = d.batchSize ?? 1;
    const ids: string[] = [];
    this.workerIds.set(d.name, ids);
    for (let i = workerCount(d, this.db); i > 0; i--) {
      const id: string = await this.boss.work<object>(
        d.name,
        { batchSize, pollingIntervalSeconds: POLL_SECONDS },
        (batch) =>
          this.inFlight.track(
            (async () => {
              // A backlog worked off on PGlite (fetch, run, complete, fetch…) never waits for I/O;
              // the database itself gives the event loop its turns (db/pglite-fair.ts).
              if (d.handleBatch && batch.length > 1) await this.runBatch(d, batch);
              else for (const job of batch) await this.run(d, job as PgBoss.JobWithMetadata<object>);
              // More are probably waiting (a burst): skip the poll interval.
              if (batch.length === batchSize) this.boss.notifyWorker(id);
            })(),
          ),
      );
      ids.push(id);
    }
  }

  /** Wakes the workers of a queue (a job was committed to it); an idle queue's start now. */
  private wake(name: string): void {
    if (this.idle.has(name)) this.startIdle(name);
    else for (const id of this.workerIds.get(name) ?? []) this.boss.notifyWorker(id);
  }

  /** Starts the idle queues' workers after one polling interval (when a started worker would poll anyway). */
  private armIdleTimer(): void {
    if (this.idle.size === 0 || this.idleTimer || this.stopping) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      for (const name of [...this.idle]) this.startIdle(name);
    }, POLL_SECONDS * 1000);
    this.idleTimer.unref();
  }

  /** Starts the workers of a queue that had nothing due at start (their first fetch is now). */
  private startIdle(name: string): void {
    const d = this.definitions.get(name);
    if (!this.idle.delete(name) || !d || this.stopping) return;
    this.work(d).catch((error) => {
      if (this.stopping) return; // pg-boss refuses new workers once it stops
      this.logger.error({ err: error, job: name }, 'starting a worker failed; retrying');
      // None started (the database was away): the queue stays idle and is tried again later.
      if ((this.workerIds.get(name)?.length ?? 0) === 0) {
        this.workerIds.delete(name);
        this.idle.add(name);
        this.armIdleTimer();
      }
    });
  }

  /** Queues a job; returns its id (null when a singleton key dropped it). */
  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`no job named ${name}`);
    await this.start();
    return this.boss.send(name, data, options);
  }

  /**
   * Queues a job on the caller's transaction (pg-boss's `db` option: its INSERT runs on `tx`'s
   * connection), so the job exists if and only if the transaction commits: a caller that
   * records something and its job in one `withTenant`/`withPlatform` never keeps one without
   * the other. A worker may fetch it only after the commit. Returns the job id. The insert goes
   * with the COMMIT (`enqueueIn`).
   */
  async sendIn<T extends object>(tx: Tx, name: string, data: T, options: SendOptions = {}): Promise<string> {
    const id = randomUUID();
    await this.sendManyIn(tx, [{ ...options, id, name, data }]);
    return id;
  }

  /** `sendIn` for several jobs, in one INSERT sent with the COMMIT (`enqueueManyIn`). */
  async sendManyIn(tx: Tx, jobs: readonly JobToQueue[]): Promise<void> {
    for (const { name } of jobs) if (!this.definitions.has(name)) throw new Error(`no job named ${name}`);
    // Starting here would wait for connections (PGlite has one, held by `tx`): start first.
    if (jobs.length > 0 && !this.ready)
      throw new Error(`jobs.start() must finish before sending ${jobs[0]!.name} in a transaction`);
    await enqueueManyIn(tx, jobs);
  }

  /**
   * The scoped roles may queue jobs in their own transaction (`sendIn`): pg-boss's job insert
   * reads the queue's settings and returns the new id. Nothing else of pg-boss's schema is
   * theirs. pg-boss creates its schema at start, after the migrations, so the grant is here.
   */
  private async grantEnqueue(): Promise<void> {
    const granted = async () =>
      (
        await this.db.query<{ ok: boolean }>(
          `SELECT bool_and(has_table_privilege(r, '${JOBS_SCHEMA}.job', 'INSERT')) AS ok
             FROM unnest($1::text[]) AS r`,
          [[REQUEST_ROLE, PLATFORM_ROLE]],
        )
      )[0]?.ok === true;
    if (await granted()) return;
    const roles = `${REQUEST_ROLE}, ${PLATFORM_ROLE}`;
    try {
      await this.db.exec(
        `GRANT USAGE ON SCHEMA ${JOBS_SCHEMA} TO ${roles};
         GRANT SELECT ON ${JOBS_SCHEMA}.queue TO ${roles};
         GRANT INSERT, SELECT (id) ON ${JOBS_SCHEMA}.job TO ${roles};`,
      );
    } catch (error) {
      // Two processes starting at once race on the catalog ("tuple concurrently updated").
      if (!(await granted())) throw error;
    }
  }

  /**
   * Runs every due job (of the named queues, or all) until none is left, one at a time; returns
   * how many ran. Failures are recorded for pg-boss's retry schedule, not thrown. Each pass asks
   * once which queues have due jobs and fetches from those alone (there are dozens of queues).
   */
  async drain(options: { names?: string[]; max?: number } = {}): Promise<number> {
    await this.start();
    const names = options.names ?? [...this.definitions.keys()];
    for (const name of names) if (!this.definitions.has(name)) throw new Error(`no job named ${name}`);
    const max = options.max ?? 10_000;
    let ran = 0;
    for (let progressed = true; progressed && ran < max; ) {
      progressed = false;
      for (const name of await this.dueQueues(names)) {
        const [job] = await this.boss.fetch<object>(name, { batchSize: 1, includeMetadata: true });
        if (!job) continue;
        progressed = true;
        ran++;
        await this.run(this.definitions.get(name)!, job, { rethrow: false });
        if (ran >= max) break;
      }
    }
    return ran;
  }

  /** The queues among `names` (in that order) holding a job that is due now. */
  private async dueQueues(names: string[]): Promise<string[]> {
    // One queue: its fetch says as much, one round trip fewer per pass.
    if (names.length === 1) return names;
    const rows = await this.db.query<{ name: string }>(
      `SELECT DISTINCT name FROM ${JOBS_SCHEMA}.job
        WHERE name = ANY($1::text[]) AND state < 'active' AND start_after <= now()`,
      [names],
    );
    const due = new Set(rows.map((r) => r.name));
    return names.filter((name) => due.has(name));
  }

  private async run(
    d: JobDefinition,
    job: PgBoss.JobWithMetadata<object> | PgBoss.Job<object>,
    options: { rethrow?: boolean } = {},
  ): Promise<void> {
    const retryCount = 'retryCount' in job ? job.retryCount : 0;
    const context: JobContext = { ...this.platform, id: job.id, retryCount, jobs: this };
    try {
      await this.handleRetryingOutage(d, job.data, context, options.rethrow !== false);
    } catch (error) {
      this.logger.warn({ err: error, job: d.name, id: job.id, retryCount }, 'job failed');
      if (options.rethrow !== false) throw error; // a worker: pg-boss records the failure
      await this.boss.fail(d.name, job.id, { message: (error as Error).message });
      return;
    }
    if (options.rethrow === false) await this.boss.complete(d.name, job.id);
  }

  /** A worker's batch through `handleBatch`; a failure fails (and retries) the whole batch. */
  private async runBatch(d: JobDefinition, batch: PgBoss.Job<object>[]): Promise<void> {
    const context: JobContext = { ...this.platform, id: batch[0]!.id, retryCount: 0, jobs: this };
    const all = batch.map((j) => j.data);
    try {
      await this.retryingOutage(d, context.id, () => d.handleBatch!(all, context));
    } catch (error) {
      this.logger.warn({ err: error, job: d.name, size: batch.length }, 'job batch failed');
      throw error;
    }
  }

  private handleRetryingOutage(
    d: JobDefinition,
    data: object,
    context: JobContext,
    retryOutage: boolean,
  ): Promise<void> {
    return retryOutage
      ? this.retryingOutage(d, context.id, () => d.handle(data, context))
      : d.handle(data, context);
  }

  /**
   * Runs the handler; on a worker, while the database is unreachable (a restart, a failover), runs
   * it again with a doubling delay for up to half its expiry (at most 30 s), as pg-boss's retry
   * would, but without needing the database to record a failure first: otherwise the job stays
   * `active` until it expires, minutes after the database is back. Handlers are idempotent
   * already (pg-boss retries them).
   */
  private async retryingOutage(d: JobDefinition, id: string, attemptIt: () => Promise<void>): Promise<void> {
    // Elapsed real time (monotonic), not the Clock's business time: an outage lasts in real time.
    const giveUpAt = performance.now() + Math.min(30_000, ((d.expireInSeconds ?? 300) * 1000) / 2);
    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptIt();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || performance.now() >= giveUpAt) throw error;
        const wait = Math.min(5_000, 250 * 2 ** attempt);
        this.logger.warn({ job: d.name, id, attempt, wait }, 'job: database unavailable, retrying');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * Registers the cron schedule of every job that has one (idempotent: pg-boss replaces a
   * schedule of the same name). pg-boss fires each slot once across all processes, from
   * whichever runs with `schedule: true`; the server does. Returns the schedules.
   */
  async scheduleRecurring(): Promise<Array<{ name: string; cron: string }>> {
    await this.start();
    const recurring = [...this.definitions.values()].flatMap((d) =>
      d.cron ? [{ name: d.name, cron: d.cron }] : [],
    );
    // Like the queues: one read, and a write only for a schedule that is new or changed.
    const stored = await this.db.query<{
      name: string;
      cron: string;
      timezone: string;
      data: unknown;
      options: unknown;
    }>(`SELECT name, cron, timezone, data, options FROM ${JOBS_SCHEMA}.schedule`);
    const current = new Set(
      stored
        .filter(
          (r) =>
            r.timezone === 'UTC' &&
            JSON.stringify(r.data) === '{}' &&
            JSON.stringify(r.options) === JSON.stringify({ tz: 'UTC' }),
        )
        .map((r) => `${r.name}\n${r.cron}`),
    );
    for (const { name, cron } of recurring) {
      if (current.has(`${name}\n${cron}`)) continue;
      await this.boss.schedule(name, cron, {}, { tz: 'UTC' });
    }
    return recurring;
  }

  /** Job counts per state for one queue (observability and tests). */
  async counts(name: string): Promise<Record<string, number>> {
    await this.start();
    const rows = await this.db.query<{ state: string; n: number }>(
      `SELECT state::text, count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = $1 GROUP BY state`,
      [name],
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /**
   * Which of `values` have a job of `name` waiting or running whose data field `key` equals one
   * of them (the start-up recovery passes ask this to queue only what was lost). The queue's
   * table is the queue's own: read here, so domains never need the owner handle.
   */
  async waiting(name: string, key: string, values: string[]): Promise<Set<string>> {
    if (values.length === 0) return new Set();
    await this.start();
    const rows = await this.db.query<{ v: string }>(
      `SELECT data->>$2 AS v FROM ${JOBS_SCHEMA}.job
        WHERE name = $1 AND state IN ('created', 'retry', 'active') AND data->>$2 = ANY($3::text[])`,
      [name, key, values],
    );
    return new Set(rows.map((r) => r.v));
  }

  /**
   * Stops fetching, waits up to `timeoutMs` for running jobs, then fails the ones still running
   * (pg-boss `failWip`) so that they are retried at once by another worker rather than when they
   * expire; then, within the same `timeoutMs`, waits for what the queue still has in flight (see
   * `InFlight`), so that the database can be closed once this resolves.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.idle.clear();
    await this.started.catch(() => {});
    await this.unlisten?.().catch(() => {});
    this.unlisten = undefined;
    const deadline = performance.now() + timeoutMs;
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
    if (!(await this.inFlight.drain(deadline)))
      this.logger.warn({ timeoutMs }, 'job queue stopped with work still running');
  }
}

/**
 * A job that one domain queues and a domain above it implements (the sender may not import the
 * implementer): its queue name and payload type, declared once, by the sender. The implementer's
 * `defineJob` takes its name and payload from the port, so the two cannot drift apart, and the
 * sender asks `jobs.has(port.name)` whether this build wires an implementation.
 *
 *   export const replyPort = jobPort<{ tenantId: string; messageId: string }>('responder.reply');
 *   defineJob<PortPayload<typeof replyPort>>({ name: replyPort.name, handle … });
 */
export interface JobPort<T extends object> {
  readonly name: string;
  /** Type only: the payload the implementation receives. */
  readonly payload?: T;
}

export const jobPort = <T extends object>(name: string): JobPort<T> => ({ name });

export type PortPayload<P> = P extends JobPort<infer T> ? T : never;
