/**
 * A prepared embedded database, made once per build and restored into every empty data folder.
 *
 * A new PGlite data folder costs an initdb, every migration, the demo seed and pg-boss's schema
 * (most of a first `npm start`: seconds, tens of seconds on a busy machine). The snapshot holds
 * all of that (what goes in is decided by the caller: src/cli/first-start.ts), dumped with PGlite
 * `dumpDataDir` to `node_modules/.cache/frontdesk/`, made at install (`npm run build:snapshot`,
 * part of `prepare`) or by the first start that prepares an empty folder in place. Later starts on
 * an empty folder load it (`loadDataDir`) instead. The file is named by a key over every migration
 * (tag and checksum, in order), the demo seed's sources, and the versions of PGlite, its
 * extensions and pg-boss, so a changed migration, seed or engine simply misses and a new snapshot
 * is made: it can never be stale. Nothing secret is in it: the first start gives each folder its
 * own demo secrets after the restore (src/seed/personal.ts).
 *
 * @example
 *   const { db, restored } = await openEmbeddedData(join(dataDir, 'pgdata'));
 *   await migrate(db);               // nothing to do when restored
 *   if (!restored) await saveSnapshot(db);
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { packagePath } from '../paths.js';
import { type Database, openDatabase, PGLITE_EXTENSIONS, pgliteOptions } from './database.js';
import { loadMigrations } from './migrate.js';

/** Where snapshots are kept: the package's own cache folder (npm's convention for build caches). */
export const SNAPSHOT_DIR = `${packagePath('node_modules', '.cache', 'frontdesk')}/`;

const require = createRequire(import.meta.url);
const versionOf = (pkg: string): string => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** The demo seed's sources: their content is the seed's version (read as files, not imported). */
const SEED_DIR = `${packagePath('src', 'seed')}/`;

/**
 * The key of the snapshot this build would make: the migrations, the demo seed's sources and
 * the versions of the engine and the job queue (whose schema is in the snapshot).
 */
export function snapshotKey(): string {
  const hash = createHash('sha256');
  for (const m of loadMigrations()) hash.update(`${m.tag}:${m.checksum}\n`);
  for (const file of readdirSync(SEED_DIR).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    hash
      .update(`seed/${file}:`)
      .update(readFileSync(join(SEED_DIR, file)))
      .update('\n');
  }
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector', 'pg-boss'])
    hash.update(`${pkg}@${versionOf(pkg)}\n`);
  hash.update(Object.keys(PGLITE_EXTENSIONS).sort().join(','));
  return hash.digest('hex').slice(0, 24);
}

/** The snapshot file this build would use in `dir`. */
export const snapshotFile = (dir: string) => join(dir, `pglite-prepared-${snapshotKey()}.tar`);

/** Whether a PGlite data folder holds a database already. */
export const hasDatabase = (pgdata: string): boolean => existsSync(join(pgdata, 'PG_VERSION'));

/**
 * Opens the embedded database in `pgdata`; an empty folder is filled from this build's snapshot
 * when there is one (`restored: true`).
 */
export async function openEmbeddedData(
  pgdata: string,
  /** The snapshot folder; null never restores (the doctor inspects a folder as it is). */
  dir: string | null = SNAPSHOT_DIR,
): Promise<{ db: Database; fresh: boolean; restored: boolean }> {
  const fresh = !hasDatabase(pgdata);
  // The key reads every migration and the seed's sources: only an empty folder needs it.
  const file = fresh && dir !== null ? snapshotFile(dir) : null;
  if (file && existsSync(file)) {
    mkdirSync(pgdata, { recursive: true });
    try {
      const pglite = await PGlite.create(
        pgliteOptions({ dataDir: pgdata, loadDataDir: new Blob([readFileSync(file)]) }),
      );
      return { db: await openDatabase({ engine: 'pglite', pglite }), fresh, restored: true };
    } catch {
      // A damaged file (a truncated copy): the folder is made the normal way, and its
      // snapshot replaces the damaged one.
      rmSync(pgdata, { recursive: true, force: true });
    }
  }
  return { db: await openDatabase({ engine: 'pglite', dataDir: pgdata }), fresh, restored: false };
}

/**
 * Dumps a just-prepared embedded database (nothing else may write to it meanwhile) as this build's snapshot (written whole or not at
 * all). Returns the file, or null when the cache folder is not writable (the start goes on).
 */
export async function saveSnapshot(db: Database, dir: string = SNAPSHOT_DIR): Promise<string | null> {
  if (!db.pglite) throw new Error('only an embedded database has a snapshot');
  const file = snapshotFile(dir);
  try {
    mkdirSync(dir, { recursive: true });
    const dump = await db.pglite.dumpDataDir('none');
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return file;
  } catch {
    return null;
  }
}
