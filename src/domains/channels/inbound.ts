/**
 * Inbound provider webhooks, exactly once.
 *
 * The request path does the minimum before acknowledging: find the receiving account's channel
 * (platform path: the tenant is not known yet), verify the provider's signature with that
 * channel's secrets, normalize the body, then INSERT each event into inbound_events under
 * (provider, event_id) ON CONFLICT DO NOTHING, and its processing job in the same transaction,
 * both sent with the COMMIT: an acknowledged event always has its job. The job's id is derived
 * from (provider, event_id) (`inboundJobId`), so a retried or concurrently duplicated delivery,
 * whose insert finds the event recorded, queues no second job: it is acknowledged and ignored.
 *
 * The job (`channels.inbound`) does the work in the tenant's context and marks the event
 * processed; the responder's job is queued in the transaction that stores the message. So no
 * event and no reply waits on a sweeper. Should a job fail for good (its retries exhausted), the
 * event stays `received`; `sweepInboundEvents`, run when workers start, re-enqueues such events
 * (and those of versions that enqueued after the commit). Processing is idempotent (messages
 * dedupe by provider message id, statuses only move forward), so a second job changes nothing.
 *
 * Size (about 370 lines): the acknowledge path, the job and the recovery pass share the event
 * row's life cycle; kept in one file so that every state change of an inbound event is here.
 */

import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { deferToCommit, type Tx } from '../../platform/db/database.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { isDatabaseUnavailable } from '../../platform/db/unavailable.js';
import { AppError } from '../../platform/errors.js';
import { quotaError } from '../../platform/http/db-errors.js';
import { type AppPlatform, defineJob, type Platform } from '../../platform/jobs.js';
import { openSecrets } from '../../platform/secrets.js';
import { uuidv7 } from '../../schema/columns.js';
import { tenants } from '../../schema/tenants.js';
import { type InboundMessageInput, notifyResponder, recordInboundMessage } from '../conversations/intake.js';
import { notifyResponderOfAll, recordInboundMessages } from '../conversations/intake-batch.js';
import { inboundEvents, inboundSignatureNonces } from '../ops/tables.js';
import { blockedReason, isBlocked } from '../plans/status.js';
import { tenantById } from '../tenancy/lookup.js';
import { applyDeliveryStatus } from './delivery-status.js';
import { REPLAY_WINDOW_MS } from './providers/http.js';
import type { InboundAdapter, InboundRequest, NormalizedEvent, ParsedInbound } from './providers/types.js';
import { type ChannelKind, channels } from './tables.js';

export const INBOUND_JOB = 'channels.inbound';
/** A `received` event older than this with no live job is considered lost and re-enqueued. */
export const SWEEP_GRACE_MS = 2 * 60 * 1000;

/** What inbound_events.payload holds for a routed event. */
export interface StoredInbound {
  channelId: string;
  event: NormalizedEvent;
}

/**
 * Verifies, records and enqueues one webhook delivery; returns what to answer the provider.
 * Throws bad_request (malformed) or unauthorized (unknown account, missing secret, bad signature
 * or a replayed nonce: one answer for all) before anything is stored.
 */
