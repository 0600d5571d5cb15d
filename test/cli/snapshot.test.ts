/**
 * The first `frontdesk start` on an empty embedded data folder, prepared in place or restored
 * from the prepared snapshot (src/cli/first-start.ts, src/platform/db/snapshot.ts), as a user
 * runs it: real processes, each with its own data folder, sharing one snapshot folder.
 *
 * - The restored folder is the same database as the one migrated and seeded in place: the
 *   catalog (tables, columns, constraints, policies, functions, indexes, triggers, grants, pg-boss
 *   included), the migrations ledger, and every row, modulo the secrets.
 * - The secrets are each folder's own (password salts, webhook secrets, widget keys, invitation
 *   tokens, the printed API keys), and none of the first folder's is in the snapshot file.
 * - A snapshot under another key (other migrations, seed or engine) or a damaged one is not used.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../src/domains/identity/passwords.js';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { snapshotFile } from '../../src/platform/db/snapshot.js';
import { PROPERTIES } from '../../src/seed/hospitality-content.js';
import { DEMO_PASSWORD } from '../../src/seed/index.js';
import { type StartedServer, startServer } from '../helpers/cli.js';

// Cold processes on fresh embedded databases: minutes on a busy machine.
vi.setConfig({ testTimeout: 600_000 });

const root = mkdtempSync(join(tmpdir(), 'frontdesk-snapshot-cli-'));
const cache = join(root, 'cache');
const running: StartedServer[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** One first start on `folder` with `snapshots` as the snapshot folder: its output and printed keys. */
async function firstStart(folder: string, snapshots = cache) {
  // No workers: the database stays as the first start made it (no job runs meanwhile).
  const server = await startServer(
    {
      FRONTDESK_DATA_DIR: join(root, folder),
      FRONTDESK_SNAPSHOT_DIR: snapshots,
      FRONTDESK_WORKERS: 'false',
      LOG_LEVEL: 'info',
    },
    300_000,
  );
  running.push(server);
  const printed = () => [...server.output().matchAll(/^ {4}(\S+) +(fd_\S+)$/gm)];
  // The keys are printed just after the URL.
  await vi.waitFor(() => expect(printed()).toHaveLength(5), { timeout: 30_000 });
  const keys = Object.fromEntries(printed().map((m) => [m[1], m[2]]));
  // Each printed key is a working owner key of its tenant on this folder.
  const res = await fetch(`${server.url}/v1/contacts`, {
    headers: { authorization: `Bearer ${keys.parcelpoint}` },
  });
  expect(res.status).toBe(200);
  expect(await server.stop()).toBe(0);
  const output = server.output();
  return { keys, output, restored: output.includes('empty data folder filled from the prepared snapshot') };
}

const open = async (folder: string): Promise<Database> =>
  openDatabase({ engine: 'pglite', dataDir: join(root, folder, 'pgdata') });

/** Everything the migrations and pg-boss create, as sorted lines. */
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
    SELECT format('constraint %s on %s: %s', conname, conrelid::regclass, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace IN (SELECT oid FROM ns)
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

/** Columns that hold a folder's own secrets, or rows made per folder at its first start. */
const SECRET_COLUMNS: Record<string, string[]> = {
  users: ['password_hash'],
  webhook_endpoints: ['secret'],
  channels: ['widget_key'],
  invitations: ['token_hash'],
};
/** Made per start, not by the seed: the demo API keys. */
const PER_START = new Set(['api_keys']);

/** Every row of every table in public and pgboss.queue/schedule, secrets masked, as sorted JSON lines. */
async function contents(db: Database): Promise<Record<string, string[]>> {
  const tables = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    if (PER_START.has(name)) continue;
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM "${name}"`);
    out[name] = rows
      .map((r) => {
        // A secret given at the first start also moved its row's updated_at (the trigger).
        for (const c of SECRET_COLUMNS[name] ?? []) if (r[c] !== null) r[c] = r.updated_at = '<secret>';
        return JSON.stringify(r);
      })
      .sort();
  }
  for (const t of ['queue', 'schedule']) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM pgboss.${t} ORDER BY name`);
    out[`pgboss.${t}`] = rows.map(({ created_on: _c, updated_on: _u, ...r }) => JSON.stringify(r));
  }
  return out;
}

