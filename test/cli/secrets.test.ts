/**
 * `frontdesk secrets rotate` as an operator runs it: a real process on a temporary embedded data
 * folder. Without a key it refuses (exit 2) and says which variable to set; with keys it seals
 * every stored secret with the first one, and a second run finds nothing left to do.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 240_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-secrets-'));
const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');

async function query<T>(sql: string): Promise<T[]> {
  const pg = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: { vector } });
  try {
    return (await pg.query<T>(sql)).rows;
  } finally {
    await pg.close();
  }
}

it('refuses without a key, seals plain secrets with the first key, re-seals on rotation, then is a no-op', async () => {
  const none = await runCli(['secrets', 'rotate'], { FRONTDESK_DATA_DIR: dataDir });
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('FRONTDESK_SECRETS_KEYS');

  // A tenant with a channel whose secrets were stored before any key was configured.
  expect(
    (await runCli(['tenants', 'create', '--slug', 'acme', '--name', 'Acme'], { FRONTDESK_DATA_DIR: dataDir }))
      .code,
  ).toBe(0);
  await query(`INSERT INTO channels (tenant_id, id, kind, name, secrets)
               SELECT id, gen_random_uuid(), 'telegram', 'Bot', '{"botToken":"123:plain-token"}'::jsonb FROM tenants`);

  const first = await runCli(['secrets', 'rotate'], {
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_SECRETS_KEYS: `k1:${K1}`,
  });
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('sealed with key k1: 1 channels');
  let [row] = await query<{ token: string }>(`SELECT secrets->>'botToken' AS token FROM channels`);
  expect(row!.token).toMatch(/^fdsealed:v1:k1:/);

  const keys = `k2:${K2},k1:${K1}`;
  const second = await runCli(['secrets', 'rotate'], {
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_SECRETS_KEYS: keys,
  });
  expect(second.stdout).toContain('sealed with key k2: 1 channels');
  [row] = await query<{ token: string }>(`SELECT secrets->>'botToken' AS token FROM channels`);
  expect(row!.token).toMatch(/^fdsealed:v1:k2:/);
  const again = await runCli(['secrets', 'rotate'], {
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_SECRETS_KEYS: keys,
  });
  expect(again.stdout).toContain('0 channels, 0 integrations, 0 webhook endpoints');

  const malformed = await runCli(['secrets', 'rotate'], {
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_SECRETS_KEYS: 'k1:short',
  });
  expect(malformed.code).toBe(2);
  expect(malformed.stderr).toContain('FRONTDESK_SECRETS_KEYS');
  expect(malformed.stderr).not.toContain(K1);
});
