/**
 * Applies the SQL files in migrations/ in the order of drizzle-kit's journal, each recorded
 * with its checksum in `frontdesk_migrations`. One transaction for the whole run, under an
 * advisory lock, so running twice is a no-op and two processes starting at once take turns.
 * After the files, `frontdesk_secure_tenant_tables()` secures every tenant table (RLS, policy,
 * grants, triggers) so no table can be forgotten, and on Citus `frontdesk_distribute_tables()`
 * distributes every table not yet distributed (docs/scale-out.md; a no-op on other engines).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';
import type { Database, SqlConnection } from './database.js';

export const MIGRATIONS_DIR = `${packagePath('migrations')}/`;
/** Arbitrary but fixed: the advisory lock key that serialises migration runs. */
const MIGRATION_LOCK_KEY = 7_265_001;

export interface Migration {
  tag: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** A server without pgvector (or another extension the schema needs): what to do about it. */
export function missingExtensionHint(error: unknown): string | null {
  const message = (error as Error).message ?? '';
  const missing = /extension "(\w+)"/.exec(message)?.[1];
  if (!missing || !/is not available|could not open extension control file/.test(message)) return null;
  if (missing === 'vector') {
    return (
      `pgvector is not installed on this PostgreSQL server (${message}). Frontdesk needs it for the ` +
      'knowledge base: on Debian or Ubuntu run `sudo bash scripts/install-pgvector.sh`, or use a server ' +
      'image that ships it (e.g. pgvector/pgvector:pg16); then run `frontdesk migrate` again.'
    );
  }
  return `the PostgreSQL extension "${missing}" is not installed on this server (${message}); install it (it ships with PostgreSQL's contrib package) and run \`frontdesk migrate\` again.`;
}

/** The migrations shipped with this build, in order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(readFileSync(`${dir}/meta/_journal.json`, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const sql = readFileSync(`${dir}/${tag}.sql`, 'utf8');
      return { tag, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const createLedger = `
  CREATE TABLE IF NOT EXISTS frontdesk_migrations (
    tag text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

async function appliedChecksums(conn: Pick<SqlConnection, 'query'>): Promise<Map<string, string>> {
  const exists = await conn.query<{ ok: boolean }>(
    `SELECT to_regclass('public.frontdesk_migrations') IS NOT NULL AS ok`,
  );
  if (!exists[0]?.ok) return new Map();
  const rows = await conn.query<{ tag: string; checksum: string }>(
    'SELECT tag, checksum FROM frontdesk_migrations',
  );
  return new Map(rows.map((r) => [r.tag, r.checksum]));
}

function verifyHistory(migrations: Migration[], applied: Map<string, string>): void {
  for (const m of migrations) {
    const sum = applied.get(m.tag);
    if (sum !== undefined && sum !== m.checksum) {
      throw new MigrationError(
        `migration ${m.tag} was changed after it was applied; add a new migration instead`,
      );
    }
  }
  const known = new Set(migrations.map((m) => m.tag));
  const unknown = [...applied.keys()].filter((tag) => !known.has(tag));
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this build does not know: ${unknown.join(', ')} (newer Frontdesk?)`,
    );
  }
}

/** Applies pending migrations; returns the tags it applied (empty when up to date). */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<string[]> {
  return db.transaction(async (conn) => {
    await conn.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await conn.exec(createLedger);
    const applied = await appliedChecksums(conn);
    verifyHistory(migrations, applied);
    const pending = migrations.filter((m) => !applied.has(m.tag));
    for (const m of pending) {
      try {
        await conn.exec(m.sql);
      } catch (error) {
        throw new MigrationError(
          missingExtensionHint(error) ?? `migration ${m.tag} failed: ${(error as Error).message}`,
        );
      }
      await conn.query('INSERT INTO frontdesk_migrations (tag, checksum) VALUES ($1, $2)', [
        m.tag,
        m.checksum,
      ]);
    }
    if (pending.length > 0) await conn.query('SELECT frontdesk_secure_tenant_tables()');
    // Every run, not only when a migration was pending: a database migrated before its citus
    // extension was created gets distributed by the next `frontdesk migrate`.
    const [citus] = await conn.query<{ ready: boolean }>(
      `SELECT to_regproc('public.frontdesk_distribute_tables') IS NOT NULL
              AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS ready`,
    );
    if (citus?.ready) {
      await conn.query('SELECT frontdesk_distribute_tables()');
      await conn.query('SELECT frontdesk_citus_reference_locks()');
    }
    return pending.map((m) => m.tag);
  });
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  current: boolean;
}

/** What /readyz and `frontdesk doctor` report. */
export async function migrationStatus(db: Database, migrations = loadMigrations()): Promise<MigrationStatus> {
  const applied = await appliedChecksums(db);
  const pending = migrations.filter((m) => !applied.has(m.tag)).map((m) => m.tag);
  return { applied: [...applied.keys()].sort(), pending, current: pending.length === 0 };
}
