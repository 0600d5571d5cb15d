/**
 * Scheduled reservation messages (seed 003): T-3, T-1 and day-of texts or emails, each sent
 * exactly once per reservation and rule.
 *
 * `runScheduleTick` is the whole algorithm and is safe to run any number of times, by any
 * number of workers at once: it looks at `clock.now()`, finds the rules that are due, claims
 * each in the database (schedule-claims.ts) and sends only what it won. Production runs it
 * every minute as the `schedule.tick` job (docs/scheduling-and-analytics.md).
 */

import { withTenant } from '../../platform/db/tenant.js';
import type { AppPlatform } from '../../platform/jobs.js';
import type { QuietHours } from '../../platform/zoned-time.js';
import { isBlocked } from '../plans/status.js';
import { activeTenants } from '../tenancy/lookup.js';
import {
  claimRule,
  markFailed,
  markSent,
  markSkipped,
  settleAbandonedClaims,
  storedMessageFor,
} from './schedule-claims.js';
import {
  activeTemplate,
  channelDisabled,
  type GuestChannel,
  guestChannelKind,
  guestChannels,
  guestConversation,
  MissingValueError,
  renderTemplate,
  type ScheduleCandidate,
  scheduleCandidates,
  templateValues,
} from './schedule-compose.js';
import { defaultOutbound, type Outbound } from './schedule-outbound.js';
import { type RuleWindow, ruleState, ruleWindows } from './schedule-rules.js';

export interface ScheduleTickResult {
  sent: number;
  skipped: number;
  failed: number;
}

/** Runs the scheduled messages of every active tenant that are due at `clock.now()`. */
export async function runScheduleTick(
  platform: AppPlatform,
  outbound: Outbound = defaultOutbound,
): Promise<ScheduleTickResult> {
  const tenants = await activeTenants(platform.db);
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
  const { candidates, channels } = await withTenant(platform.db, tenantId, async (tx) => {
    await settleAbandonedClaims(tx, now);
    return {
      candidates: await scheduleCandidates(tx, tenantTimezone, now),
      channels: await guestChannels(tx),
    };
  });
  const result: ScheduleTickResult = { sent: 0, skipped: 0, failed: 0 };
  // Reservations of a property share their check-in dates: compute each set of windows once.
  const memo = new Map<string, RuleWindow[]>();
  const windowsFor = (r: ScheduleCandidate, quiet: QuietHours | null) => {
    const key = [r.checkIn, r.t3, r.t1, r.dayOf, r.timezone, quiet?.start, quiet?.end].join('|');
    let windows = memo.get(key);
    if (!windows) {
      windows = ruleWindows(r.checkIn, { t3: r.t3, t1: r.t1, dayOf: r.dayOf }, r.timezone, quiet);
      memo.set(key, windows);
    }
    return windows;
  };
  for (const reservation of candidates) {
    const kind = guestChannelKind(reservation);
    const channel = kind ? (channels.get(kind) ?? null) : null;
    const quiet = channel?.quiet ?? [...channels.values()].find((c) => c.quiet)?.quiet ?? null;
    const windows = windowsFor(reservation, quiet);
    for (const window of windows) {
      if (reservation.settled.includes(window.rule)) continue;
      const state = ruleState(window, now);
      if (state === 'early') continue;
      const outcome =
        state === 'missed'
          ? await recordMissed(platform, tenantId, reservation, window)
          : await sendRule(platform, tenantId, reservation, window, channel, outbound);
      if (outcome) result[outcome]++;
    }
  }
  return result;
}

type Outcome = keyof ScheduleTickResult | null;

async function recordMissed(
  platform: AppPlatform,
  tenantId: string,
  reservation: ScheduleCandidate,
  window: RuleWindow,
): Promise<Outcome> {
  const id = await withTenant(platform.db, tenantId, (tx) =>
    claimRule(
      tx,
      {
        tenantId,
        reservationId: reservation.id,
        rule: window.rule,
        dueAt: window.dueAt,
        now: platform.clock.now(),
      },
      { status: 'skipped', detail: 'its time passed before it could be sent' },
    ),
  );
  return id ? 'skipped' : null;
}

/** Claims one due rule and, if this worker won it, composes and sends the message. */
async function sendRule(
  platform: AppPlatform,
  tenantId: string,
  reservation: ScheduleCandidate,
  window: RuleWindow,
  channel: GuestChannel | null,
  outbound: Outbound,
): Promise<Outcome> {
  const now = platform.clock.now();
  const prepared = await withTenant(platform.db, tenantId, async (tx) => {
    const claimId = await claimRule(tx, {
      tenantId,
      reservationId: reservation.id,
      rule: window.rule,
      dueAt: window.dueAt,
      now,
    });
    if (!claimId) return null;
    const skip = async (detail: string) => {
      await markSkipped(tx, claimId, detail);
      return { claimId, outcome: 'skipped' as const };
    };
    const kind = guestChannelKind(reservation);
    if (!reservation.contactId) return skip('the reservation has no contact');
    if (!kind) return skip('the guest has no phone, email or preferred channel');
    if (channelDisabled(reservation, kind)) return skip(`${kind} is disabled for the property`);
    if (!channel) return skip(`the tenant has no active ${kind} channel`);
    const template = await activeTemplate(tx, kind, window.rule);
    if (!template) return skip(`no active ${kind} template for ${window.rule}`);
    let body: string;
    try {
      body = renderTemplate(template.body, templateValues(reservation, channel));
    } catch (error) {
      if (!(error instanceof MissingValueError)) throw error;
      // Retried by later ticks while the rule is due: the data can still be filled in.
      await markFailed(tx, claimId, error.message);
      return { claimId, outcome: 'failed' as const };
    }
    const conversationId = await guestConversation(tx, tenantId, {
      contactId: reservation.contactId,
      channel,
      subject: template.subject ?? `Stay at ${reservation.propertyName}`,
      now,
    });
    return { claimId, outcome: 'send' as const, body, conversationId, subject: template.subject, kind };
  });
  if (!prepared) return null;
  if (prepared.outcome !== 'send') return prepared.outcome;

  let messageId: string;
  try {
    ({ messageId } = await outbound.sendMessage(platform, tenantId, {
      conversationId: prepared.conversationId,
      body: prepared.body,
      senderType: 'system',
      metadata: {
        scheduledMessageId: prepared.claimId,
        scheduleRule: window.rule,
        reservationId: reservation.id,
        ...(prepared.subject ? { subject: prepared.subject } : {}),
      },
    }));
  } catch (error) {
    platform.logger.warn(
      { err: error, tenantId, reservationId: reservation.id, rule: window.rule },
      'scheduled message failed',
    );
    // A send that failed after storing its message (delivery enqueue, connection lost) must not
    // be retried: the stored message decides.
    return withTenant(platform.db, tenantId, async (tx) => {
      const stored = await storedMessageFor(tx, prepared.claimId);
      if (!stored) {
        await markFailed(tx, prepared.claimId, (error as Error).message);
        return 'failed';
      }
      await markSent(tx, prepared.claimId, {
        messageId: stored.id,
        conversationId: stored.conversationId,
        channelKind: prepared.kind,
        at: stored.createdAt,
      });
      return 'sent';
    });
  }
  await withTenant(platform.db, tenantId, (tx) =>
    markSent(tx, prepared.claimId, {
      messageId,
      conversationId: prepared.conversationId,
      channelKind: prepared.kind,
      at: platform.clock.now(),
    }),
  );
  return 'sent';
}
