/**
 * Plan rate limits counted in PostgreSQL: two app instances on one database (two processes, as
 * behind a load balancer) allow the plan once between them, not once each, with the same
 * RateLimit/Retry-After headers as the in-memory counter.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { SharedRateLimiter } from '../../src/platform/http/rate-limit.js';
import { createLogger } from '../../src/platform/logger.js';
import { listen, type RunningServer } from '../../src/server.js';
import { makeTenant, useTestApi } from '../helpers/api.js';
import { problemOf } from '../helpers/resource-api.js';

const FROZEN = () => 1_700_000_010_000; // the middle of one window: no boundary during the test
// The file's database; two more app instances on it play the two processes.
const first = useTestApi();
const apps: { app: ReturnType<typeof createApp>; server: RunningServer }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const limiter = new SharedRateLimiter(first.db, 60_000, FROZEN);
    const app = createApp({ db: first.db, logger: createLogger('silent'), limiter });
    apps.push({ app, server: await listen(app, '127.0.0.1', 0) });
  }
});
afterAll(async () => {
  for (const { app, server } of apps) {
    await server.close();
    await app.platform.jobs.stop();
  }
});

const get = (base: string, key: string) =>
  fetch(`${base}/v1/contacts`, { headers: { authorization: `Bearer ${key}` } });

it('two processes share one tenant budget; the request past it gets 429 with Retry-After in either', async () => {
  const T = await makeTenant(first.db, { requestsPerMinute: 6 });
  const [a, b] = apps.map((p) => p.server.url) as [string, string];
  // Caller budgets are half the tenant's (3): two keys, three requests each, one per process.
  const statuses: number[] = [];
  for (const [base, key] of [
    [a, T.keys.viewer],
    [b, T.keys.viewer],
    [a, T.keys.viewer],
    [b, T.keys.agent],
    [a, T.keys.agent],
    [b, T.keys.agent],
  ] as const) {
    const res = await get(base, key);
    statuses.push(res.status);
    expect(res.headers.get('ratelimit-policy')).toBe('"tenant";q=6;w=60, "caller";q=3;w=60');
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  // Six used across both processes: a third key is refused by either, though each saw only three.
  for (const base of [a, b]) {
    const refused = await get(base, T.keys.admin);
    await problemOf(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toMatch(/^"tenant";r=0;t=\d+$/);
  }
  // Another tenant's budget is its own.
  const other = await makeTenant(first.db, { requestsPerMinute: 6 });
  expect((await get(a, other.keys.viewer)).status).toBe(200);
});

it('login attempts for one email are counted across processes too (10 a minute, then 429)', {
  timeout: 60_000,
}, async () => {
  const [a, b] = apps.map((p) => p.server.url) as [string, string];
  const attempt = (base: string) =>
    fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@shared.example', password: 'wrong' }),
    });
  // These counters use the real clock: start early in a minute so the attempts share one window.
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((r) => setTimeout(r, left + 100));
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await attempt(i % 2 ? a : b)).status);
  expect(statuses).toEqual(Array(10).fill(401));
  await problemOf(await attempt(a), 429, 'rate_limited');
  await problemOf(await attempt(b), 429, 'rate_limited');
});