export async function acceptInbound(
  platform: AppPlatform,
  adapter: InboundAdapter,
  req: InboundRequest,
): Promise<ParsedInbound['reply']> {
  const account = adapter.account(req);
  // The route, the events and their jobs in one transaction: a 200 means both are durable, and
  // a request that fails (the database went away mid-way) leaves neither, so the provider's
  // retry redoes it. A webhook that is refused rolls back before anything is written.
  return withPlatform(platform.db, async (tx) => {
    let channel: Awaited<ReturnType<typeof routeChannelIn>>;
    try {
      channel = await routeChannelIn(tx, platform, adapter.kind, account);
      adapter.verify(req, channel.secrets);
    } catch (error) {
      // One answer for an unknown channel, a missing secret and a bad signature: an unauthenticated
      // caller learns neither which channels exist nor how they are configured. The log says which.
      if (!(error instanceof AppError) || !['not_found', 'unauthorized'].includes(error.code)) throw error;
      platform.logger.warn(
        { provider: adapter.provider, account, reason: error.message },
        'inbound webhook refused',
      );
      throw new AppError('unauthorized', 'the webhook could not be verified');
    }
    const parsed = adapter.parse(req);
    const nonce = adapter.nonce?.(req);
    // A stopped tenant's traffic is still acknowledged (providers would retry forever) and
    // recorded, but settled as ignored and never processed (plans/status.ts).
    const stopped = isBlocked(channel.subscriptionStatus);
    if (nonce) await rememberNonce(tx, adapter.provider, nonce, req);
    if (parsed.events.length === 0) return parsed.reply;
    // The events and their jobs go with the COMMIT: the acknowledgement is two round trips (the
    // route, then these with COMMIT) whatever the number of events.
    // An event repeated within one delivery is one event (its job id would be one too).
    const events = [...new Map(parsed.events.map((e) => [e.eventId, e])).values()];
    const rows = events.map((event) => ({ id: uuidv7(), event }));
    await deferToCommit(
      tx,
      tx
        .insert(inboundEvents)
        .values(
          rows.map(({ id, event }) => ({
            id,
            provider: adapter.provider,
            eventId: event.eventId,
            eventType: event.type,
            routedTenantId: channel.tenantId,
            payload: { channelId: channel.id, event } satisfies StoredInbound,
            receivedAt: req.now,
            ...(stopped
              ? {
                  status: 'ignored' as const,
                  error: blockedReason(channel.subscriptionStatus),
                  processedAt: req.now,
                }
              : {}),
          })),
        )
        .onConflictDoNothing(),
    );
    if (!stopped) {
      await platform.jobs.sendManyIn(
        tx,
        rows.map(({ id, event }) => ({
          name: INBOUND_JOB,
          id: inboundJobId(adapter.provider, event.eventId),
          data: { inboundEventId: id },
        })),
      );
    }
    return parsed.reply;
  });
}

/**
 * The id of an event's processing job, the same for every delivery of the event: a redelivery
 * whose event is already recorded queues nothing (its job's insert conflicts and does nothing),
 * while the first delivery's job is kept (pg-boss keeps a completed job for 12 hours; a
 * redelivery after that queues a job that finds no event of its own, and does nothing).
 */
