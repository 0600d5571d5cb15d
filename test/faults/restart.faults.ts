/**
 * PostgreSQL restarted for real under traffic: `pg_ctl restart -m fast` (clean shutdown, clients
 * told `57P01`) and `-m immediate` (a crash: every backend killed, crash recovery on start), on a
 * private cluster that scripts/test-faults.sh creates for this file (the shared server is never
 * restarted). Directly, `FAULTS_REPEAT` times in a row alternating the two modes, and through a
 * pgbouncer in front of that cluster. Each repetition checks that Frontdesk never dies, that every
 * failure a provider or API client saw was `503 /problems/unavailable` with Retry-After (never a
 * 500), that `/readyz` said 503 `/problems/not-ready` while the database was away and 200 again
 * afterwards without restarting Frontdesk, and that every acknowledged webhook is stored exactly once.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import type { StartedServer } from '../helpers/cli.js';
import { adminUrl } from '../helpers/server.js';
import {
  type Answer,
  apiTraffic,
  expectAliveAndReady,
  expectOnlyUnavailable,
  expectStoredExactlyOnce,
  type Fixture,
  fixture,
  frontdesk,
  Provider,
  sleep,
} from './harness.js';

const REPEAT = Number(process.env.FAULTS_REPEAT ?? 3);
const PGDIR = process.env.TEST_RESTART_PGDIR ?? '';
const CLUSTER_URL = process.env.TEST_RESTART_DATABASE_URL ?? '';
const BOUNCER_URL = process.env.TEST_RESTART_PGBOUNCER_URL ?? '';
const SCRIPT = new URL('../../scripts/lib/private-postgres.sh', import.meta.url).pathname;

type Mode = 'fast' | 'immediate';

let dbUrl: string;
let fx: Fixture;
const running: StartedServer[] = [];

beforeAll(async () => {
  if (!PGDIR || !CLUSTER_URL || !BOUNCER_URL)
    throw new Error(
      'the restart case needs its private cluster: run it with `npm run test:faults` (scripts/test-faults.sh)',
    );
  const name = `frontdesk_restart_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ engine: 'postgres', url: CLUSTER_URL, poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  dbUrl = adminUrl(CLUSTER_URL, name);
  await withDb(async (db) => {
    await migrate(db);
    fx = await fixture(db);
  });
});
afterAll(() => {
  // The cluster (and its database) is removed by scripts/test-faults.sh.
  for (const s of running) s.child.kill('SIGKILL');
});

/** A connection of the test's own to the restart database, opened after the restart. */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ engine: 'postgres', url: dbUrl, poolSize: 2 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `pg_ctl restart -m <mode>` on the private cluster; resolves (with its duration) once it accepts connections. */
async function restartPostgres(mode: Mode): Promise<number> {
  const started = Date.now();
  await promisify(execFile)('bash', [SCRIPT, 'restart', PGDIR, mode], { timeout: 90_000 });
  return Date.now() - started;
}

/** Polls /readyz every 100 ms until stopped, recording every answer that was not 200. */
function readyzWatch(baseUrl: string) {
  const notReady: Answer[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(15_000) });
        const body = await res.text();
        if (res.status !== 200)
          notReady.push({
            status: res.status,
            type: /"type":"([^"]*)"/.exec(body)?.[1],
            retryAfter: res.headers.get('retry-after'),
            at: Date.now(),
          });
      } catch {
        notReady.push({ status: 'network', at: Date.now() });
      }
      await sleep(100);
    }
  })();
  return {
    notReady,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** The first moment `/readyz` answers 200 (polled every 50 ms, at most 60 s). */
async function readyAt(baseUrl: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return Date.now();
    await sleep(50);
  }
  return Number.NaN;
}

/**
 * One restart under webhook (15/s) and API (4/s) traffic, PostgreSQL restarted 1 s in. Returns the
 * failures seen and the measured figures (logged, never asserted on).
 */
async function restartUnderTraffic(server: StartedServer, mode: Mode, prefix: string) {
  const provider = new Provider(() => server.url);
  const api = apiTraffic(server.url, fx.apiKey);
  const burst = provider.burst(prefix, 45, 15);
  await sleep(1000);
  const watch = readyzWatch(server.url);
  const restartStarted = Date.now();
  const restartMs = await restartPostgres(mode);
  const ready = await readyAt(server.url);
  await watch.stop();
  const sids = await burst;
  await api.stop();

  const failures = [...provider.failures(), ...api.answers.filter((a) => a.status !== 200)];
  expectOnlyUnavailable(provider.failures());
  expectOnlyUnavailable(api.answers.filter((a) => a.status !== 200));
  for (const a of watch.notReady) {
    expect(a).toMatchObject({ status: 503, type: '/problems/not-ready' });
    expect(a.retryAfter).toMatch(/^\d+$/);
  }
  // Bounded: a job whose fetch was cut off is retried once it expires (20 s + up to 10 s).
  const storedMs = await withDb((db) => expectStoredExactlyOnce(db, sids, 60_000));
  await expectAliveAndReady(server);

  const lastFailure = Math.max(restartStarted, ...failures.map((a) => a.at ?? 0));
  const figures = {
    mode,
    restartMs,
    readyAfterRestartMs: ready - restartStarted,
    lastFailureAfterRestartMs: lastFailure - restartStarted,
    failures: failures.length,
    readyz503: watch.notReady.length,
    storedAfterAckMs: storedMs,
  };
  console.log(`restart ${prefix}: ${JSON.stringify(figures)}`);
  return { failures: failures.length, readyz503: watch.notReady.length };
}

describe('PostgreSQL restarted for real (pg_ctl restart on a private cluster)', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await frontdesk(dbUrl);
    running.push(server);
  });

  it(`under webhook and API traffic, ${REPEAT} times in a row (fast and immediate in turn): no crash, 503 not 500, nothing acknowledged lost`, async () => {
    let failures = 0;
    let readyz503 = 0;
    for (let rep = 0; rep < REPEAT; rep++) {
      const seen = await restartUnderTraffic(server, rep % 2 === 0 ? 'fast' : 'immediate', `SMrs${rep}x`);
      failures += seen.failures;
      readyz503 += seen.readyz503;
    }
    // The restarts did reach requests and /readyz (each refused request was retried and acknowledged).
    expect(failures).toBeGreaterThan(0);
    expect(readyz503).toBeGreaterThan(0);
    expect(await server.stop(), server.output()).toBe(0);
  });
});

describe('PostgreSQL restarted for real behind pgbouncer', () => {
  it('fast, then immediate: no crash, 503 not 500, nothing acknowledged lost, ready again', async () => {
    const server = await frontdesk(adminUrl(BOUNCER_URL, new URL(dbUrl).pathname.slice(1)));
    running.push(server);
    let failures = 0;
    for (const mode of ['fast', 'immediate'] as const) {
      failures += (await restartUnderTraffic(server, mode, `SMrb${mode}x`)).failures;
    }
    expect(failures).toBeGreaterThan(0);
    expect(await server.stop(), server.output()).toBe(0);
  });
});
