/**
 * The database goes away under traffic, on the PostgreSQL server: every connection cut at once (a
 * proxy: a network cut or failover; restart.faults.ts restarts a private cluster for real), or
 * frozen (connections open, no answers), backends killed with pg_terminate_backend mid-transaction
 * (requests, jobs, the widget's LISTEN), also through pgbouncer. Each case checks that the process
 * never dies, that clients and providers see 503 with Retry-After (never a 500), that every
 * acknowledged webhook is stored exactly once, and that the server is ready again without a restart.
 *
 * `FAULTS_CUT_REPEAT` (default 3) repeats the cut in a row within one process.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StartedServer } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import {
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
import { CuttableProxy } from './proxy.js';

const REPEAT = Number(process.env.FAULTS_CUT_REPEAT ?? 3);

let t: TestDatabase;
let fx: Fixture;
const running: StartedServer[] = [];

beforeAll(async () => {
  if (!inject('serverUrl'))
    throw new Error('the fault suite runs on a PostgreSQL server: set TEST_DATABASE_URL');
  t = await createTestDatabase();
  fx = await fixture(t.db);
});
afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL');
  await t?.close();
});

/** `url` with its host and port replaced. */
function via(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

/** Terminates every backend of this test's database but the caller's; returns how many. */
async function terminateBackends(filter = ''): Promise<number> {
  const rows = await t.db.query<{ n: number }>(
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() ${filter}`,
  );
  return rows[0]!.n;
}

describe('the database goes away and comes back (every connection cut: a network cut or failover)', () => {
  let proxy: CuttableProxy;
  let server: StartedServer;

  beforeAll(async () => {
    const target = new URL(t.url!);
    proxy = await new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) }).start();
    server = await frontdesk(via(t.url!, proxy.port));
    running.push(server);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it(`under webhook and API traffic, ${REPEAT} times in a row: no crash, 503 not 500, nothing acknowledged lost`, async () => {
    let refused = 0;
    for (let rep = 0; rep < REPEAT; rep++) {
      const provider = new Provider(() => server.url);
      const api = apiTraffic(server.url, fx.apiKey);
      const burst = provider.burst(`SMcut${rep}x`, 45, 15);
      await sleep(1000);
      proxy.cut();
      // /readyz says so while the database is away (a load balancer stops routing here).
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await ready.json()).toMatchObject({ type: '/problems/not-ready' });
      await sleep(2500);
      proxy.restore();
      const sids = await burst;
      await api.stop();

      expectOnlyUnavailable(provider.failures());
      expectOnlyUnavailable(api.answers.filter((a) => a.status !== 200));
      // Bounded: a job whose fetch was cut off is retried once it expires (20 s + up to 10 s).
      await expectStoredExactlyOnce(t.db, sids, 60_000);
      await expectAliveAndReady(server);
      refused += provider.failures().length;
    }
    // The cuts did reach requests (each was answered 503, then retried and acknowledged).
    expect(refused).toBeGreaterThan(0);
  });

  it('a database that stops answering (connections open, nothing comes back): /readyz answers 503 within its bound', async () => {
    await expectAliveAndReady(server);
    proxy.freeze();
    try {
      const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(20_000) });
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await ready.json()).toMatchObject({
        type: '/problems/not-ready',
        detail: expect.stringMatching(/did not answer within/),
      });
    } finally {
      proxy.restore();
    }
    await expectAliveAndReady(server);
  });
});

describe('connections killed with pg_terminate_backend', () => {
  it('mid-request and mid-job: no crash, 503 not 500, every acknowledged webhook stored once', async () => {
    const server = await frontdesk(t.url!);
    running.push(server);
    const provider = new Provider(() => server.url);
    const api = apiTraffic(server.url, fx.apiKey);
    const burst = provider.burst('SMkill', 60, 15);
    let killed = 0;
    for (let i = 0; i < 3; i++) {
      await sleep(800);
      killed += await terminateBackends();
    }
    const sids = await burst;
    await api.stop();
    expect(killed).toBeGreaterThan(0);
    expectOnlyUnavailable(provider.failures());
    expectOnlyUnavailable(api.answers.filter((a) => a.status !== 200));
    await expectStoredExactlyOnce(t.db, sids);
    await expectAliveAndReady(server);
    expect(await server.stop(), server.output()).toBe(0);
  });

  it('the widget LISTEN connection: reconnects, listens again, and the stream still gets replies', async () => {
    const server = await frontdesk(t.url!);
    running.push(server);
    const auth = { authorization: `Bearer ${fx.apiKey}`, 'content-type': 'application/json' };
    const channel = await fetch(`${server.url}/v1/channels`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'widget', name: 'Fault widget' }),
    });
    expect(channel.status).toBe(201);
    const { widgetKey } = (await channel.json()) as { widgetKey: string };
    const origin = 'https://shop.example';
    expect(
      (
        await fetch(`${server.url}/v1/widget-settings`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ allowedOrigins: [origin] }),
        })
      ).status,
    ).toBe(201);
    const session = (await (
      await fetch(`${server.url}/v1/widget/${widgetKey}/sessions`, { method: 'POST', headers: { origin } })
    ).json()) as { token: string };
    const visitor = { origin, authorization: `Bearer ${session.token}` };
    const said = (await (
      await fetch(`${server.url}/v1/widget/${widgetKey}/messages`, {
        method: 'POST',
        headers: { ...visitor, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Where is my parcel?' }),
      })
    ).json()) as { conversationId: string };
    const stream = await fetch(
      `${server.url}/v1/widget/${widgetKey}/conversations/${said.conversationId}/stream`,
      {
        headers: visitor,
      },
    );
    expect(stream.status).toBe(200);
    const reading = readUntilMessage(stream);

    const listener = async () =>
      (
        await t.db.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN frontdesk_messages'`,
        )
      ).map((r) => r.pid);
    const first = await until(listener, (pids) => pids.length === 1);
    expect(await terminateBackends(`AND pid = ${first[0]}`)).toBe(1);
    // A new connection LISTENs again (the old one is gone).
    const second = await until(listener, (pids) => pids.length === 1 && pids[0] !== first[0]);
    expect(second[0]).not.toBe(first[0]);

    const reply = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ conversationId: said.conversationId, role: 'agent', content: 'On its way.' }),
    });
    expect(reply.status).toBe(201);
    const { id } = (await reply.json()) as { id: string };
    expect(await reading).toBe(id);
    await expectAliveAndReady(server);

    // On SIGTERM the open stream is ended cleanly (not cut at the deadline): the visitor's
    // EventSource reconnects elsewhere.
    const open = await fetch(
      `${server.url}/v1/widget/${widgetKey}/conversations/${said.conversationId}/stream`,
      {
        headers: visitor,
      },
    );
    const ended = (async () => {
      const reader = open.body!.getReader();
      for (;;) if ((await reader.read()).done) return 'ended';
    })().catch(() => 'cut');
    expect(await server.stop(), server.output()).toBe(0);
    expect(await ended).toBe('ended');
  });

  it('through pgbouncer: server connections killed under webhook traffic, nothing acknowledged lost', async () => {
    const bouncer = process.env.TEST_PGBOUNCER_URL;
    if (!bouncer) throw new Error('set TEST_PGBOUNCER_URL (scripts/test-faults.sh starts pgbouncer)');
    const server = await frontdesk(`${bouncer.replace(/\/[^/]*$/, '')}/${new URL(t.url!).pathname.slice(1)}`);
    running.push(server);
    const provider = new Provider(() => server.url);
    const burst = provider.burst('SMbouncer', 45, 15);
    let killed = 0;
    for (let i = 0; i < 2; i++) {
      await sleep(1000);
      killed += await terminateBackends();
    }
    const sids = await burst;
    expect(killed).toBeGreaterThan(0);
    expectOnlyUnavailable(provider.failures());
    await expectStoredExactlyOnce(t.db, sids);
    await expectAliveAndReady(server);
    expect(await server.stop(), server.output()).toBe(0);
  });
});

/** Polls `read` until `done` holds (at most 60 s). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

/** Reads an SSE stream until its first `message` event (at most 60 s); resolves with its id. */
async function readUntilMessage(res: Response): Promise<string | undefined> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const timer = setTimeout(() => void reader.cancel(), 60_000);
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
      for (const block of buffer.split('\n\n').slice(0, -1)) {
        const lines = block.split('\n');
        if (!lines.includes('event: message')) continue;
        await reader.cancel();
        return lines.find((l) => l.startsWith('id: '))?.slice(4);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
