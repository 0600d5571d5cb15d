/**
 * `api`: a list and a create through the full stack — HTTP, API-key auth, rate limit, RLS
 * (withTenant), validation, audit, problem handling — against a bare handler on the same HTTP
 * server stack doing the same SQL as the owner (no auth, no RLS, no audit). Same process, same
 * loopback, same concurrency, alternating rounds.
 */

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
import { summarize } from '../lib/stats.js';

const CONCURRENCY = 4;
const PER_ROUND = 100;
const ROUNDS = 6;

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

export async function apiSuite(db: Database) {
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
  const app = createApp({ db, logger: createLogger('silent') });
  const full = await listen(app, '127.0.0.1', 0);
  const bare = await bareServer(db);
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const variants = {
    list: {
      full: () => fetch(`${full.url}/v1/contacts?limit=20`, { headers: auth }),
      bare: () => fetch(`${bare.url}/contacts?tenant=${tenantId}`),
    },
    create: {
      full: (i: number) =>
        fetch(`${full.url}/v1/contacts`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: `F ${i}`, email: `f${i}@bench.test` }),
        }),
      bare: (i: number) =>
        fetch(`${bare.url}/contacts?tenant=${tenantId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `B ${i}`, email: `b${i}@bench.test` }),
        }),
    },
  };
  // Warm up, and give the list something to list.
  await load((i) => variants.create.full(i), 200, { concurrency: CONCURRENCY });
  const result: Record<string, Record<string, unknown>> = {};
  for (const [op, v] of Object.entries(variants)) {
    const acc: Record<'full' | 'bare', { samples: number[]; wallMs: number }> = {
      full: { samples: [], wallMs: 0 },
      bare: { samples: [], wallMs: 0 },
    };
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of (r % 2 ? ['bare', 'full'] : ['full', 'bare']) as ('full' | 'bare')[]) {
        const run = await load((i) => v[name](r * PER_ROUND + i + 1000), PER_ROUND, {
          concurrency: CONCURRENCY,
        });
        acc[name].samples.push(...run.samples);
        acc[name].wallMs += run.wallMs;
      }
    }
    const stats = (x: { samples: number[]; wallMs: number }) => ({
      ...summarize(x.samples),
      requestsPerSec: Math.round((x.samples.length / x.wallMs) * 1000),
    });
    const f = stats(acc.full);
    const b = stats(acc.bare);
    result[op] = {
      fullStack: f,
      bareHandler: b,
      throughputRatio: +(f.requestsPerSec / b.requestsPerSec).toFixed(3),
      p50Ratio: +(f.p50 / b.p50).toFixed(3),
    };
  }
  await full.close();
  await bare.close();
  return { concurrency: CONCURRENCY, requestsPerVariant: ROUNDS * PER_ROUND, ...result };
}
