/**
 * Delivering recorded events to tenant endpoints per the Standard Webhooks specification:
 *
 * - headers `webhook-id` (the event's message id, the same on every attempt), `webhook-timestamp`
 *   (this attempt, integer seconds) and `webhook-signature`: `v1,<base64 HMAC-SHA256 of
 *   "{id}.{timestamp}.{body}">` keyed with the base64 bytes after `whsec_`. For a grace period
 *   after a rotation the previous secret signs too, space-separated, as the spec allows;
 * - the spec's retry schedule with jitter; 2xx is success, anything else (3xx included:
 *   redirects are not followed) a failure; 410 disables the endpoint; `Retry-After` (429, 503…)
 *   pushes the next attempt back; a delivery that exhausts the schedule disables its endpoint;
 * - sent through safeFetch: private, loopback and link-local addresses are refused where the
 *   connection is made unless `allowPrivateUrls` (local development).
 *
 * Every state in which a delivery will be due again has its job, queued in the transaction that
 * made the state: the event's (events.ts), the claim's (a follow-up at the end of the attempt's
 * lease, which finds nothing to do unless the worker died) and the outcome's (the retry). So no
 * process polls for due rows, and a crash at any point leaves a job behind. Time comes from the
 * platform clock: `next_attempt_at` is computed from it and a delivery is attempted only once due
 * by it; the pg-boss `startAfter` of a job is only the wake-up call. Tests move a ManualClock and
 * call `dispatchDueWebhooks`; `recoverWebhookDeliveries` queues rows recorded without a job.
 *
 * Size (about 370 lines): signing, the attempt, its outcome and the retry schedule are one
 * protocol (Standard Webhooks); every state change of a delivery is in this file.
 */

import { createHmac } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../platform/db/database.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { type AppPlatform, defineJob, type Platform } from '../../platform/jobs.js';
import { publicUrlProblem, SafeFetchError, safeFetch } from '../../platform/net/safe-fetch.js';
import { openString } from '../../platform/secrets.js';
import { DELIVER_JOB } from './events.js';
import { type WebhookDelivery, type WebhookEndpoint, webhookDeliveries, webhookEndpoints } from './tables.js';

export { DELIVER_JOB };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delay before attempt n+1 after attempt n failed (index n-1); the first attempt is immediate.
 * The spec's example schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, ten attempts
 * over about three days.
 */
export const RETRY_DELAYS_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Up to this fraction is added to each delay, so failing endpoints are not retried in lockstep. */
export const RETRY_JITTER = 0.1;
/** A `Retry-After` longer than this is capped (a receiver cannot park deliveries for days). */
export const MAX_RETRY_AFTER_MS = 24 * HOUR;
/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_GRACE_MS = 24 * HOUR;
/** Per attempt (the spec recommends 15 to 30 s). */
export const ATTEMPT_TIMEOUT_MS = 15 * SECOND;
/** A claimed attempt not finished by then (a killed worker) is due again. */
const ATTEMPT_LEASE_MS = 2 * MINUTE;
const RESPONSE_BODY_CHARS = 1024;

/** `v1,<signature>` for one `whsec_` secret. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The signing secrets in force now: the current one, and the previous one during its grace period. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const graceful =
    endpoint.previousSecret &&
    endpoint.secretRotatedAt &&
    now.getTime() - endpoint.secretRotatedAt.getTime() < ROTATION_GRACE_MS;
  return graceful ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** The Standard Webhooks headers for one attempt. */
export function webhookHeaders(
  endpoint: WebhookEndpoint,
  id: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Frontdesk-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signingSecrets(endpoint, now)
      .map((s) => signWebhook(s, id, timestamp, body))
      .join(' '),
  };
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), capped; null if absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * SECOND : Date.parse(value) - now.getTime();
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** When the attempt after `attempt` failed ones is due, or null when the schedule is exhausted. */
export function nextAttemptAt(
  attempt: number,
  now: Date,
  retryAfter: number | null,
  random: () => number = Math.random,
): Date | null {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return null;
  const jittered = delay * (1 + RETRY_JITTER * random());
  return new Date(now.getTime() + Math.max(jittered, retryAfter ?? 0));
}

/** Refuses an endpoint URL that is, or resolves to, a non-public address (see publicUrlProblem). */
export const endpointUrlProblem = publicUrlProblem;

type Outcome =
  | { kind: 'response'; status: number; body: string; retryAfter: number | null; ms: number }
  | { kind: 'error'; error: string; ms: number };

