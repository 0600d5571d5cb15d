/** `frontdesk seed --demo` as a user runs it: a real process on a fresh embedded data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { PGLITE_EXTENSIONS } from '../platform/db/database.js';
import { JOBS_SCHEMA } from '../platform/jobs.js';
import type { SeedSummary } from './index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-seed-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('frontdesk seed', () => {
  it('seeds a fresh data folder, then reports every tenant skipped on the second run', async () => {
    const env = { FRONTDESK_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const first = await runCli(['seed', '--demo', '--json'], env, 180_000);
    expect(first.code, `${first.stderr}\n${first.stdout}`).toBe(0);
    expect(first.stderr).toBe('');
    const summary = JSON.parse(first.stdout) as SeedSummary;
    expect(summary.tenants).toHaveLength(5);
    expect(summary.tenants.every((t) => t.status === 'created')).toBe(true);
    // The demo's documents are queued for ingestion as jobs: a server already running (workers on
    // the same database) ingests them now rather than after a restart.
    const pg = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: PGLITE_EXTENSIONS });
    try {
      const { rows } = await pg.query<{ sources: number; jobs: number }>(
        `SELECT (SELECT count(*)::int FROM knowledge_sources WHERE status = 'queued') AS sources,
                (SELECT count(*)::int FROM ${JOBS_SCHEMA}.job WHERE name = 'knowledge.ingest') AS jobs`,
      );
      expect(rows[0]!.sources).toBeGreaterThan(0);
      expect(rows[0]!.jobs).toBeGreaterThan(0);
    } finally {
      await pg.close();
    }

    const second = await runCli(['seed', '--demo'], env, 180_000);
    expect(second.code, `${second.stderr}\n${second.stdout}`).toBe(0);
    expect(second.stdout).toMatch(/all skipped/);
    expect(second.stdout.match(/^ {2}skipped /gm)).toHaveLength(5);
    expect(second.stdout).toMatch(/0 plans, 0 agent templates, 0 users created/);
  }, 400_000);

  it('prints its usage and exits 2 without --demo', async () => {
    const result = await runCli(['seed'], { FRONTDESK_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: frontdesk seed --demo/);
  });
});
