/**
 * One pass over a tenant's candidates: which rules are due at `now`, and for each what the tick
 * will record (skipped with a reason, failed for a missing template value) or send (the rendered
 * message); plus when the tenant next needs a look. No database access: schedule.ts reads the
 * inputs in one transaction and writes the outcome in batches.
 */
import type { QuietHours } from '../../platform/zoned-time.js';
import type { ChannelKind } from '../channels/tables.js';
import type { ClaimInput } from './schedule-claims.js';
import {
  channelDisabled,
  type GuestChannel,
  guestChannelKind,
  MissingValueError,
  renderTemplate,
  type ScheduleCandidate,
  type Template,
  templateKey,
  templateValues,
} from './schedule-compose.js';
import { type RuleWindow, ruleState, ruleWindows } from './schedule-rules.js';
import { nextUtcMidnight } from './schedule-wakeups.js';

/** A due rule and what to do with it; `send` only for status `claimed`. */
export interface PlannedRule extends ClaimInput {
  send?: {
    contactId: string;
    channel: GuestChannel;
    kind: ChannelKind;
    body: string;
    subject: string | null;
    /** The subject of a conversation this message opens. */
    conversationSubject: string;
  };
}

export interface SchedulePlan {
  rules: PlannedRule[];
  /** When the tenant needs its next look, as far as these candidates tell. */
  nextAt: Date;
}

export interface ScheduleInputs {
  candidates: ScheduleCandidate[];
  channels: Map<ChannelKind, GuestChannel>;
  templates: Map<string, Template>;
}

/** Plans every due rule of the candidates at `now` (in candidate order, then rule order). */
export function planSchedule(inputs: ScheduleInputs, now: Date): SchedulePlan {
  const { candidates, channels } = inputs;
  const rules: PlannedRule[] = [];
  let nextAt = nextUtcMidnight(now);
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
  const fallbackQuiet = [...channels.values()].find((c) => c.quiet)?.quiet ?? null;
  for (const reservation of candidates) {
    const kind = guestChannelKind(reservation);
    const channel = kind ? (channels.get(kind) ?? null) : null;
    for (const window of windowsFor(reservation, channel?.quiet ?? fallbackQuiet)) {
      if (reservation.settled.includes(window.rule)) continue;
      const state = ruleState(window, now);
      if (state === 'early') {
        if (window.dueAt < nextAt) nextAt = window.dueAt;
        continue;
      }
      const base = { reservationId: reservation.id, rule: window.rule, dueAt: window.dueAt };
      rules.push(
        state === 'missed'
          ? { ...base, status: 'skipped', detail: 'its time passed before it could be sent' }
          : { ...base, ...planDue(inputs, reservation, window, channel) },
      );
    }
  }
  // A rule left failed is retried by the next tick while it is due.
  if (rules.some((r) => r.status === 'failed')) nextAt = now;
  return { rules, nextAt };
}

/** What a due rule becomes: skipped (why), failed (a missing value), or a message to send. */
function planDue(
  inputs: ScheduleInputs,
  reservation: ScheduleCandidate,
  window: RuleWindow,
  channel: GuestChannel | null,
): Pick<PlannedRule, 'status' | 'detail' | 'send'> {
  const skip = (detail: string) => ({ status: 'skipped' as const, detail });
  const kind = guestChannelKind(reservation);
  if (!reservation.contactId) return skip('the reservation has no contact');
  if (!kind) return skip('the guest has no phone, email or preferred channel');
  if (channelDisabled(reservation, kind)) return skip(`${kind} is disabled for the property`);
  if (!channel) return skip(`the tenant has no active ${kind} channel`);
  const template = inputs.templates.get(templateKey(kind, window.rule));
  if (!template) return skip(`no active ${kind} template for ${window.rule}`);
  let body: string;
  try {
    body = renderTemplate(template.body, templateValues(reservation, channel));
  } catch (error) {
    if (!(error instanceof MissingValueError)) throw error;
    // Retried by later ticks while the rule is due: the data can still be filled in.
    return { status: 'failed', detail: error.message };
  }
  // sendMessages refuses an empty body; one such message must not fail its whole batch.
  if (!body.trim()) return { status: 'failed', detail: 'the message body is empty' };
  return {
    status: 'claimed',
    detail: null,
    send: {
      contactId: reservation.contactId,
      channel,
      kind,
      body,
      subject: template.subject,
      conversationSubject: template.subject ?? `Stay at ${reservation.propertyName}`,
    },
  };
}
