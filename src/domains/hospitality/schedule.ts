/**
 * Scheduled reservation messages (seed 003): T-3, T-1 and day-of texts or emails, each sent
 * exactly once per reservation and rule.
 *
 * `runScheduleTick` is the whole algorithm and is safe to run any number of times, by any
 * number of workers at once. It works on sets, not rows (issue 15):
 *
 * 1. one query finds the tenants that may have something due (schedule-wakeups.ts); a minute
 *    with nothing due ends there;
 * 2. per such tenant, one transaction reads its candidates, channels and templates, and one pass
 *    in memory plans every due rule (schedule-plan.ts: windows, quiet hours, skip reasons,
 *    rendering);
 * 3. per batch of up to BATCH_SIZE rules, one transaction claims them all in one INSERT
 *    (schedule-claims.ts: only the rules this worker won go on) and finds or opens the guests'
 *    conversations, then one transaction stores the messages, queues their deliveries and marks
 *    the claims sent (channels' `sendMessages`).
 *
 * Production runs it every minute as the `schedule.tick` job (docs/scheduling-and-analytics.md).
 */

import { withTenant } from '../../platform/db/tenant.js';
import type { AppPlatform } from '../../platform/jobs.js';
import { isBlocked } from '../plans/status.js';
import {
  claimKey,
  claimRules,
  markSent,
  settleAbandonedClaims,
  settleFailedSend,
} from './schedule-claims.js';
import {
  activeTemplates,
  conversationKey,
  guestChannels,
  guestConversations,
  scheduleCandidates,
} from './schedule-compose.js';
import { defaultOutbound, type Outbound } from './schedule-outbound.js';
import { type PlannedRule, planSchedule } from './schedule-plan.js';
import { beginLook, finishLook, tenantsToLook } from './schedule-wakeups.js';

export interface ScheduleTickResult {
  sent: number;
  skipped: number;
  failed: number;
}

/** Rules claimed and sent per transaction. */
export const BATCH_SIZE = 500;

/** Runs the scheduled messages of every active tenant that are due at `clock.now()`. */
export async function runScheduleTick(
  platform: AppPlatform,
  outbound: Outbound = defaultOutbound,
): Promise<ScheduleTickResult> {
  const tenants = await tenantsToLook(platform.db, platform.clock.now());
  const total: ScheduleTickResult = { sent: 0, skipped: 0, failed: 0 };
  // A stopped tenant (suspended, canceled) sends nothing: plans/status.ts.
  for (const tenant of tenants.filter((t) => !isBlocked(t.subscriptionStatus))) {
    const r = await runTenantSchedule(platform, tenant.id, tenant.timezone, outbound);
    total.sent += r.sent;
    total.skipped += r.skipped;
    total.failed += r.failed;
  }
  return total;
}

/** One tenant's due scheduled messages. */
export async function runTenantSchedule(
  platform: AppPlatform,
  tenantId: string,
  tenantTimezone: string,
  outbound: Outbound = defaultOutbound,
): Promise<ScheduleTickResult> {
  const now = platform.clock.now();
  const inputs = await withTenant(platform.db, tenantId, async (tx) => {
    // Settling first: it locks claim rows before the wakeup row, the order in which a writer
    // deleting a reservation (cascade to its claims, then the trigger) takes them.
    await settleAbandonedClaims(tx, now);
    await beginLook(tx, tenantTimezone);
    return {
      candidates: await scheduleCandidates(tx, tenantTimezone, now),
      channels: await guestChannels(tx),
      templates: await activeTemplates(tx),
    };
  });
  const plan = planSchedule(inputs, now);
  const result: ScheduleTickResult = { sent: 0, skipped: 0, failed: 0 };
  for (let i = 0; i < plan.rules.length; i += BATCH_SIZE) {
    const r = await runBatch(platform, tenantId, plan.rules.slice(i, i + BATCH_SIZE), outbound);
    result.sent += r.sent;
    result.skipped += r.skipped;
    result.failed += r.failed;
  }
  // A send that failed is retried by the next tick.
  await finishLook(platform.db, tenantId, result.failed > 0 ? now : plan.nextAt);
  return result;
}

/** Claims a batch of planned rules and sends the messages of those this worker won. */
async function runBatch(
  platform: AppPlatform,
  tenantId: string,
  batch: PlannedRule[],
  outbound: Outbound,
): Promise<ScheduleTickResult> {
  const now = platform.clock.now();
  const claimed = await withTenant(platform.db, tenantId, async (tx) => {
    const won = await claimRules(tx, tenantId, batch, now);
    const mine = batch.flatMap((rule) => {
      const id = won.get(claimKey(rule.reservationId, rule.rule));
      return id ? [{ ...rule, claimId: id }] : [];
    });
    const wants = mine.flatMap((r) =>
      r.send
        ? [{ contactId: r.send.contactId, channel: r.send.channel, subject: r.send.conversationSubject }]
        : [],
    );
    return { mine, conversations: await guestConversations(tx, tenantId, wants, now) };
  });
  const result: ScheduleTickResult = { sent: 0, skipped: 0, failed: 0 };
  for (const r of claimed.mine) if (r.status !== 'claimed') result[r.status]++;
  const sends = claimed.mine.flatMap((r) => {
    if (!r.send) return [];
    const conversationId = claimed.conversations.get(conversationKey(r.send.contactId, r.send.channel.id))!;
    return [{ ...r, send: r.send, conversationId }];
  });
  if (sends.length === 0) return result;
  const inputs = sends.map((s) => ({
    conversationId: s.conversationId,
    body: s.send.body,
    senderType: 'system' as const,
    metadata: {
      scheduledMessageId: s.claimId,
      scheduleRule: s.rule,
      reservationId: s.reservationId,
      ...(s.send.subject ? { subject: s.send.subject } : {}),
    },
  }));
  try {
    await outbound.sendMessages(platform, tenantId, inputs, {
      inTransaction: (tx, messageIds) =>
        markSent(
          tx,
          sends.map((s, i) => ({
            id: s.claimId,
            messageId: messageIds[i]!,
            conversationId: s.conversationId,
            channelKind: s.send.kind,
          })),
          platform.clock.now(),
        ),
    });
    result.sent += sends.length;
  } catch (error) {
    platform.logger.warn({ err: error, tenantId, claims: sends.length }, 'scheduled messages failed');
    // A send that failed after storing its messages must not be retried: the stored messages decide.
    const settled = await withTenant(platform.db, tenantId, (tx) =>
      settleFailedSend(
        tx,
        sends.map((s) => s.claimId),
        (error as Error).message,
      ),
    );
    result.sent += settled.sent;
    result.failed += settled.failed;
  }
  return result;
}
