/**
 * The process goes away under load: SIGTERM drains (requests and jobs finish, the rest is
 * retried), a second SIGTERM exits at once, and a worker killed with SIGKILL mid-job loses
 * nothing: its jobs expire and another worker runs them. Every acknowledged webhook is stored
 * exactly once.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INBOUND_JOB } from '../../src/domains/channels/inbound.js';
import type { StartedServer } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import {
  expectAliveAndReady,
  expectOnlyUnavailable,
  expectStoredExactlyOnce,
  fixture,
  frontdesk,
  Provider,
  sleep,
} from './harness.js';

let t: TestDatabase;
const running: StartedServer[] = [];

beforeAll(async () => {
  if (!inject('serverUrl'))
    throw new Error('the fault suite runs on a PostgreSQL server: set TEST_DATABASE_URL');
  t = await createTestDatabase();
  await fixture(t.db);
});
afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL');
  await t?.close();
});

const exited = (server: StartedServer) =>
  new Promise<number | null>((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    else server.child.once('exit', (code) => resolve(code));
  });

async function until(done: () => Promise<boolean> | boolean, withinMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(20);
  }
  return false;
}

describe('SIGTERM', () => {
  it('under webhook load: stops cleanly (exit 0), and what it acknowledged is stored once', async () => {
    let server = await frontdesk(t.url!, { FRONTDESK_SHUTDOWN_TIMEOUT_MS: '15000' });
    running.push(server);
    const provider = new Provider(() => server.url);
    const burst = provider.burst('SMterm', 60, 20);
    await sleep(1500);
    const first = server;
    first.child.kill('SIGTERM');
    expect(await exited(first), first.output()).toBe(0);
    // The provider's retries (refused connections meanwhile) reach the next process.
    server = await frontdesk(t.url!);
    running.push(server);
    const sids = await burst;
    expectOnlyUnavailable(provider.failures(), true);
    await expectStoredExactlyOnce(t.db, sids, 60_000);
    await expectAliveAndReady(server);
    expect(await server.stop(), server.output()).toBe(0);
  });

  it('a second SIGTERM exits at once, while the first still waits for a request', async () => {
    const server = await frontdesk(t.url!, { LOG_LEVEL: 'info', FRONTDESK_SHUTDOWN_TIMEOUT_MS: '120000' });
    running.push(server);
    // A request whose body never finishes arriving keeps the first shutdown waiting.
    const url = new URL(`${server.url}/v1/inbound/twilio`);
    const slow = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000' },
    });
    slow.on('error', () => {});
    slow.write('MessageSid=');
    await sleep(300);
    server.child.kill('SIGTERM');
    expect(await until(() => server.output().includes('shutting down'))).toBe(true);
    await sleep(500);
    expect(server.child.exitCode).toBeNull(); // still draining
    server.child.kill('SIGTERM');
    expect(await exited(server)).toBe(143);
    expect(server.output()).toContain('second signal');
    slow.destroy();
  });
});

describe('SIGKILL', () => {
  it('a worker killed mid-job: its jobs expire and another worker runs them; nothing is lost or doubled', async () => {
    const intake = await frontdesk(t.url!, { FRONTDESK_WORKERS: 'false' });
    running.push(intake);
    let worker = await frontdesk(t.url!);
    running.push(worker);
    const provider = new Provider(() => intake.url);
    const burst = provider.burst('SMkill9', 80, 30);
    const active = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'active'`,
          [INBOUND_JOB],
        )
      )[0]!.n > 0;
    expect(await until(active)).toBe(true);
    worker.child.kill('SIGKILL');
    expect(await exited(worker)).toBeNull(); // killed by the signal, not exited
    const sids = await burst;
    expect(provider.failures()).toEqual([]); // intake never noticed
    worker = await frontdesk(t.url!);
    running.push(worker);
    // Bounded: the killed worker's jobs expire after 20 s, maintenance runs every 10 s.
    await expectStoredExactlyOnce(t.db, sids, 90_000);
    await expectAliveAndReady(intake);
    expect(await worker.stop()).toBe(0);
    expect(await intake.stop()).toBe(0);
  });
});
