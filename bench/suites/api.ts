/**
 * `api`: a list and a create through the full stack — HTTP, API-key auth, rate limit, RLS
 * (withTenant), validation, audit, problem handling — against a bare handler on the same HTTP
 * server stack doing the same SQL as the owner (no auth, no RLS, no audit). Same process, same
 * loopback, same concurrency, alternating rounds. On the server engine a peer runs in the same
 * rounds: PostGraphile 4 over the same tables and RLS policies, tenant set per request
 * (bench/lib/postgraphile-peer.ts); on PGlite it is skipped (it needs a server to connect to).
 */

import { loadavg } from 'node:os';
import { Hono } from 'hono';
import { createApp } from '../../src/app.js';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { uuidv7 } from '../../src/schema/columns.js';
import { plans, tenants } from '../../src/schema/tenants.js';
import { listen } from '../../src/server.js';
import { load, serveOnLoopback } from '../lib/http-load.js';
import { postgraphilePeer } from '../lib/postgraphile-peer.js';
import { summarize } from '../lib/stats.js';

const CONCURRENCY = 4;
const PER_ROUND = 100;
const ROUNDS = 6;
const PEER_SKIPPED =
  'PostGraphile connects to a PostgreSQL server with node-postgres; an embedded PGlite has no server to connect to';

type Variant = 'full' | 'bare' | 'peer';
type Request = (i: number) => Promise<Response>;

async function bareServer(db: Database) {
  const app = new Hono();
  app.get('/contacts', async (c) => {
    const tenant = c.req.query('tenant')!;
    const rows = await db.query('SELECT * FROM contacts WHERE tenant_id = $1 ORDER BY id DESC LIMIT 20', [
      tenant,
    ]);
    return c.json({ data: rows });
  });
  app.post('/contacts', async (c) => {
    const tenant = c.req.query('tenant')!;
    const body = (await c.req.json()) as { name: string; email: string };
    const [row] = await db.query(
      'INSERT INTO contacts (tenant_id, id, name, email) VALUES ($1, $2, $3, $4) RETURNING *',
      [tenant, uuidv7(), body.name, body.email],
    );
    return c.json(row, 201);
  });
  return serveOnLoopback(app);
}

async function benchTenant(db: Database) {
  // A plan with a budget far above what the bench sends: rate limiting is measured, not hit.
  const [tenant] = await withPlatform(db, async (tx) => {
    const [plan] = await tx
      .insert(plans)
      .values({ slug: 'bench-unlimited', name: 'Bench', limits: { requestsPerMinute: 100_000_000 } })
      .returning();
    return tx.insert(tenants).values({ slug: 'bench-api', name: 'Bench API', planId: plan!.id }).returning();
  });
  const tenantId = tenant!.id;
  const { key } = await withTenant(db, tenantId, (tx) =>
    createApiKey(tx, tenantId, { name: 'bench', role: 'admin' }),
  );
  return { tenantId, key };
}

/** Rounds of each variant in turn (the order rotates each round), latencies and wall time summed. */
async function measure(variants: Partial<Record<Variant, Request>>) {
  const names = Object.keys(variants) as Variant[];
  const acc = Object.fromEntries(names.map((n) => [n, { samples: [] as number[], wallMs: 0 }]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = names.map((_, k) => names[(k + r) % names.length]!);
    for (const name of order) {
      const run = await load((i) => variants[name]!(r * PER_ROUND + i + 1000), PER_ROUND, {
        concurrency: CONCURRENCY,
      });
      acc[name]!.samples.push(...run.samples);
      acc[name]!.wallMs += run.wallMs;
    }
  }
  const stats = (x: { samples: number[]; wallMs: number }) => ({
    ...summarize(x.samples),
    requestsPerSec: Math.round((x.samples.length / x.wallMs) * 1000),
  });
  const f = stats(acc.full!);
  const b = stats(acc.bare!);
  const p = acc.peer ? stats(acc.peer) : undefined;
  return {
    fullStack: f,
    bareHandler: b,
    ...(p ? { postgraphile: p } : {}),
    throughputRatio: +(f.requestsPerSec / b.requestsPerSec).toFixed(3),
    p50Ratio: +(f.p50 / b.p50).toFixed(3),
    ...(p ? { fullOverPostgraphile: +(f.requestsPerSec / p.requestsPerSec).toFixed(3) } : {}),
  };
}

export async function apiSuite(db: Database) {
  const loadAverageAtStart = loadavg()[0]!;
  const { tenantId, key } = await benchTenant(db);
  const app = createApp({ db, logger: createLogger('silent') });
  const full = await listen(app, '127.0.0.1', 0);
  const bare = await bareServer(db);
  const url = (db.pool as unknown as { options?: { connectionString?: string } } | undefined)?.options
    ?.connectionString;
  const peer = url ? await postgraphilePeer(url, tenantId, CONCURRENCY) : undefined;
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const variants: Record<'list' | 'create', Partial<Record<Variant, Request>>> = {
    list: {
      full: () => fetch(`${full.url}/v1/contacts?limit=20`, { headers: auth }),
      bare: () => fetch(`${bare.url}/contacts?tenant=${tenantId}`),
      ...(peer ? { peer: () => peer.list() } : {}),
    },
    create: {
      full: (i) =>
        fetch(`${full.url}/v1/contacts`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: `F ${i}`, email: `f${i}@bench.test` }),
        }),
      bare: (i) =>
        fetch(`${bare.url}/contacts?tenant=${tenantId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `B ${i}`, email: `b${i}@bench.test` }),
        }),
      ...(peer ? { peer: (i: number) => peer.create(uuidv7(), i) } : {}),
    },
  };
  // Warm up (every variant, so each has its connections, plans and caches), and give the list something to list.
  await load((i) => variants.create.full!(i), 200, { concurrency: CONCURRENCY });
  for (const v of Object.values(variants)) {
    for (const run of Object.values(v)) await load((i) => run(i + 100_000), 20, { concurrency: CONCURRENCY });
  }
  const result: Record<string, unknown> = {};
  for (const [op, v] of Object.entries(variants)) result[op] = await measure(v);
  await full.close();
  await bare.close();
  await peer?.close();
  return {
    concurrency: CONCURRENCY,
    requestsPerVariant: ROUNDS * PER_ROUND,
    // The 1-minute load average: the box may be busy with other work, and these figures share it.
    loadAverage: { start: +loadAverageAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
    ...(peer ? {} : { postgraphileSkipped: PEER_SKIPPED }),
    ...result,
  };
}
