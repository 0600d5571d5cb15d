/**
 * What one API request costs, on one engine: the statements a list and a create send (each
 * printed), then optionally `N` sequential pairs with the time per statement (PGlite), and a CPU
 * profile of a concurrent load (`PROFILE=list|create`, written to /tmp/api-<engine>-<op>.cpuprofile).
 *
 *   npx tsx bench/profile-api.ts postgres
 *   N=300 npx tsx bench/profile-api.ts pglite
 *   PROFILE=list npx tsx bench/profile-api.ts postgres
 *   AUTH=session npx tsx bench/profile-api.ts postgres   (a console user's session token naming its tenant by id)
 */
import { createApp } from '../src/app.js';
import { createApiKey } from '../src/domains/identity/api-keys.js';
import { hashPassword } from '../src/domains/identity/passwords.js';
import { memberships, users } from '../src/domains/identity/tables.js';
import { withPlatform, withTenant } from '../src/platform/db/tenant.js';
import { createLogger } from '../src/platform/logger.js';
import { plans, tenants } from '../src/schema/tenants.js';
import { listen } from '../src/server.js';
import { freshDatabase } from './lib/engines.js';
import { recordStatements } from './lib/statements.js';

const engine = (process.argv[2] ?? 'pglite') as 'pglite' | 'postgres';
const target = await freshDatabase(engine, 'postgres://postgres@127.0.0.1:5432/postgres');
const statements = recordStatements(target.db);
const db = target.db;
const [tenant] = await withPlatform(db, async (tx) => {
  const [plan] = await tx
    .insert(plans)
    .values({ slug: 'p', name: 'P', limits: { requestsPerMinute: 1e8 } })
    .returning();
  return tx.insert(tenants).values({ slug: 'bench-api', name: 'B', planId: plan!.id }).returning();
});
const { key } = await withTenant(db, tenant!.id, (tx) =>
  createApiKey(tx, tenant!.id, { name: 'b', role: 'admin' }),
);
const app = createApp({ db, logger: createLogger(process.env.LOG ?? 'silent') });
const full = await listen(app, '127.0.0.1', 0);
/** AUTH=session: a user with an admin membership, logged in through the API. */
async function sessionToken(): Promise<string> {
  const email = 'bench@people.example';
  const password = 'correct horse battery staple';
  await withPlatform(db, async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email, passwordHash: await hashPassword(password) })
      .returning();
    await tx.insert(memberships).values({ tenantId: tenant!.id, userId: u!.id, role: 'admin' });
  });
  const res = await fetch(`${full.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await res.json()) as { token: string }).token;
}
const credential = process.env.AUTH === 'session' ? await sessionToken() : key;
const auth = {
  authorization: `Bearer ${credential}`,
  'content-type': 'application/json',
  // A session names its tenant by id, as the console does.
  ...(process.env.AUTH === 'session' ? { 'frontdesk-tenant': tenant!.id } : {}),
};
const create = (i: number) =>
  fetch(`${full.url}/v1/contacts`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: `F ${i}`, email: `f${i}@b.test` }),
  });
const list = () => fetch(`${full.url}/v1/contacts?limit=20`, { headers: auth });
for (let i = 0; i < 5; i++) {
  await (await create(i)).text();
  await (await list()).text();
}
for (const [name, f] of [
  ['list', list],
  ['create', () => create(99)],
] as const) {
  let r: Response | undefined;
  let txt = '';
  const sent = await statements.during(async () => {
    r = await f();
    txt = await r.text();
  });
  if (r!.status >= 400) console.log(txt);
  console.log(`--- ${engine} ${name} ${r!.status}: ${sent.length} calls`);
  for (const l of sent) console.log('  ', l.replace(/\s+/g, ' ').slice(0, Number(process.env.WIDTH ?? 160)));
}
// CPU: N sequential requests
const N = Number(process.env.N ?? 0);
if (N) {
  const t0 = performance.now();
  const timing = await statements.timed(async () => {
    for (let i = 0; i < N; i++) {
      await (await list()).text();
      await (await create(1000 + i)).text();
    }
  });
  for (const [k, v] of [...timing].sort((a, b) => b[1] - a[1]))
    console.log(`  ${(v / N).toFixed(2)} ms  ${k}`);
  console.log(`${N} list+create sequential: ${((performance.now() - t0) / N).toFixed(2)} ms per pair`);
}
// CPU profile of a concurrent load (PROFILE=list|create): what the process spends per request.
if (process.env.PROFILE) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const { load } = await import('./lib/http-load.js');
  const make = process.env.PROFILE === 'list' ? () => list() : (i: number) => create(10_000 + i);
  await load(make, 200, { concurrency: 4 });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const run = await load(make, 1000, { concurrency: 4 });
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(`/tmp/api-${engine}-${process.env.PROFILE}.cpuprofile`, JSON.stringify(profile));
  console.log(`${process.env.PROFILE}: ${Math.round((1000 / run.wallMs) * 1000)} req/s under the profiler`);
}
await full.close();
await target.drop();
process.exit(0);
