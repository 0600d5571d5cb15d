/**
 * The migrated snapshot: an empty data folder filled from it is the same database as one
 * migrated from scratch (the catalog, the migrations ledger, and the demo data seeded on top),
 * and a snapshot made under another key is never used. Embedded engine only (the feature is).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../seed/index.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { openEmbeddedData, restoreTar, saveSnapshot, snapshotKey } from './snapshot.js';

const root = mkdtempSync(join(tmpdir(), 'frontdesk-snapshot-'));
const cache = join(root, 'cache');
const open: Database[] = [];
afterAll(async () => {
  for (const db of open) await db.close();
  rmSync(root, { recursive: true, force: true });
});

/** Everything the migrations create, as sorted lines (relations with RLS flags, columns, policies, functions, indexes, triggers, grants). */
async function catalog(db: Database): Promise<string[]> {
  const rows = await db.query<{ line: string }>(`
    WITH ns AS (SELECT oid, nspname FROM pg_namespace
                 WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%')
    SELECT format('rel %s.%s %s rls=%s force=%s acl=%s', ns.nspname, c.relname, c.relkind,
                  c.relrowsecurity, c.relforcerowsecurity, c.relacl) AS line
      FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
    UNION ALL
    SELECT format('col %s.%s.%s %s null=%s default=%s', table_schema, table_name, column_name,
                  data_type, is_nullable, column_default)
      FROM information_schema.columns WHERE table_schema IN (SELECT nspname FROM ns)
    UNION ALL
    SELECT format('policy %s.%s.%s %s %s %s %s', schemaname, tablename, policyname, cmd, roles, qual, with_check)
      FROM pg_policies
    UNION ALL
    SELECT format('fn %s.%s(%s) %s', ns.nspname, p.proname, pg_get_function_arguments(p.oid), md5(p.prosrc))
      FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    UNION ALL
    SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname IN (SELECT nspname FROM ns)
    UNION ALL
    SELECT format('trigger %s on %s', tgname, tgrelid::regclass) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT format('role %s login=%s bypass=%s', rolname, rolcanlogin, rolbypassrls) FROM pg_roles
    UNION ALL
    SELECT format('ext %s %s', extname, extversion) FROM pg_extension
  `);
  return rows.map((r) => r.line).sort();
}

const ledger = (db: Database) =>
  db.query<{ tag: string; checksum: string }>('SELECT tag, checksum FROM frontdesk_migrations ORDER BY tag');

/** Row counts of every table in public (the demo data). */
async function rowCounts(db: Database): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`))[0]!.n;
  }
  return counts;
}

describe('the migrated snapshot', () => {
  it('fills an empty data folder with the same database as migrating from scratch', async () => {
    const first = await openEmbeddedData(join(root, 'a'), cache);
    open.push(first.db);
    expect(first).toMatchObject({ fresh: true, restored: false });
    expect((await migrate(first.db)).length).toBeGreaterThan(0);
    const file = await saveSnapshot(first.db, cache);
    expect(file).toContain(snapshotKey());

    const second = await openEmbeddedData(join(root, 'b'), cache);
    open.push(second.db);
    expect(second).toMatchObject({ fresh: true, restored: true });
    expect(await migrate(second.db)).toEqual([]); // nothing left to apply

    expect(await catalog(second.db)).toEqual(await catalog(first.db));
    expect(await ledger(second.db)).toEqual(await ledger(first.db));

    await seedDemoIfEmpty(first.db);
    await seedDemoIfEmpty(second.db);
    const counts = await rowCounts(first.db);
    expect(counts.tenants).toBeGreaterThan(0);
    expect(await rowCounts(second.db)).toEqual(counts);
  }, 300_000);

  it('ignores a snapshot made under another key (other migrations or engine)', async () => {
    const other = join(root, 'other-cache');
    mkdirSync(other);
    const [made] = readdirSync(cache);
    copyFileSync(join(cache, made!), join(other, 'pglite-migrated-000000000000000000000000.tar'));
    const fresh = await openEmbeddedData(join(root, 'c'), other);
    open.push(fresh.db);
    expect(fresh).toMatchObject({ fresh: true, restored: false });
  }, 300_000);

  it('restores a folder whole or not at all: a truncated or altered archive writes nothing', () => {
    const [made] = readdirSync(cache);
    const tar = readFileSync(join(cache, made!));
    const whole = join(root, 'whole', 'pgdata');
    restoreTar(tar, whole);
    expect(readFileSync(join(whole, 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);

    const truncated = join(root, 'truncated', 'pgdata');
    expect(() => restoreTar(tar.subarray(0, 1 << 20), truncated)).toThrow(/end of the archive/);
    const altered = Buffer.from(tar);
    altered[0] = altered[0]! ^ 1; // the first header's name: its checksum no longer matches
    const corrupt = join(root, 'corrupt', 'pgdata');
    expect(() => restoreTar(altered, corrupt)).toThrow(/checksum/);
    // A folder that holds anything at all is never replaced: the restore refuses, its files stay.
    const occupied = join(root, 'occupied', 'pgdata');
    mkdirSync(occupied, { recursive: true });
    writeFileSync(join(occupied, 'notes.txt'), 'mine');
    expect(() => restoreTar(tar, occupied)).toThrow(/ENOTEMPTY|not empty/);
    expect(readdirSync(occupied)).toEqual(['notes.txt']);
    expect(existsSync(`${occupied}.restoring-${process.pid}`)).toBe(false);
    for (const dir of [truncated, corrupt]) {
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(`${dir}.restoring-${process.pid}`)).toBe(false);
    }
  });
});
