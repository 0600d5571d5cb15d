/**
 * `Idempotency-Key` on POST, after the IETF httpapi idempotency-key draft: the first request
 * with a key runs and its response is kept for 24 hours (per tenant and key); a retry gets that
 * response again (`Idempotent-Replayed: true`); the same key with a different request → 422; a
 * retry while the first is still running → 409. A 5xx response is not kept, so it can be retried.
 */

import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';
import type { Database, Tx } from '../db/database.js';
import { withTenant } from '../db/tenant.js';
import { AppError, ERRORS } from '../errors.js';
import { sha256 } from '../hash.js';
import { type AppEnv, bodyText } from './context.js';
import { mapDatabaseError } from './db-errors.js';
import { problemBody } from './problem.js';
import { idempotencyKeys } from './tables.js';

const TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight claim older than this belongs to a request that died; a retry may take it over. */
const STALE_MS = 60_000;
const KEPT_HEADERS = ['content-type', 'location', 'etag'];

type Claim = { fresh: true } | { fresh: false; row: typeof idempotencyKeys.$inferSelect };

interface Request {
  db: Database;
  clock: Clock;
  tenantId: string;
  key: string;
  c: Context<AppEnv>;
}

export async function withIdempotency(
  c: Context<AppEnv>,
  { db, clock }: { db: Database; clock: Clock },
  run: () => Promise<Response>,
): Promise<Response> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 255)
    throw new AppError('bad_request', 'Idempotency-Key must be 1 to 255 characters');
  const req: Request = { db, clock, tenantId: c.get('principal').tenantId, key, c };
  const claimed = await claim(req, sha256(`${c.req.method} ${c.req.path}\n${await bodyText(c)}`));
  if (!claimed.fresh) return replay(claimed.row);
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    const known = error instanceof AppError ? error : mapDatabaseError(error);
    if (known && ERRORS[known.code].status < 500) {
      await store(db, req.tenantId, key, c, known);
    } else {
      // A 5xx (the database unreachable included) is retryable: free the key if the database
      // lets us; otherwise the claim goes stale after STALE_MS and a retry takes it over.
      await release(db, req.tenantId, key).catch(() => {});
    }
    throw error;
  }
  if (response.status >= 500) {
    await release(db, req.tenantId, key).catch(() => {});
    return response;
  }
  await complete(req, response);
  return response;
}

/** Claims the key in a transaction of its own (a concurrent duplicate must see the claim), or finds its answer. */
function claim(req: Request, requestHash: string): Promise<Claim> {
  const { db, clock, tenantId, key, c } = req;
  return withTenant(db, tenantId, async (tx): Promise<Claim> => {
    const now = clock.now();
    await tx
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, now)));
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({
        tenantId,
        key,
        method: c.req.method,
        path: c.req.path,
        requestHash,
        lockedAt: now,
        expiresAt: new Date(now.getTime() + TTL_MS),
      })
      .onConflictDoNothing()
      .returning({ id: idempotencyKeys.id });
    if (inserted.length) return { fresh: true };
    // tenant_id as well as RLS: on Citus, a locking read must name its shard.
    const [row] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)))
      .for('update');
    if (!row) return { fresh: true };
    if (row.requestHash !== requestHash) {
      throw new AppError('validation_failed', 'this Idempotency-Key was used for a different request');
    }
    if (row.status === 'completed') return { fresh: false, row };
    if (await takeOver(tx, row.id, now)) return { fresh: true };
    throw new AppError('conflict', 'a request with this Idempotency-Key is still being processed', {
      headers: { 'retry-after': '1' },
    });
  });
}

/** Takes over a claim whose request died (locked longer than STALE_MS ago, or released). */
async function takeOver(tx: Tx, id: string, now: Date): Promise<boolean> {
  const taken = await tx
    .update(idempotencyKeys)
    .set({ lockedAt: now })
    .where(
      and(
        eq(idempotencyKeys.id, id),
        or(
          sql`${idempotencyKeys.lockedAt} is null`,
          lt(idempotencyKeys.lockedAt, new Date(now.getTime() - STALE_MS)),
        ),
      ),
    )
    .returning({ id: idempotencyKeys.id });
  return taken.length > 0;
}

function replay(row: typeof idempotencyKeys.$inferSelect): Response {
  const headers = new Headers(row.responseHeaders ?? {});
  headers.set('idempotent-replayed', 'true');
  return new Response(row.responseBody, { status: row.responseStatus!, headers });
}

/** Keeps the answer for retries. */
async function complete({ db, tenantId, key }: Request, response: Response): Promise<void> {
  const body = await response.clone().text();
  const headers = Object.fromEntries(
    KEPT_HEADERS.flatMap((h) => (response.headers.has(h) ? [[h, response.headers.get(h)!]] : [])),
  );
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(idempotencyKeys)
      .set({
        status: 'completed',
        responseStatus: response.status,
        responseHeaders: headers,
        responseBody: body,
        lockedAt: null,
      })
      .where(eq(idempotencyKeys.key, key)),
  );
}

/** A client error is an answer too: a retry with the same key gets the same problem document. */
async function store(db: Database, tenantId: string, key: string, c: Context<AppEnv>, error: AppError) {
  const body = problemBody(error.code, error.message, {
    instance: c.req.path,
    requestId: c.get('requestId'),
    ...(error.extras.errors ? { errors: error.extras.errors } : {}),
  });
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(idempotencyKeys)
      .set({
        status: 'completed',
        responseStatus: body.status,
        responseHeaders: { 'content-type': 'application/problem+json' },
        responseBody: JSON.stringify(body),
        lockedAt: null,
      })
      .where(eq(idempotencyKeys.key, key)),
  );
}

async function release(db: Database, tenantId: string, key: string) {
  await withTenant(db, tenantId, (tx) => tx.delete(idempotencyKeys).where(eq(idempotencyKeys.key, key)));
}
