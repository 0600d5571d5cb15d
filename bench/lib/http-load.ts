/**
 * What the HTTP suites share: a floor app served on loopback, and a closed-loop load generator.
 *
 * How to call:
 *   const floor = await serveOnLoopback(app);          // floor.url, await floor.close()
 *   const { samples, wallMs } = await load((i) => fetch(...), 400, { concurrency: 4 });
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';

/** Serves `app` on 127.0.0.1 at a free port; `url` ends with `path`. */
export async function serveOnLoopback(app: Hono, path = '') {
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/**
 * Runs `count` requests from `concurrency` loops; returns per-request latencies and wall time.
 * A response that `ok` refuses (default: any status of 300 or more) stops the run.
 */
export async function load(
  make: (i: number) => Promise<Response>,
  count: number,
  { concurrency, ok = (status) => status < 300 }: { concurrency: number; ok?: (status: number) => boolean },
) {
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const s = performance.now();
        const res = await make(i);
        await res.arrayBuffer();
        if (!ok(res.status)) throw new Error(`bench request failed with ${res.status}`);
        samples.push(performance.now() - s);
      }
    }),
  );
  return { samples, wallMs: performance.now() - t0 };
}
