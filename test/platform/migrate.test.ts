/** Migrations: applied in order and recorded, idempotent, safe when two runners start at once. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { loadMigrations, MigrationError, migrate, migrationStatus } from '../../src/platform/db/migrate.js';
import { runCli } from '../helpers/cli.js';
import { onServer, serverUrl } from '../helpers/db.js';
import { adminUrl } from '../helpers/server.js';

/** An empty database (not from the migrated template) on this run's engine. */
async function emptyDatabase(): Promise<{
  open: () => Promise<Database>;
  url?: string;
  drop: () => Promise<void>;
}> {
  if (!onServer()) {
    const db = await openDatabase({ engine: 'pglite' });
    return { open: async () => db, drop: () => db.close() };
  }
  const name = `frontdesk_migrate_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ engine: 'postgres', url: adminUrl(serverUrl()), poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = adminUrl(serverUrl(), name);
  const opened: Database[] = [];
  return {
    url,
    open: async () => {
      const db = await openDatabase({ engine: 'postgres', url, poolSize: 2 });
      opened.push(db);
      return db;
    },
    drop: async () => {
      for (const db of opened) await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

describe('migrate', () => {
  it('applies every migration once, in journal order, and a second run does nothing', async () => {
    const target = await emptyDatabase();
    try {
      const db = await target.open();
      const all = loadMigrations().map((m) => m.tag);
      expect(await migrate(db)).toEqual(all);
      expect(await migrate(db)).toEqual([]);
      expect(await migrationStatus(db)).toEqual({ applied: [...all].sort(), pending: [], current: true });
    } finally {
      await target.drop();
    }
  });

  it('two runners starting at once: one applies, the other finds nothing to do', async () => {
    const target = await emptyDatabase();
    try {
      const [a, b] = [await target.open(), await target.open()];
      const results = await Promise.all([migrate(a), migrate(b)]);
      const all = loadMigrations().map((m) => m.tag);
      expect(results.map((r) => r.length).sort((x, y) => x - y)).toEqual([0, all.length]);
      expect((await migrationStatus(a)).current).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const target = await emptyDatabase();
    try {
      const db = await target.open();
      const migrations = loadMigrations();
      await migrate(db, migrations);
      const tampered = migrations.map((m, i) => (i === 1 ? { ...m, checksum: 'different' } : m));
      await expect(migrate(db, tampered)).rejects.toThrow(MigrationError);
      await expect(migrate(db, tampered)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await target.drop();
    }
  });

  it('refuses to run against a database migrated by a newer build', async () => {
    const target = await emptyDatabase();
    try {
      const db = await target.open();
      await migrate(db);
      await db.query(`INSERT INTO frontdesk_migrations (tag, checksum) VALUES ('9999_future', 'x')`);
      await expect(migrate(db)).rejects.toThrow(/migrations this build does not know: 9999_future/);
    } finally {
      await target.drop();
    }
  });

  // Two OS processes can share a server database; on the embedded engine the data-folder lock
  // makes a second process fail instead (covered in test/cli/start.test.ts).
  if (onServer()) {
    it('two `frontdesk migrate` processes at once against the same server database', async () => {
      const target = await emptyDatabase();
      try {
        const env = { DATABASE_URL: target.url! };
        const [a, b] = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
        expect([a.code, b.code]).toEqual([0, 0]);
        const outputs = [a.stdout, b.stdout].sort();
        expect(outputs[0]).toMatch(/^applied \d+ migration/);
        expect(outputs[1]).toBe('database is up to date\n');
      } finally {
        await target.drop();
      }
    });
  }
});
