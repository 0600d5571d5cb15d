/** `frontdesk start` on the embedded engine, as a user runs it: a real process on loopback. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PGLITE_EXTENSIONS } from '../../src/platform/db/database.js';
import { runCli, type StartedServer, startServer } from '../helpers/cli.js';

// A first start without a prepared snapshot prepares its folder in place: minutes on a busy box.
vi.setConfig({ testTimeout: 300_000 });

const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-start-'));
const running: StartedServer[] = [];
afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL');
});

describe('frontdesk start (embedded)', () => {
  it('serves /healthz and /readyz on a fresh data folder, and refuses a second process on it', async () => {
    const server = await startServer({ FRONTDESK_DATA_DIR: dataDir }, 240_000);
    running.push(server);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', engine: 'pglite' });
    expect(ready.headers.get('x-request-id')).toBeTruthy();

    const second = await runCli(['start'], { FRONTDESK_DATA_DIR: dataDir, PORT: '0' });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/data folder .* is in use by another Frontdesk process \(pid \d+\)/);

    expect(await server.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'frontdesk.lock'))).toBe(false);
  });

  it('keeps its data across restarts', async () => {
    const pg = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: PGLITE_EXTENSIONS });
    await pg.exec(
      `INSERT INTO tenants (id, slug, name) VALUES (gen_random_uuid(), 'persisted', 'Persisted')`,
    );
    await pg.close();

    const server = await startServer({ FRONTDESK_DATA_DIR: dataDir });
    running.push(server);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await server.stop()).toBe(0);

    const again = await PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: PGLITE_EXTENSIONS });
    const rows = await again.query<{ slug: string }>(`SELECT slug FROM tenants`);
    const ledger = await again.query<{ n: number }>(`SELECT count(*)::int AS n FROM frontdesk_migrations`);
    await again.close();
    // (the first start on a fresh folder also loaded the demo tenants)
    expect(rows.rows).toContainEqual({ slug: 'persisted' });
    expect(ledger.rows[0]!.n).toBeGreaterThan(0);
  });

  it('answers an unknown route with an RFC 9457 problem document', async () => {
    const server = await startServer({ FRONTDESK_DATA_DIR: dataDir });
    running.push(server);
    const res = await fetch(`${server.url}/no-such-thing`, { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toMatchObject({
      type: '/problems/not-found',
      status: 404,
      code: 'not_found',
      requestId: 'req-123',
    });
    expect(await server.stop()).toBe(0);
  });
});
