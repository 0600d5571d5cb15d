/**
 * A migrated embedded database, made once and restored into every empty data folder.
 *
 * A new PGlite data folder costs an initdb and every migration (most of a first `npm start`:
 * seconds, tens of seconds on a busy machine). The first start that migrates an empty folder
 * also dumps it (PGlite `dumpDataDir`) to `node_modules/.cache/frontdesk/`; later starts on an
 * empty folder load that dump instead (`loadDataDir`) and migrate nothing. The file is named by
 * a key over every migration (tag and checksum, in order) and the versions of PGlite and its
 * extensions, so a changed migration or engine simply misses and a new snapshot is made: it
 * can never be stale. The demo data is not in it (the seed places upcoming stays around the real
 * today); the seed runs after the restore as it would after migrating.
 *
 * @example
 *   const { db, restored } = await openEmbeddedData(join(dataDir, 'pgdata'));
 *   await migrate(db);               // nothing to do when restored
 *   if (!restored) await saveSnapshot(db);
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type Database, openDatabase, PGLITE_EXTENSIONS } from './database.js';
import { loadMigrations } from './migrate.js';

/** Where snapshots are kept: the package's own cache folder (npm's convention for build caches). */
export const SNAPSHOT_DIR = fileURLToPath(
  new URL('../../../node_modules/.cache/frontdesk/', import.meta.url),
);

const require = createRequire(import.meta.url);
const versionOf = (pkg: string): string => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** The key of the snapshot this build would make: the migrations and the engine's versions. */
export function snapshotKey(): string {
  const hash = createHash('sha256');
  for (const m of loadMigrations()) hash.update(`${m.tag}:${m.checksum}\n`);
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'])
    hash.update(`${pkg}@${versionOf(pkg)}\n`);
  hash.update(Object.keys(PGLITE_EXTENSIONS).sort().join(','));
  return hash.digest('hex').slice(0, 24);
}

const snapshotFile = (dir: string) => join(dir, `pglite-migrated-${snapshotKey()}.tar`);

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
  const file = dir === null ? null : snapshotFile(dir);
  if (fresh && file && existsSync(file)) {
    mkdirSync(pgdata, { recursive: true });
    const pglite = await PGlite.create({
      dataDir: pgdata,
      loadDataDir: new Blob([readFileSync(file)]),
      extensions: PGLITE_EXTENSIONS,
    });
    return { db: await openDatabase({ engine: 'pglite', pglite }), fresh, restored: true };
  }
  return { db: await openDatabase({ engine: 'pglite', dataDir: pgdata }), fresh, restored: false };
}

/**
 * Dumps a just-migrated embedded database as this build's snapshot (written whole or not at
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
