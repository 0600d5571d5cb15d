/**
 * The Drizzle schema and the SQL migrations agree: drizzle-kit, run against a copy of
 * migrations/, finds nothing to generate. Fails when a table changed without a migration
 * (fix: `npm run db:generate -- --name=<what changed>`).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/platform/db/migrate.js';

it('has a migration for every change of the Drizzle schema', async () => {
  const copy = join(mkdtempSync(join(tmpdir(), 'frontdesk-drift-')), 'migrations');
  cpSync(MIGRATIONS_DIR, copy, { recursive: true });
  const before = readdirSync(copy).sort();
  const root = join(MIGRATIONS_DIR, '..');
  // drizzle-kit prefixes `./` to --out, so it must be relative to the project.
  const { stdout, stderr } = await promisify(execFile)(
    'npx',
    [
      'drizzle-kit',
      'generate',
      '--dialect=postgresql',
      '--schema=./src/schema/index.ts',
      `--out=${relative(root, copy)}`,
    ],
    { cwd: root },
  );
  expect(readdirSync(copy).sort()).toEqual(before);
  expect(`${stdout}${stderr}`).toMatch(/No schema changes/);
});
