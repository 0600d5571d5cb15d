/**
 * The delivery job: sends one queued message through its channel's transport, every attempt a
 * comms_events row.
 *
 * Exactly once across crashes: the attempt row is committed (status `queued`) BEFORE the provider
 * call and updated after it. A later run that finds an attempt still `queued` knows the outcome
 * was lost (the worker died or the answer never came) and asks the transport: a provider with a
 * status lookup (Twilio, Slack) tells whether it got the message; an idempotent transport (email,
 * same Message-ID) is simply resent; the others (WhatsApp, Telegram) are resent, at least once.
 *
 * Retries: 429, 5xx and network errors are retried up to MAX_ATTEMPTS with exponential backoff
 * and full jitter, never sooner than the provider's Retry-After; other refusals fail the message.
 * The schedule is ours (a new job with startAfter, queued in the transaction that records the
 * failed attempt), so the provider's wait can be honoured and a crash cannot drop the retry.
 */

import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { type AppPlatform, defineJob, type Platform } from '../../platform/jobs.js';
import { openSecrets } from '../../platform/secrets.js';
import { commsEvents, messages } from '../conversations/threads.js';
import { TRANSPORTS } from './providers/index.js';
import { type OutboundMessage, type TransportContext, TransportError } from './providers/types.js';
import { recipientOf } from './recipient.js';
import { channels } from './tables.js';

export const DELIVER_JOB = 'channels.deliver';
export const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * Wait before attempt `attempt + 1`: full jitter over an exponential ceiling
 * (5 s, 10 s, 20 s … capped at 15 min), and never less than the provider's Retry-After.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random * ceiling) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export async function deliverMessage(
  platform: AppPlatform,
  tenantId: string,
  messageId: string,
): Promise<void> {
  const plan = await withTenant(platform.db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ message: messages, channel: channels })
      .from(messages)
      .innerJoin(channels, and(eq(channels.tenantId, messages.tenantId), eq(channels.id, messages.channelId)))
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, messageId)));
    if (row?.message.deliveryStatus !== 'queued') return undefined;
    const attempts = await tx
      .select()
      .from(commsEvents)
      .where(and(eq(commsEvents.messageId, messageId), eq(commsEvents.direction, 'outbound')))
      .orderBy(asc(commsEvents.attempt));
    return { ...row, attempts, recipient: await recipientOf(tx, row.channel, row.message.conversationId) };
  });
  if (!plan) return;
  const { message, channel, attempts, recipient } = plan;
  const transport = TRANSPORTS[channel.kind];
  const now = platform.clock.now();
  if (!transport) {
    // Widget and API conversations are read from Frontdesk itself: stored is sent.
    await withTenant(platform.db, tenantId, (tx) =>
      tx.update(messages).set({ deliveryStatus: 'sent' }).where(eq(messages.id, messageId)),
    );
    return;
  }
  const ctx: TransportContext = {
    config: platform.config,
    account: channel.externalAccountId ?? '',
    secrets: openSecrets(platform.config.secrets, channel.secrets),
    now,
  };
  const outbound: OutboundMessage = {
    messageId,
    to: recipient.to ?? '',
    text: message.content,
    ...(recipient.threadId ? { threadId: recipient.threadId } : {}),
    ...(recipient.subject ? { subject: recipient.subject } : {}),
  };
  const live = platform.config.outbound === 'live';

  const unknown = attempts.find((a) => a.status === 'queued');
  if (unknown && live && transport.lookup && outbound.to) {
    const found = await transport.lookup(ctx, outbound, unknown.createdAt);
    if (found) return markSent(platform, tenantId, messageId, unknown.id, found);
  }
  if (unknown)
    await recordFailure(
      platform,
      tenantId,
      unknown.id,
      'unknown_outcome',
      'the outcome of this attempt was lost; resent',
    );

  const attempt = attempts.length + 1;
  const attemptId = await recordAttempt(platform, tenantId, { channel, message, outbound, ctx, attempt });
  try {
    if (!outbound.to)
      throw new TransportError('the conversation has no address to reply to', false, 'no_recipient');
    const sent = live ? await transport.send(ctx, outbound) : logInstead(platform, channel.kind, messageId);
    await markSent(platform, tenantId, messageId, attemptId, sent.providerMessageId);
  } catch (error) {
    await failAttempt(platform, tenantId, messageId, attemptId, attempt, error, now);
  }
}