/** The secret values of a folder, by column. */
async function secrets(db: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, cols] of Object.entries(SECRET_COLUMNS)) {
    for (const c of cols) {
      const rows = await db.query<{ v: string }>(
        `SELECT "${c}" AS v FROM "${table}" WHERE "${c}" IS NOT NULL ORDER BY id`,
      );
      out[`${table}.${c}`] = rows.map((r) => r.v);
    }
  }
  return out;
}

/** Whether a property's local date (or the UTC date) differs between two instants. */
function dateChanged(from: Date, to: Date): boolean {
  return ['UTC', ...PROPERTIES.map((p) => p.tz)].some(
    (timeZone) =>
      from.toLocaleDateString('en-CA', { timeZone }) !== to.toLocaleDateString('en-CA', { timeZone }),
  );
}

describe('the first start on an empty embedded data folder', () => {
  let a: Awaited<ReturnType<typeof firstStart>>;
  let b: Awaited<ReturnType<typeof firstStart>>;
  let started: Date;
  let finished: Date;

  it('prepares the first folder in place and keeps it as the snapshot; the next empty folder restores it', async () => {
    started = new Date();
    a = await firstStart('a');
    expect(a.restored).toBe(false);
    expect(readdirSync(cache)).toEqual([snapshotFile(cache).split('/').at(-1)]);
    b = await firstStart('b');
    finished = new Date();
    expect(b.restored).toBe(true);
    expect(Object.keys(b.keys).sort()).toEqual(Object.keys(a.keys).sort());
    expect(Object.keys(a.keys)).toHaveLength(5);
  });

  it('gives the same database as migrating and seeding: catalog, ledger and rows modulo secrets', async () => {
    const [da, db] = [await open('a'), await open('b')];
    try {
      expect(await catalog(db)).toEqual(await catalog(da));
      const ledger = (d: Database) => d.query('SELECT tag, checksum FROM frontdesk_migrations ORDER BY tag');
      expect(await ledger(db)).toEqual(await ledger(da));
      const [ca, cb] = [await contents(da), await contents(db)];
      expect(ca.tenants).toHaveLength(5);
      expect(ca.reservations!.length).toBeGreaterThan(0);
      // The upcoming stays are placed around each start's today: two starts either side of a
      // midnight (UTC or a property's) rightly differ there, and only there.
      if (dateChanged(started, finished)) {
        expect(cb.reservations).toHaveLength(ca.reservations!.length);
        delete ca.reservations;
        delete cb.reservations;
      }
      expect(cb).toEqual(ca);
    } finally {
      await da.close();
      await db.close();
    }
  });

  it('gives each folder its own secrets, none of which is in the snapshot', async () => {
    const [da, db] = [await open('a'), await open('b')];
    try {
      const [sa, sb] = [await secrets(da), await secrets(db)];
      const snapshot = readFileSync(snapshotFile(cache));
      for (const [column, values] of Object.entries(sa)) {
        expect(values.length, column).toBeGreaterThan(0);
        expect(sb[column]!.length, column).toBe(values.length);
        for (const [i, v] of values.entries()) {
          expect(sb[column]![i], column).not.toBe(v);
          expect(snapshot.includes(v), `${column} of folder a is in the snapshot`).toBe(false);
        }
      }
      expect(sa['webhook_endpoints.secret']!.join()).not.toMatch(/whsec_demo/);
      for (const hash of [
        ...sa['users.password_hash']!.slice(0, 2),
        ...sb['users.password_hash']!.slice(0, 2),
      ])
        expect(await verifyPassword(hash, DEMO_PASSWORD)).toBe(true);
      for (const slug of Object.keys(a.keys)) expect(b.keys[slug]).not.toBe(a.keys[slug]);
    } finally {
      await da.close();
      await db.close();
    }
  });

  it('does not use a snapshot made under another key, nor a damaged one', async () => {
    const other = join(root, 'other-cache');
    mkdirSync(other);
    copyFileSync(snapshotFile(cache), join(other, 'pglite-prepared-000000000000000000000000.tar'));
    const stale = await firstStart('c', other);
    expect(stale.restored).toBe(false);
    expect(readdirSync(other)).toContain(snapshotFile(other).split('/').at(-1));

    const damaged = join(root, 'damaged-cache');
    mkdirSync(damaged);
    writeFileSync(snapshotFile(damaged), readFileSync(snapshotFile(cache)).subarray(0, 1 << 20));
    const d = await firstStart('d', damaged);
    expect(d.restored).toBe(false);
    // The damaged file was replaced by this start's own snapshot.
    expect(readFileSync(snapshotFile(damaged)).length).toBeGreaterThan(1 << 20);
  });
});