export function inboundJobId(provider: string, eventId: string): string {
  const hex = createHash('sha256').update(`${provider}\n${eventId}`).digest('hex');
  // The layout of a UUID, version 8 (custom), RFC 9562 variant.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Records a signature nonce; the same nonce seen before with another body is a replay (401).
 * Nonces older than twice the replay window are pruned on the way.
 */
async function rememberNonce(tx: Tx, provider: string, nonce: string, req: InboundRequest): Promise<void> {
  const bodySha256 = createHash('sha256').update(req.rawBody).digest('hex');
  await tx
    .delete(inboundSignatureNonces)
    .where(lt(inboundSignatureNonces.seenAt, new Date(req.now.getTime() - 2 * REPLAY_WINDOW_MS)));
  const [fresh] = await tx
    .insert(inboundSignatureNonces)
    .values({ provider, nonce, bodySha256, seenAt: req.now })
    .onConflictDoNothing()
    .returning({ nonce: inboundSignatureNonces.nonce });
  if (fresh) return;
  const [seen] = await tx
    .select({ bodySha256: inboundSignatureNonces.bodySha256 })
    .from(inboundSignatureNonces)
    .where(and(eq(inboundSignatureNonces.provider, provider), eq(inboundSignatureNonces.nonce, nonce)));
  if (seen && seen.bodySha256 !== bodySha256) {
    throw new AppError('unauthorized', 'the webhook could not be verified');
  }
}

/**
 * The active channel that receives traffic for a provider account (platform path: the tenant is
 * not known yet). Unknown or disabled: not_found, and the caller stores nothing.
 */
export async function routeChannel(platform: Platform, kind: ChannelKind, account: string) {
  return withPlatform(platform.db, (tx) => routeChannelIn(tx, platform, kind, account));
}

/** `routeChannel` inside a platform transaction the caller holds. */
async function routeChannelIn(tx: Tx, platform: Platform, kind: ChannelKind, account: string) {
  const [channel] = await tx
    .select({
      id: channels.id,
      tenantId: channels.tenantId,
      secrets: channels.secrets,
      status: channels.status,
      subscriptionStatus: tenants.subscriptionStatus,
    })
    .from(channels)
    .innerJoin(tenants, eq(tenants.id, channels.tenantId))
    .where(and(eq(channels.kind, kind), eq(channels.externalAccountId, account)))
    .limit(1);
  if (channel?.status !== 'active')
    throw new AppError('not_found', `no active ${kind} channel for this account`);
  return { ...channel, secrets: openSecrets(platform.config.secrets, channel.secrets) };
}

/** The job: applies one recorded event in its tenant and marks it processed (idempotent). */
export async function processInboundEvent(platform: AppPlatform, inboundEventId: string): Promise<void> {
  const [row] = await withPlatform(platform.db, (tx) =>
    tx.select().from(inboundEvents).where(eq(inboundEvents.id, inboundEventId)),
  );
  if (row?.status !== 'received' || !row.routedTenantId) return;
  const tenantId = row.routedTenantId;
  // Accepted before the tenant was stopped, processed after: settled the same way.
  const status = (await tenantById(platform.db, tenantId))?.subscriptionStatus;
  if (status && isBlocked(status)) {
    await finish(platform, inboundEventId, 'ignored', blockedReason(status));
    return;
  }
  const { channelId, event } = row.payload as unknown as StoredInbound;
  let outcome: 'processed' | 'ignored' = 'processed';
  try {
    if (event.type === 'message.received') {
      const result = await withTenant(platform.db, tenantId, (tx) =>
        storeMessage(platform, tx, tenantId, row),
      );
      if (result.duplicate) outcome = 'ignored';
    } else {
      const result = await withTenant(platform.db, tenantId, (tx) =>
        applyDeliveryStatus(tx, tenantId, channelId, event),
      );
      // A callback can overtake the delivery job recording the provider's id: retry it a while.
      const age = platform.clock.now().getTime() - row.receivedAt.getTime();
      if (result === 'unknown' && age < SWEEP_GRACE_MS)
        throw new Error('status for a message not recorded yet');
      if (result !== 'applied') outcome = 'ignored';
    }
  } catch (caught) {
    // The channel was deleted (or the sender is unusable, or the plan's monthly conversations are
    // used up) since the event was accepted: final.
    const error = caught instanceof AppError ? caught : quotaError(caught);
    if (!error) throw caught;
    await finish(platform, inboundEventId, 'failed', error.message);
    return;
  }
  await finish(platform, inboundEventId, outcome);
}

type InboundRow = typeof inboundEvents.$inferSelect;

/** The intake input of a message event. */
function messageInput(row: InboundRow): InboundMessageInput {
  const { channelId, event } = row.payload as unknown as StoredInbound;
  if (event.type !== 'message.received') throw new Error('not a message event');
  return {
    channelId,
    identity: event.identity,
    text: event.text,
    externalMessageId: event.externalMessageId,
    ...(event.externalThreadId ? { externalThreadId: event.externalThreadId } : {}),
    receivedAt: row.receivedAt,
    metadata: { ...event.metadata, ...(event.replyTo ? { replyTo: event.replyTo } : {}) },
  };
}

/** Stores one message event in its tenant's transaction, with the responder's hand-off. */
async function storeMessage(platform: AppPlatform, tx: Tx, tenantId: string, row: InboundRow) {
  const stored = await recordInboundMessage(tx, tenantId, messageInput(row));
  if (!stored.duplicate) await notifyResponder(platform.jobs, tx, tenantId, stored.messageId);
  return stored;
}

/**
 * Stores a tenant's message events (in order of receipt) in its one transaction, set-based
 * (`recordInboundMessages`), with the responders' hand-offs in one insert; returns the ids of
 * the events whose message was already stored.
 */
async function storeMessages(platform: AppPlatform, tx: Tx, tenantId: string, rows: InboundRow[]) {
  const results = await recordInboundMessages(tx, tenantId, rows.map(messageInput));
  const fresh = results.filter((r) => !r.duplicate).map((r) => r.messageId);
  await notifyResponderOfAll(platform.jobs, tx, tenantId, fresh);
  return rows.filter((_, i) => results[i]!.duplicate).map((r) => r.id);
}

/**
 * A worker's batch of events (a burst; a job of one event too): one read of the rows and their
 * tenants' status, then per tenant one transaction that stores all its new messages in order of
 * receipt, set-based (`recordInboundMessages`: their webhook events, stream notifications and
 * responder jobs included), then one transaction marking them. Should anything in a tenant's
 * transaction fail (a deleted channel, the plan's monthly quota), it rolls back whole and that
 * tenant's events go one by one through `processInboundEvent`, which settles each on its own;
 * delivery-status events and a stopped tenant's events always do. Idempotent like the single
 * path: a message already stored is found by its provider id and the event marked ignored.
 */
export async function processInboundEvents(platform: AppPlatform, ids: string[]): Promise<void> {
  // The events and their tenants' status in one read.
  const pending = await withPlatform(platform.db, (tx) =>
    tx
      .select({ row: inboundEvents, status: tenants.subscriptionStatus })
      .from(inboundEvents)
      .leftJoin(tenants, eq(tenants.id, inboundEvents.routedTenantId))
      .where(and(inArray(inboundEvents.id, ids), eq(inboundEvents.status, 'received')))
      .orderBy(asc(inboundEvents.receivedAt), asc(inboundEvents.id)),
  );
  const byTenant = new Map<string, InboundRow[]>();
  const oneByOne: string[] = [];
  for (const { row, status } of pending) {
    const { event } = row.payload as unknown as StoredInbound;
    if (!row.routedTenantId) continue;
    if (event.type !== 'message.received' || (status && isBlocked(status))) oneByOne.push(row.id);
    else byTenant.set(row.routedTenantId, [...(byTenant.get(row.routedTenantId) ?? []), row]);
  }
  for (const [tenantId, group] of byTenant) {
    let duplicates: string[];
    try {
      duplicates = await withTenant(platform.db, tenantId, (tx) =>
        storeMessages(platform, tx, tenantId, group),
      );
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      oneByOne.push(...group.map((r) => r.id));
      continue;
    }
    const stored = group.map((r) => r.id).filter((id) => !duplicates.includes(id));
    await withPlatform(platform.db, async (tx) => {
      await markIn(tx, platform, stored, 'processed');
      await markIn(tx, platform, duplicates, 'ignored');
    });
  }
  for (const id of oneByOne) await processInboundEvent(platform, id);
}

/**
 * Settles still-`received` events on `tx` (a platform transaction), with its COMMIT: nothing
 * reads them back in it, so a transaction of marks alone is one round trip on a server.
 */
async function markIn(
  tx: Tx,
  platform: Platform,
  ids: string[],
  status: 'processed' | 'ignored' | 'failed',
  error?: string,
): Promise<void> {
  if (ids.length === 0) return;
  await deferToCommit(
    tx,
    tx
      .update(inboundEvents)
      .set({ status, error: error ?? null, processedAt: platform.clock.now() })
      .where(and(inArray(inboundEvents.id, ids), eq(inboundEvents.status, 'received'))),
  );
}

function finish(
  platform: Platform,
  id: string,
  status: 'processed' | 'ignored' | 'failed',
  error?: string,
): Promise<void> {
  return withPlatform(platform.db, (tx) => markIn(tx, platform, [id], status, error));
}

/**
 * Re-enqueues events accepted more than SWEEP_GRACE_MS ago that are still `received` and have no
 * job waiting or running (their enqueue was lost, or their job failed for good). Returns how many.
 */
export async function sweepInboundEvents(platform: AppPlatform, limit = 500): Promise<number> {
  const cutoff = new Date(platform.clock.now().getTime() - SWEEP_GRACE_MS);
  const stale = await withPlatform(platform.db, (tx) =>
    tx
      .select({ id: inboundEvents.id })
      .from(inboundEvents)
      .where(and(eq(inboundEvents.status, 'received'), lt(inboundEvents.receivedAt, cutoff)))
      .orderBy(inboundEvents.receivedAt)
      .limit(limit),
  );
  if (stale.length === 0) return 0;
  const waiting = await platform.jobs.waiting(
    INBOUND_JOB,
    'inboundEventId',
    stale.map((s) => s.id),
  );
  const lost = stale.filter((s) => !waiting.has(s.id));
  for (const { id } of lost) await platform.jobs.send(INBOUND_JOB, { inboundEventId: id });
  return lost.length;
}

export const inboundJobs = [
  defineJob<{ inboundEventId: string }>({
    name: INBOUND_JOB,
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    // A job nobody works on any more (its worker died, or the database went away as it was
    // fetched) is retried after this plus up to 10 s (pg-boss maintenance); a batch of 20
    // database-only events takes well under a second, a few under heavy load.
    expireInSeconds: 20,
    // The worker fetches a batch this size and stores it per tenant in one transaction; events
    // only touch the database (no outside calls), so a large batch is what keeps up with a burst:
    // a batch's statements (about 17) are the same for 2 events or 50.
    batchSize: 50,
    // One worker per process. Its work is JavaScript on the process's one thread and statements
    // it waits for; a second worker in the same process only splits a burst into smaller batches,
    // each paying the batch's statements (docs/channels.md, "One inbound worker per process").
    // More processes give more workers.
    concurrency: 1,
    handle: (data, ctx) => processInboundEvents(ctx, [data.inboundEventId]),
    handleBatch: (batch, ctx) =>
      processInboundEvents(
        ctx,
        batch.map((d) => d.inboundEventId),
      ),
  }),
];