/** The attempt's row, `queued` until the provider answers (an unknown outcome is found by it). */
async function recordAttempt(
  platform: AppPlatform,
  tenantId: string,
  a: {
    channel: typeof channels.$inferSelect;
    message: typeof messages.$inferSelect;
    outbound: OutboundMessage;
    ctx: TransportContext;
    attempt: number;
  },
): Promise<string> {
  const [row] = await withTenant(platform.db, tenantId, (tx) =>
    tx
      .insert(commsEvents)
      .values({
        tenantId,
        channelId: a.channel.id,
        channelKind: a.channel.kind,
        messageId: a.message.id,
        direction: 'outbound',
        fromAddr: a.ctx.account || a.channel.name,
        toAddr: a.outbound.to || '(none)',
        subject: a.outbound.subject ?? null,
        bodyPreview: a.message.content.slice(0, 1000),
        status: 'queued',
        attempt: a.attempt,
        createdAt: a.ctx.now,
      })
      .returning({ id: commsEvents.id }),
  );
  return row!.id;
}

/** A failed attempt: retried later with backoff when it may succeed, else the message failed. */
async function failAttempt(
  platform: AppPlatform,
  tenantId: string,
  messageId: string,
  attemptId: string,
  attempt: number,
  error: unknown,
  now: Date,
): Promise<void> {
  const failure =
    error instanceof TransportError
      ? error
      : new TransportError((error as Error).message, !(error instanceof AppError), 'error');
  const delay =
    failure.retryable && attempt < MAX_ATTEMPTS
      ? retryDelayMs(attempt, failure.retryAfterMs, Math.random())
      : undefined;
  // The retry is queued with the failure it answers: one commits exactly when the other does.
  await recordFailure(
    platform,
    tenantId,
    attemptId,
    failure.code,
    failure.message,
    failure.ambiguous,
    delay === undefined
      ? undefined
      : (tx) =>
          platform.jobs.sendIn(
            tx,
            DELIVER_JOB,
            { tenantId, messageId },
            { startAfter: new Date(now.getTime() + delay) },
          ),
  );
  if (delay !== undefined) {
    platform.logger.info(
      { messageId, attempt, delayMs: delay, code: failure.code },
      'delivery retry scheduled',
    );
    return;
  }
  await withTenant(platform.db, tenantId, (tx) =>
    tx.update(messages).set({ deliveryStatus: 'failed' }).where(eq(messages.id, messageId)),
  );
}

/** The offline default transport: says what would have been sent, sends nothing. */
function logInstead(platform: Platform, kind: string, messageId: string): { providerMessageId: string } {
  platform.logger.info(
    { channelKind: kind, messageId },
    'outbound message logged, not sent (FRONTDESK_OUTBOUND=log)',
  );
  return { providerMessageId: `log:${messageId}` };
}

function markSent(
  platform: Platform,
  tenantId: string,
  messageId: string,
  attemptId: string,
  providerMessageId: string,
) {
  return withTenant(platform.db, tenantId, async (tx) => {
    await tx
      .update(commsEvents)
      .set({ status: 'sent', providerMessageId, errorCode: null, errorMessage: null })
      .where(eq(commsEvents.id, attemptId));
    await tx
      .update(messages)
      .set({ deliveryStatus: 'sent', externalMessageId: providerMessageId })
      .where(eq(messages.id, messageId));
  });
}

/**
 * Records an attempt's failure; an ambiguous one stays `queued` (outcome unknown, checked next
 * run). `andThen` runs in the same transaction (the retry's job).
 */
function recordFailure(
  platform: Platform,
  tenantId: string,
  attemptId: string,
  code: string,
  detail: string,
  ambiguous = false,
  andThen?: (tx: Tx) => Promise<unknown>,
) {
  return withTenant(platform.db, tenantId, async (tx) => {
    await tx
      .update(commsEvents)
      .set({
        status: ambiguous ? 'queued' : 'failed',
        errorCode: code.slice(0, 100),
        errorMessage: detail.slice(0, 1000),
      })
      .where(eq(commsEvents.id, attemptId));
    await andThen?.(tx);
  });
}

export const deliveryJobs = [
  defineJob<{ tenantId: string; messageId: string }>({
    name: DELIVER_JOB,
    // Our own schedule handles provider failures; pg-boss retries cover a crashed or expired run.
    retryLimit: 3,
    retryDelay: 5,
    // One message per fetch, four workers: a slow provider holds up one delivery, not a batch.
    expireInSeconds: 120,
    concurrency: 4,
    handle: (data, ctx) => deliverMessage(ctx, data.tenantId, data.messageId),
  }),
];
