/**
 * A prepared embedded database, made once per build and restored into every empty data folder.
 *
 * A new PGlite data folder costs an initdb, every migration, the demo seed and pg-boss's schema
 * (most of a first `npm start`: seconds, tens of seconds on a busy machine). The snapshot holds
 * all of that (what goes in is decided by the caller: src/cli/first-start.ts), dumped with PGlite
 * `dumpDataDir` to `node_modules/.cache/frontdesk/`, made at install (`npm run build:snapshot`,
 * part of `prepare`) or by the first start that prepares an empty folder in place. Later starts on
 * an empty folder extract it (`restoreTar`) instead. The file is named by a key over every migration
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
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packagePath } from '../paths.js';
import { type Database, openDatabase, PGLITE_EXTENSIONS } from './database.js';
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
    try {
      restoreTar(readFileSync(file), pgdata);
      return { db: await openDatabase({ engine: 'pglite', dataDir: pgdata }), fresh, restored: true };
    } catch {
      // A damaged file (a truncated copy): the folder is made the normal way, and its
      // snapshot replaces the damaged one.
      rmSync(pgdata, { recursive: true, force: true });
    }
  }
  return { db: await openDatabase({ engine: 'pglite', dataDir: pgdata }), fresh, restored: false };
}

/**
 * Writes the data folder held in a snapshot (PGlite `dumpDataDir`: an uncompressed ustar archive
 * of the folder's directories and files) into `pgdata`, whole or not at all: the archive is
 * checked first (every header's checksum, every file inside the archive, its end marker), then
 * extracted into a sibling folder that is renamed into place.
 *
 * PGlite's own `loadDataDir` does the same through its WebAssembly file system: the archive
 * copied twice into Blobs, then every file written through Emscripten's FS layer, which took 3–6
 * s of an empty folder's first start; this takes a fraction of a second (docs/operations.md).
 */
export function restoreTar(tar: Uint8Array, pgdata: string): void {
  const BLOCK = 512;
  const text = (at: number, length: number) => {
    const bytes = tar.subarray(at, at + length);
    const end = bytes.indexOf(0);
    return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
  };
  const octal = (at: number, length: number) => Number.parseInt(text(at, length).trim() || '0', 8);
  const entries: Array<{ path: string; dir: boolean; mode: number; data: Uint8Array }> = [];
  let at = 0;
  for (;;) {
    if (at + BLOCK > tar.length) throw new Error('snapshot: unexpected end of the archive');
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break; // the end marker
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (sum !== octal(at + 148, 8)) throw new Error('snapshot: a header checksum does not match');
    const prefix = text(at + 345, 155);
    const name = prefix ? `${prefix}/${text(at, 100)}` : text(at, 100);
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0 || parts.includes('..')) throw new Error(`snapshot: bad entry name ${name}`);
    const type = String.fromCharCode(header[156]!);
    const size = octal(at + 124, 12);
    const mode = octal(at + 100, 8) & 0o777;
    at += BLOCK;
    if (type === '5') entries.push({ path: join(...parts), dir: true, mode, data: new Uint8Array() });
    else if (type === '0' || type === '\0') {
      if (at + size > tar.length) throw new Error('snapshot: unexpected end of the archive');
      entries.push({ path: join(...parts), dir: false, mode, data: tar.subarray(at, at + size) });
      at += Math.ceil(size / BLOCK) * BLOCK;
    } else throw new Error(`snapshot: unexpected entry type ${type} (${name})`);
  }
  if (!entries.some((e) => e.path === 'PG_VERSION')) throw new Error('snapshot: no PG_VERSION');
  const staging = `${pgdata}.restoring-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    for (const e of entries) {
      const target = join(staging, e.path);
      if (e.dir) mkdirSync(target, { recursive: true, mode: e.mode || 0o700 });
      else {
        mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
        writeFileSync(target, e.data, { mode: e.mode || 0o600 });
      }
    }
    // The folder has no database (`fresh`); if it exists it must be empty: rmdir refuses
    // otherwise, and the start then prepares the folder in place without touching its files.
    if (existsSync(pgdata)) rmdirSync(pgdata);
    renameSync(staging, pgdata);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
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
