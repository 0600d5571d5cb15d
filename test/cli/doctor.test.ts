/**
 * `frontdesk doctor` on this run's engine: a spawned CLI against a migrated database (a temp
 * data folder on the embedded engine, this file's server database otherwise).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTestDatabase } from '../helpers/db.js';

const t = useTestDatabase();

describe('frontdesk doctor', () => {
  it('reports engine and version, pgvector, migrations and RLS of every tenant table', async () => {
    const env: Record<string, string> = t.url
      ? { DATABASE_URL: t.url }
      : { FRONTDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'frontdesk-doctor-')) };
    if (!t.url) expect((await runCli(['migrate'], env)).code).toBe(0);
    const text = await runCli(['doctor'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      t.url ? /engine\s+PostgreSQL server \(PostgreSQL 1\d/ : /engine\s+embedded PGlite \(PostgreSQL 1\d/,
    );
    expect(text.stdout).toMatch(/ok\s+pgvector \d+\.\d+\.\d+/);
    expect(text.stdout).toMatch(/ok\s+migrations: \d+ applied, 0 pending/);
    expect(text.stdout).toMatch(
      /ok\s+row level security: (\d+)\/\1 tenant tables enabled, forced and with policies/,
    );

    const json = await runCli(['doctor', '--json'], env);
    const report = JSON.parse(json.stdout) as {
      engine: string;
      tenantTables: { total: number; unsecured: string[] };
    };
    expect(report.engine).toBe(t.url ? 'postgres' : 'pglite');
    expect(report.tenantTables.total).toBeGreaterThan(40);
    expect(report.tenantTables.unsecured).toEqual([]);
  });

  it('fails (exit 1) and says what is missing on a database that was never migrated', async () => {
    if (t.url) {
      // A server database without migrations: drop this file's schema first.
      const { openDatabase } = await import('../../src/platform/db/database.js');
      const db = await openDatabase({ engine: 'postgres', url: t.url, poolSize: 1 });
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await db.close();
    }
    const env: Record<string, string> = t.url
      ? { DATABASE_URL: t.url }
      : { FRONTDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'frontdesk-doctor-')) };
    const r = await runCli(['doctor'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+migrations: 0 applied, \d+ pending/);
  });
});