/** Claims a due delivery for one attempt (status in_flight, attempt + 1, a lease); null when not due. */
async function claim(
  platform: AppPlatform,
  tenantId: string,
  deliveryId: string,
): Promise<{ delivery: WebhookDelivery; endpoint: WebhookEndpoint } | null> {
  const now = platform.clock.now();
  return withTenant(platform.db, tenantId, async (tx) => {
    const [delivery] = await tx
      .select()
      .from(webhookDeliveries)
      // tenant_id as well as RLS: on Citus, a locking read must name its shard.
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)))
      .for('update', { skipLocked: true });
    if (!delivery || delivery.status === 'succeeded' || delivery.status === 'abandoned') return null;
    if (delivery.nextAttemptAt && delivery.nextAttemptAt > now) return null;
    const [endpoint] = await tx
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, delivery.endpointId));
    if (endpoint?.status !== 'active') {
      await tx
        .update(webhookDeliveries)
        .set({ status: 'abandoned', nextAttemptAt: null, error: 'the endpoint is disabled' })
        .where(eq(webhookDeliveries.id, deliveryId));
      return null;
    }
    const [claimed] = await tx
      .update(webhookDeliveries)
      .set({
        status: 'in_flight',
        attempt: delivery.attempt + 1,
        nextAttemptAt: new Date(now.getTime() + ATTEMPT_LEASE_MS),
      })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning();
    // Should this worker die mid-attempt, this job finds the lease over and tries again.
    await platform.jobs.sendIn(
      tx,
      DELIVER_JOB,
      { tenantId, deliveryId },
      { startAfter: secondsFromNow(ATTEMPT_LEASE_MS) },
    );
    return { delivery: claimed!, endpoint };
  });
}

/** The endpoint with its signing secrets opened (they are sealed at rest). */
const openEndpoint = (platform: Platform, e: WebhookEndpoint): WebhookEndpoint => ({
  ...e,
  secret: openString(platform.config.secrets, e.secret),
  previousSecret: e.previousSecret === null ? null : openString(platform.config.secrets, e.previousSecret),
});

async function attempt(
  platform: Platform,
  endpoint: WebhookEndpoint,
  delivery: WebhookDelivery,
): Promise<Outcome> {
  const body = JSON.stringify(delivery.payload);
  const now = platform.clock.now();
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const res = await safeFetch(endpoint.url, {
      method: 'POST',
      headers: webhookHeaders(openEndpoint(platform, endpoint), delivery.eventId, body, now),
      body,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
      allowPrivate: platform.config.allowPrivateUrls,
    });
    return {
      kind: 'response',
      status: res.status,
      body: res.text().slice(0, RESPONSE_BODY_CHARS),
      retryAfter: retryAfterMs(res.headers['retry-after'], now),
      ms: ms(),
    };
  } catch (error) {
    const message =
      error instanceof SafeFetchError ? `${error.code}: ${error.message}` : (error as Error).message;
    return { kind: 'error', error: message.slice(0, 1000), ms: ms() };
  }
}

/** Records an attempt's outcome; returns when the next attempt is due (null: none). */
async function record(
  platform: AppPlatform,
  tenantId: string,
  delivery: WebhookDelivery,
  outcome: Outcome,
): Promise<Date | null> {
  const now = platform.clock.now();
  const response =
    outcome.kind === 'response'
      ? { responseStatus: outcome.status, responseBody: outcome.body, error: null }
      : { responseStatus: null, responseBody: null, error: outcome.error };
  const succeeded = outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;
  const gone = outcome.kind === 'response' && outcome.status === 410;
  const next =
    succeeded || gone
      ? null
      : nextAttemptAt(delivery.attempt, now, outcome.kind === 'response' ? outcome.retryAfter : null);
  const disabledReason = gone
    ? 'the endpoint answered 410 Gone'
    : !succeeded && !next
      ? `every one of ${MAX_ATTEMPTS} attempts failed (last: ${
          outcome.kind === 'response' ? `HTTP ${outcome.status}` : outcome.error
        })`.slice(0, 500)
      : null;
  await withTenant(platform.db, tenantId, async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        ...response,
        durationMs: outcome.ms,
        status: succeeded ? 'succeeded' : next ? 'failed' : 'abandoned',
        deliveredAt: succeeded ? now : null,
        nextAttemptAt: next,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    await tx
      .update(webhookEndpoints)
      .set(
        succeeded
          ? { failureCount: 0, lastTriggeredAt: now, lastSuccessAt: now }
          : {
              failureCount: sql`${webhookEndpoints.failureCount} + 1`,
              lastTriggeredAt: now,
              ...(disabledReason ? { status: 'disabled' as const, disabledReason } : {}),
            },
      )
      .where(and(eq(webhookEndpoints.id, delivery.endpointId), eq(webhookEndpoints.status, 'active')));
    if (next) {
      const data = { tenantId, deliveryId: delivery.id };
      const wait = next.getTime() - now.getTime();
      await platform.jobs.sendIn(tx, DELIVER_JOB, data, { startAfter: secondsFromNow(wait) });
    }
  });
  return next;
}

