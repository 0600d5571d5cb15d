/**
 * What a newcomer meets in the first hour, as real `frontdesk` processes: help without a stack
 * trace or a database, clear words for a missing database, a missing pgvector, an owner that must
 * exist, and adding an existing user to a second tenant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/platform/db/database.js';
import { MigrationError, migrate } from '../../src/platform/db/migrate.js';
import { runCli } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { adminUrl } from '../helpers/server.js';

vi.setConfig({ testTimeout: 240_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-first-hour-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { FRONTDESK_DATA_DIR: dataDir, FRONTDESK_USER_PASSWORD: 'a long enough password' };
// A cold process on a fresh embedded database: a minute on a busy machine.
const cli = (...args: string[]) => runCli(args, env, 200_000);
// A server nobody listens on: a command that tried to connect would fail.
const nowhere = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/frontdesk' };

describe('help', () => {
  it.each([['doctor'], ['migrate'], ['users'], ['seed']])(
    '`%s --help` prints its usage and exits 0 without opening the database',
    async (command) => {
      const result = await runCli([command, '--help'], nowhere);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage:[\\s\\S]*frontdesk ${command}`));
    },
  );
});

describe('a database that is not there', () => {
  it('names what is wrong when nothing listens', async () => {
    const result = await runCli(['migrate'], nowhere);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /nothing listens at 127\.0\.0\.1:1: is PostgreSQL running there\? \(ECONNREFUSED\)/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.runIf(serverUrl() !== '')('says how to create a missing database (3D000)', async () => {
    const result = await runCli(['migrate'], { DATABASE_URL: adminUrl(serverUrl(), 'frontdesk_no_such_db') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /the database "frontdesk_no_such_db" does not exist on that server: create it \(`createdb /,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a server without pgvector', () => {
  it('fails the migration with the way to install it, not a stack trace', async () => {
    // An embedded PostgreSQL without the vector extension loaded is a server without pgvector.
    const db = await openDatabase({ engine: 'pglite', pglite: await PGlite.create() });
    try {
      const error = await migrate(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/^pgvector is not installed on this PostgreSQL server/);
      expect((error as Error).message).toMatch(/scripts\/install-pgvector\.sh/);
    } finally {
      await db.close();
    }
  });
});

describe('tenants and their users', () => {
  it('says that --owner must be an existing user, and adds an existing user to another tenant', async () => {
    const orphan = await cli(
      'tenants',
      'create',
      '--slug',
      'north',
      '--name',
      'North',
      '--owner',
      'kim@example.com',
    );
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/the owner must be an existing user/);
    expect(orphan.stderr).toMatch(/create the user first \(frontdesk users create --email/);

    expect((await cli('users', 'create', '--email', 'kim@example.com')).code).toBe(0);
    expect(
      (await cli('tenants', 'create', '--slug', 'north', '--name', 'North', '--owner', 'kim@example.com'))
        .code,
    ).toBe(0);
    expect((await cli('tenants', 'create', '--slug', 'south', '--name', 'South')).code).toBe(0);

    const added = await cli(
      'users',
      'add',
      '--email',
      'KIM@example.com',
      '--tenant',
      'south',
      '--role',
      'viewer',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('added kim@example.com to south as viewer\n');

    const again = await cli('users', 'add', '--email', 'kim@example.com', '--tenant', 'south');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/kim@example\.com is already a member of south \(viewer\)/);

    const unknown = await cli('users', 'add', '--email', 'lee@example.com', '--tenant', 'south');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /no user with the email lee@example\.com: create one with `frontdesk users create/,
    );
  });
});
