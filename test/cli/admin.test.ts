/**
 * The admin commands as an operator runs them: a real `frontdesk` process per command on a
 * temporary embedded data folder. Tenants, users, API keys (shown once, listed by prefix,
 * revocable) and the OpenAPI document.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../src/domains/identity/passwords.js';
import { PGLITE_EXTENSIONS } from '../../src/platform/db/database.js';
import { runCli } from '../helpers/cli.js';

// Each command is a cold process on an embedded database: seconds each, more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-admin-'));
const env = { FRONTDESK_DATA_DIR: dataDir };
const cli = (...args: string[]) => runCli(args, env);

/** Reads the data folder directly once the CLI has exited (it holds no lock then). */
async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: PGLITE_EXTENSIONS });
  try {
    return (await pg.query<T>(sql, params)).rows;
  } finally {
    await pg.close();
  }
}

describe('frontdesk tenants', () => {
  it('creates a tenant, lists it, and refuses a duplicate slug with exit code 2', async () => {
    const created = await cli(
      'tenants',
      'create',
      '--slug',
      'acme',
      '--name',
      'Acme Support',
      '--timezone',
      'Europe/Berlin',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created tenant acme \([0-9a-f-]{36}\)\n$/);

    const list = await cli('tenants', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^acme\s+[0-9a-f-]{36}\s+active\s+Acme Support$/m);

    const dup = await cli('tenants', 'create', '--slug', 'acme', '--name', 'Other');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/^frontdesk: .*already exists/);
    expect(dup.stderr.trim().split('\n')).toHaveLength(1); // a message, not a stack trace
    expect(dup.stderr).not.toMatch(/tenants_slug|_key|at .*\.js/);
  });

  it('refuses a bad slug, naming the field', async () => {
    const bad = await cli('tenants', 'create', '--slug', 'Bad Slug!', '--name', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/slug: lowercase letters/);
  });
});

describe('frontdesk users', () => {
  it('creates a user with the password from FRONTDESK_USER_PASSWORD, as a member of a tenant', async () => {
    const password = 'a very long admin password';
    const r = await runCli(
      [
        'users',
        'create',
        '--email',
        'ops@acme.example',
        '--name',
        'Ops',
        '--tenant',
        'acme',
        '--role',
        'admin',
      ],
      { ...env, FRONTDESK_USER_PASSWORD: password },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created user ops@acme\.example \([0-9a-f-]{36}\) as admin of acme\n$/);
    expect(r.stdout + r.stderr).not.toContain(password);
    const [row] = await query<{ hash: string; role: string; slug: string }>(
      `SELECT u.password_hash AS hash, m.role, t.slug FROM users u
       JOIN memberships m ON m.user_id = u.id JOIN tenants t ON t.id = m.tenant_id WHERE u.email = $1`,
      ['ops@acme.example'],
    );
    expect(row).toMatchObject({ role: 'admin', slug: 'acme' });
    expect(row!.hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row!.hash, password)).toBe(true);
  });
});

describe('frontdesk keys', () => {
  it('prints a new key once, lists its prefix only, and revokes it', async () => {
    const made = await cli('keys', 'create', '--tenant', 'acme', '--name', 'Zapier', '--role', 'agent');
    expect(made.code).toBe(0);
    const key = /^(fd_[0-9a-f]{12}_\S+)$/m.exec(made.stdout)?.[1];
    expect(key).toBeTruthy();
    const prefix = key!.split('_')[1]!;

    const list = await cli('keys', 'list', '--tenant', 'acme');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`fd_${prefix}_…\\s+agent\\s+active\\s+Zapier`));
    expect(list.stdout).not.toContain(key!);

    const revoked = await cli('keys', 'revoke', '--tenant', 'acme', `fd_${prefix}_…`);
    expect(revoked.stderr).toBe('');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked [0-9a-f-]{36}\n$/);
    const [row] = await query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE prefix = $1',
      [prefix],
    );
    expect(row!.revoked).toBe(true);

    const again = await cli('keys', 'revoke', '--tenant', 'acme', prefix);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no active key/);
  });
});

describe('frontdesk openapi', () => {
  it('prints the OpenAPI 3.1 document as JSON', async () => {
    const r = await cli('openapi');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths).toHaveProperty('/v1/contacts');
    expect(doc.paths).toHaveProperty('/v1/api-keys/{id}/revoke');
  });
});
