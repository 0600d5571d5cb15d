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
import type { AppEnv } from './context.js';
import { mapDatabaseError } from './db-errors.js';
import { problemBody } from './problem.js';
import { idempotencyKeys } from './tables.js';

const TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight claim older than this belongs to a request that died; a retry may take it over. */
const STALE_MS = 60_000;
const KEPT_HEADERS = ['content-type', 'location', 'etag'];

export async function withIdempotency(
  c: Context<AppEnv>,
  { db, clock }: { db: Database; clock: Clock },
  run: () => Promise<Response>,
): Promise<Response> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 255)
    throw new AppError('bad_request', 'Idempotency-Key must be 1 to 255 characters');
  const { tenantId } = c.get('principal');
  const requestHash = sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);

  const claimed = await withTenant(db, tenantId, (tx) =>
    claimKey(tx, { tenantId, key, method: c.req.method, path: c.req.path, requestHash }, clock.now()),
  );

  if (!claimed.fresh) {
    const { row } = claimed;
    const headers = new Headers(row.responseHeaders ?? {});
    headers.set('idempotent-replayed', 'true');
    return new Response(row.responseBody, { status: row.responseStatus!, headers });
  }

  let response: Response;
  try {
    response = await run();
  } catch (error) {
    const known = error instanceof AppError ? error : mapDatabaseError(error);
    if (known && ERRORS[known.code].status < 500) {
      await store(db, tenantId, key, c, known);
    } else {
      // A 5xx (the database unreachable included) is retryable: free the key if the database
      // lets us; otherwise the claim goes stale after STALE_MS and a retry takes it over.
      await release(db, tenantId, key).catch(() => {});
    }
    throw error;
  }
  if (response.status >= 500) {
    await release(db, tenantId, key).catch(() => {});
    return response;
  }
  await keepResponse(db, tenantId, key, response);
  return response;
}

/**
 * Claims the key for this request: fresh when it is new (or its earlier claim went stale), the
 * kept response when it completed; a different request with the key → 422, one in flight → 409.
 */
async function claimKey(
  tx: Tx,
  r: { tenantId: string; key: string; method: string; path: string; requestHash: string },
  now: Date,
): Promise<{ fresh: true } | { fresh: false; row: typeof idempotencyKeys.$inferSelect }> {
  const { tenantId, key, requestHash } = r;
  await tx
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, now)));
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({
      tenantId,
      key,
      method: r.method,
      path: r.path,
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
  const takeover = await tx
    .update(idempotencyKeys)
    .set({ lockedAt: now })
    .where(
      and(
        eq(idempotencyKeys.id, row.id),
        or(
          sql`${idempotencyKeys.lockedAt} is null`,
          lt(idempotencyKeys.lockedAt, new Date(now.getTime() - STALE_MS)),
        ),
      ),
    )
    .returning({ id: idempotencyKeys.id });
  if (takeover.length) return { fresh: true };
  throw new AppError('conflict', 'a request with this Idempotency-Key is still being processed', {
    headers: { 'retry-after': '1' },
  });
}

/** A completed response is kept: status, the headers a retry needs, and the body. */
async function keepResponse(db: Database, tenantId: string, key: string, response: Response) {
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
