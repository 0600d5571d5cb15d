/**
 * A fresh, migrated database for each test file, on the engine the run targets.
 * @example
 *   const t = useTestDatabase();
 *   it('…', async () => { await withTenant(t.db, tenantId, …) });
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Database, openDatabase, PGLITE_EXTENSIONS, type Tx } from '../../src/platform/db/database.js';
import { adminUrl } from './server.js';

export interface TestDatabase {
  db: Database;
  /** Connection string of this file's database (server engine only). */
  url: string | undefined;
  close(): Promise<void>;
}

export const serverUrl = (): string => inject('serverUrl');
export const onServer = (): boolean => serverUrl() !== '';
/** Maintenance URLs of the Citus workers when the run targets a Citus coordinator, else empty. */
export const citusWorkers = (): string[] => inject('citusWorkers');
export const onCitus = (): boolean => citusWorkers().length > 0;

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  if (!server) {
    const blob = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const pglite = await PGlite.create({ loadDataDir: blob, extensions: PGLITE_EXTENSIONS });
    const db = await openDatabase({ engine: 'pglite', pglite });
    return { db, url: undefined, close: () => db.close() };
  }
  const name = `frontdesk_test_${randomBytes(6).toString('hex')}`;
  // On Citus the template exists on the coordinator and every worker: copy it on each node.
  const admins = await Promise.all(
    [server, ...citusWorkers()].map((node) =>
      openDatabase({ engine: 'postgres', url: adminUrl(node), poolSize: 1 }),
    ),
  );
  for (const admin of admins) await createFromTemplate(admin, name);
  const url = adminUrl(server, name);
  const db = await openDatabase({ engine: 'postgres', url });
  return {
    db,
    url,
    async close() {
      await db.close();
      await dropDatabase(admins, name);
      for (const admin of admins) await admin.close();
    },
  };
}

/** CREATE DATABASE … TEMPLATE fails while another file is copying the same template: retry. */
async function createFromTemplate(admin: Database, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${inject('serverTemplate')}`);
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

/**
 * DROP DATABASE … WITH (FORCE) on every node. On Citus each node's maintenance daemon and the other
 * nodes' cached connections are connected to it (FORCE does not end a background worker): close
 * it to new connections on every node, end those sessions, then drop (retried briefly).
 */
async function dropDatabase(admins: Database[], name: string): Promise<void> {
  if (admins.length > 1) {
    for (const admin of admins)
      await admin.exec(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`).catch(() => {});
    for (const admin of admins) {
      await admin.query('SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1', [
        name,
      ]);
    }
  }
  for (const admin of admins) {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        break;
      } catch (error) {
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await admin.query(
          'SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
      }
    }
  }
}

/** Registers beforeAll/afterAll hooks that give the file its own database. */
export function useTestDatabase(): { readonly db: Database; readonly url: string | undefined } {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.close();
  });
  return {
    get db() {
      if (!current) throw new Error('test database not ready: use it inside a test or hook');
      return current.db;
    },
    get url() {
      return current?.url;
    },
  };
}

/**
 * One transaction as the database owner, for tests that set up or inspect rows of any tenant
 * (the owner is a superuser on every test engine, so RLS does not filter it). The application
 * has no such path: the platform role reaches only the tables platform work needs
 * (migrations/0016_platform_role.sql).
 */
export function withOwner<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.scoped('SELECT 1', fn);
}

/** The SQL texts node-postgres clients send while `fn` runs (what a server engine's round trips carry). */
export async function sentTexts(fn: () => Promise<unknown>): Promise<string[]> {
  const texts: string[] = [];
  const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
    const q = a[0] as string | { text: string };
    texts.push(typeof q === 'string' ? q : q.text);
    return query.apply(this, a);
  } as never;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = query as never;
  }
  return texts;
}
