/** Names and URLs for test databases on a PostgreSQL server (or a Citus cluster's coordinator). */
import { type Database, openDatabase } from '../../src/platform/db/database.js';

/** One template per test run (by the run's process id), so two runs on one server never collide. */
export const templateDbName = (pid: number): string => `frontdesk_test_template_${pid}`;

/** `url` with its database replaced (default: the maintenance database `postgres`). */
export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The workers of a Citus cluster when `admin` (the `postgres` database of the server under test)
 * is its coordinator, as maintenance URLs; empty on a plain PostgreSQL server. The workers are
 * read from the coordinator's `postgres` database, where scripts/citus-cluster.sh registers them.
 */
export async function citusWorkerUrls(admin: Database, serverUrl: string): Promise<string[]> {
  const [loaded] = await admin.query<{ citus: boolean; ext: boolean }>(
    `SELECT current_setting('shared_preload_libraries') ~ 'citus' AS citus,
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS ext`,
  );
  if (!loaded?.citus) return [];
  if (!loaded.ext) {
    throw new Error(
      'Citus is loaded but the citus extension is missing in postgres: run scripts/citus-cluster.sh start',
    );
  }
  const nodes = await admin.query<{ nodename: string; nodeport: number }>(
    `SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport`,
  );
  if (nodes.length === 0)
    throw new Error('Citus coordinator without workers: run scripts/citus-cluster.sh start');
  return nodes.map(({ nodename, nodeport }) => {
    const u = new URL(adminUrl(serverUrl));
    u.hostname = nodename;
    u.port = String(nodeport);
    return u.toString();
  });
}

/** Shards per distributed table in test databases on Citus (Citus' default, 32, is for production). */
export const CITUS_TEST_SHARD_COUNT = 8;

/** Runs `fn` on a one-connection handle to `url`, then closes it. */
export async function onNode<T>(url: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ engine: 'postgres', url, poolSize: 1 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * Makes `name` a Frontdesk-ready database on a Citus cluster: created on the coordinator and
 * every worker, the citus and vector extensions in each, the workers registered. `migrate` then
 * distributes the tables (frontdesk_distribute_tables()).
 */
export async function createCitusDatabase(
  coordinatorUrl: string,
  workerUrls: string[],
  name: string,
): Promise<void> {
  const nodes = [coordinatorUrl, ...workerUrls];
  for (const node of nodes) {
    await onNode(adminUrl(node), (db) => db.exec(`CREATE DATABASE ${name}`));
    await onNode(adminUrl(node, name), (db) =>
      db.exec('SET client_min_messages = warning; CREATE EXTENSION citus; CREATE EXTENSION vector'),
    );
  }
  await onNode(adminUrl(coordinatorUrl, name), async (db) => {
    const c = new URL(coordinatorUrl);
    await db.query('SELECT citus_set_coordinator_host($1, $2)', [c.hostname, Number(c.port || 5432)]);
    for (const w of workerUrls) {
      const u = new URL(w);
      await db.query('SELECT citus_add_node($1, $2)', [u.hostname, Number(u.port || 5432)]);
    }
    await db.exec(`ALTER DATABASE ${name} SET citus.shard_count = ${CITUS_TEST_SHARD_COUNT}`);
  });
}

/**
 * A template database copied per test file must have no session on it; on Citus each node's
 * maintenance daemon and the other nodes' cached connections hold one. Closing it to new
 * connections and ending those sessions frees it (its copies accept connections as usual).
 */
export async function freezeTemplate(nodeUrls: string[], name: string): Promise<void> {
  for (const node of nodeUrls) {
    await onNode(adminUrl(node), (db) => db.exec(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
  }
  for (const node of nodeUrls) {
    await onNode(adminUrl(node), (db) =>
      db.query('SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1', [name]),
    );
  }
}
