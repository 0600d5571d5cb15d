/**
 * The first `frontdesk start` on an embedded data folder, and the snapshot that makes it fast.
 *
 * What every new embedded database gets before it serves: the migrations, the demo seed, and
 * pg-boss's schema with Frontdesk's queues (`prepareDatabase`). That is the same for every
 * install of a build, so it is made once into a snapshot (src/platform/db/snapshot.ts) — at
 * install (`buildSnapshot`, scripts/build-snapshot.ts) or by the first start that prepares a
 * folder in place — and restored into every later empty folder. After either, the folder gets
 * what must be its own (`personalize`): fresh demo secrets and today's upcoming stays
 * (src/seed/personal.ts), then one demo owner API key per demo tenant, printed once.
 */
import { createApiKey } from '../domains/identity/api-keys.js';
import { tenantBySlug } from '../domains/tenancy/lookup.js';
import { createJobs } from '../jobs.js';
import { systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { type Database, openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { saveSnapshot } from '../platform/db/snapshot.js';
import { withTenant } from '../platform/db/tenant.js';
import type { Logger } from '../platform/logger.js';
import type { Runtime } from '../runtime.js';
import { DEMO_TENANTS, type SeedSummary, seedDemoIfEmpty } from '../seed/index.js';
import { personalizeDemo } from '../seed/personal.js';

export interface DemoKey {
  slug: string;
  key: string;
}

/**
 * Migrates, seeds the demo (when there is no tenant) and installs the job queue's schema and
 * queues, with nothing else writing: the state the snapshot holds. Returns the seed's summary.
 */
export async function prepareDatabase(
  db: Database,
  platform: { config: Config; logger: Logger },
): Promise<{ applied: string[]; demo: SeedSummary | null }> {
  const applied = await migrate(db);
  const demo = await seedDemoIfEmpty(db);
  // A quiet pg-boss (no maintenance timer, no cron): installs its schema and our queues, stops.
  const installer = createJobs(
    { db, clock: systemClock, ...platform },
    { schedule: false, supervise: false },
  );
  await installer.start();
  await installer.stop();
  return { applied, demo };
}

/** Makes this build's snapshot in `dir` from an in-memory database; returns the file (null: not writable). */
export async function buildSnapshot(
  dir: string | undefined,
  config: Config,
  logger: Logger,
): Promise<string | null> {
  const db = await openDatabase({ engine: 'pglite' });
  try {
    await prepareDatabase(db, { config, logger });
    return await saveSnapshot(db, dir);
  } finally {
    await db.close();
  }
}

/**
 * Brings the runtime's database to where a start can serve it: an embedded folder that was empty
 * is prepared in place (and kept as the snapshot) or was restored from the snapshot, then gets
 * its own demo secrets and keys; an existing database is migrated. Returns the demo keys to print.
 */
export async function readyDatabase(runtime: Runtime, config: Config, logger: Logger): Promise<DemoKey[]> {
  const db = runtime.db;
  const embedded = runtime.embedded;
  let seeded: string[] = [];
  if (embedded?.fresh && !embedded.restored) {
    const { applied, demo } = await prepareDatabase(db, { config, logger });
    logger.info({ applied }, 'migrations applied');
    seeded = created(demo);
    const file = await saveSnapshot(db, config.snapshotDir);
    if (file) logger.info({ file }, 'prepared snapshot saved (later empty data folders restore it)');
  } else {
    const applied = await migrate(db); // a restored snapshot: verifies the ledger, applies nothing
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (embedded?.restored) {
      logger.info('empty data folder filled from the prepared snapshot');
      seeded = DEMO_TENANTS.map((t) => t.slug);
    } else if (db.engine === 'pglite') {
      // An embedded database without any tenant (they were all removed) gets the demo again.
      seeded = created(await seedDemoIfEmpty(db));
    }
  }
  if (seeded.length === 0) return [];
  logger.info({ tenants: seeded }, 'demo data seeded (empty database)');
  await personalizeDemo(db, { tenants: seeded, passwords: !!embedded?.fresh, keyring: config.secrets });
  return createDemoKeys(db, seeded);
}

const created = (demo: SeedSummary | null): string[] =>
  demo ? demo.tenants.filter((t) => t.status === 'created').map((t) => t.slug) : [];

/** One owner key per demo tenant, so the quick start can call the API at once. */
async function createDemoKeys(db: Database, slugs: string[]): Promise<DemoKey[]> {
  const keys: DemoKey[] = [];
  for (const slug of slugs) {
    const tenant = await tenantBySlug(db, slug);
    if (!tenant) continue;
    const { key } = await withTenant(db, tenant.id, (tx) =>
      createApiKey(tx, tenant.id, { name: 'Demo key (printed at first start)', role: 'owner' }),
    );
    keys.push({ slug, key });
  }
  return keys;
}