/** pg-boss's relative `startAfter` (whole seconds, by the database's clock) for a wait in ms. */
const secondsFromNow = (ms: number) => Math.max(0, Math.ceil(ms / SECOND));

/** One attempt of one delivery, if it is due; schedules the next on failure. */
export async function deliverWebhook(
  platform: AppPlatform,
  tenantId: string,
  deliveryId: string,
): Promise<void> {
  await platform.jobs.start(); // the claim and the outcome queue their follow-ups in their transactions
  const claimed = await claim(platform, tenantId, deliveryId);
  if (!claimed) return;
  const outcome = await attempt(platform, claimed.endpoint, claimed.delivery);
  await record(platform, tenantId, claimed.delivery, outcome);
}

/**
 * Enqueues a delivery job for every delivery due now by the platform clock (new ones, retries
 * whose time has come, attempts whose worker died). Returns how many. Workers never need it
 * (every due state has its job); tests that move a ManualClock do, since pg-boss runs jobs by the
 * database's clock.
 */
export async function dispatchDueWebhooks(
  platform: AppPlatform,
  options: { limit?: number } = {},
): Promise<number> {
  const now = platform.clock.now();
  const due = await withPlatform(platform.db, (tx) =>
    rows<{ id: string; tenant_id: string }>(
      tx,
      sql`SELECT id, tenant_id FROM webhook_deliveries
          WHERE status IN ('pending', 'failed', 'in_flight')
            AND (next_attempt_at IS NULL OR next_attempt_at <= ${now.toISOString()}::timestamptz)
          ORDER BY next_attempt_at NULLS FIRST
          LIMIT ${options.limit ?? 500}`,
    ),
  );
  for (const d of due) await platform.jobs.send(DELIVER_JOB, { tenantId: d.tenant_id, deliveryId: d.id });
  return due.length;
}

/**
 * Queues a job for every unfinished delivery that has none waiting or running: rows recorded
 * before any process had started the job queue (a fresh embedded folder being seeded), or by a
 * version that queued them from a polling dispatcher. Run once when workers start. Returns how
 * many it queued.
 */
export async function recoverWebhookDeliveries(platform: AppPlatform, limit = 5_000): Promise<number> {
  const open = await withPlatform(platform.db, (tx) =>
    rows<{ id: string; tenant_id: string; wait_ms: number }>(
      tx,
      sql`SELECT id, tenant_id,
                 greatest(0, extract(epoch FROM coalesce(next_attempt_at, now()) - now()) * 1000)::float8 AS wait_ms
            FROM webhook_deliveries
           WHERE status IN ('pending', 'failed', 'in_flight')
           LIMIT ${limit}`,
    ),
  );
  if (open.length === 0) return 0;
  const queued = await platform.jobs.waiting(
    DELIVER_JOB,
    'deliveryId',
    open.map((d) => d.id),
  );
  const lost = open.filter((d) => !queued.has(d.id));
  for (const d of lost) {
    await platform.jobs.send(
      DELIVER_JOB,
      { tenantId: d.tenant_id, deliveryId: d.id },
      { startAfter: secondsFromNow(d.wait_ms) },
    );
  }
  return lost.length;
}

export interface DeliverJobData {
  tenantId: string;
  deliveryId: string;
}

export const webhookJobs = [
  defineJob<DeliverJobData>({
    name: DELIVER_JOB,
    // The schedule lives in the delivery row; a crashed attempt is retried by the job its claim
    // queued for the end of its lease.
    retryLimit: 0,
    // A worker runs its batch one job after another: room for a batch of attempts at the timeout.
    expireInSeconds: 120,
    // One delivery per fetch, four workers: a slow endpoint holds up one delivery, not a batch.
    concurrency: 4,
    handle: (data, ctx) => deliverWebhook(ctx, data.tenantId, data.deliveryId),
  }),
];
