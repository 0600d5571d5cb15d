/**
 * Which database errors mean "unreachable, retry shortly" (503 with Retry-After) and which are the
 * request's own: real errors from a refused connection and from the file's database.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/database.js';
import { isDatabaseUnavailable } from '../../src/platform/db/unavailable.js';
import { mapDatabaseError } from '../../src/platform/http/db-errors.js';
import { useTestDatabase } from '../helpers/db.js';

const t = useTestDatabase();

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('database unavailable', () => {
  it('a refused connection is unavailable: 503 /problems/unavailable with Retry-After', async () => {
    const db = await openDatabase({
      engine: 'postgres',
      url: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`,
      poolSize: 1,
    });
    const error = await db.query('SELECT 1').catch((e: unknown) => e);
    await db.close();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const mapped = mapDatabaseError(error);
    expect(mapped?.code).toBe('unavailable');
    expect(mapped?.extras.headers?.['retry-after']).toMatch(/^\d+$/);
  });

  it('a full disk (SQLSTATE 53100, as PGlite and PostgreSQL report it) is a 503 that says so', async () => {
    const error = await t.db
      .exec(`DO $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$`)
      .catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(mapDatabaseError(error)).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/disk space/),
    });
  });

  it("the request's own errors are not: a syntax error, a unique violation", async () => {
    const syntax = await t.db.query('SELEC 1').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    const unique = await t.db
      .transaction((conn) =>
        conn.exec('CREATE TEMP TABLE u (x int PRIMARY KEY); INSERT INTO u VALUES (1), (1)'),
      )
      .catch((e: unknown) => e);
    expect(isDatabaseUnavailable(unique)).toBe(false);
    expect(mapDatabaseError(unique)?.code).toBe('conflict');
  });
});
