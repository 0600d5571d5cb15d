/** A fresh, migrated database per suite and engine, and the facts about the machine it ran on. */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { type Database, type Engine, openDatabase } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { citusWorkerUrls, createCitusDatabase, onNode } from '../../test/helpers/server.js';

export interface BenchDatabase {
  db: Database;
  url?: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function freshDatabase(
  engine: Engine,
  serverUrl: string,
  { migrated = true, poolSize = 4 }: { migrated?: boolean; poolSize?: number } = {},
): Promise<BenchDatabase> {
  if (engine === 'pglite') {
    const db = await openDatabase({ engine: 'pglite' });
    if (migrated) await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `frontdesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({
    engine: 'postgres',
    url: withDatabase(serverUrl, 'postgres'),
    poolSize: 1,
  });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const db = await openDatabase({ engine: 'postgres', url, poolSize });
  if (migrated) await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      // BENCH_KEEP=1 keeps the database for a look at its plans (EXPLAIN) after the run.
      if (process.env.BENCH_KEEP) {
        console.log(`kept database ${name}`);
        return admin.close();
      }
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

export function machine() {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/**
 * A fresh, migrated database on a Citus cluster whose coordinator is at `coordinatorUrl`: created
 * on every node with the extensions and the workers registered (as the test harness does), with
 * `shards` shards per distributed table (BENCH_CITUS_SHARDS, default 32, Citus' own default).
 */
export async function freshCitusDatabase(coordinatorUrl: string): Promise<BenchDatabase> {
  const name = `frontdesk_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({
    engine: 'postgres',
    url: withDatabase(coordinatorUrl, 'postgres'),
    poolSize: 1,
  });
  const workers = await citusWorkerUrls(admin, coordinatorUrl);
  await createCitusDatabase(coordinatorUrl, workers, name);
  const shards = Number(process.env.BENCH_CITUS_SHARDS ?? 32);
  await admin.exec(`ALTER DATABASE ${name} SET citus.shard_count = ${shards}`);
  const url = withDatabase(coordinatorUrl, name);
  const db = await openDatabase({ engine: 'postgres', url, poolSize: 4 });
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      if (process.env.BENCH_KEEP) {
        console.log(`kept database ${name} on every node`);
        return admin.close();
      }
      await admin.close();
      for (const node of [coordinatorUrl, ...workers]) {
        await onNode(withDatabase(node, 'postgres'), (d) =>
          d.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
        );
      }
    },
  };
}
